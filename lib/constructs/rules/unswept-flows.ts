import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * A flow with `scheduleDeescalation: false` is never swept: its grants end only when someone revokes them, and a
 * member whose expiry has passed stays (listed as overdue by `status` and `grants`). Allowed, but never silently.
 */
export const unsweptFlows: RuntimeRule = ({ model }) =>
  model.flows
    .filter((flow) => !flow.manifestEntry().scheduleDeescalation)
    .map((flow) => ({
      level: 'warning',
      message: problemAt(
        flow,
        'params.scheduleDeescalation',
        'is false, so the sweep never removes these grants: access lasts until someone revokes it, past its expiry (status lists such members as overdue)',
      ),
    }));
