import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/** Honouring event-asserted requesters lets anyone who may invoke the function grant anyone: say so at every synth. */
export const assertedIdentity: RuntimeRule = ({ runtime, requests }) =>
  requests.allowAssertedIdentity
    ? [
        {
          level: 'warning',
          message: problemAt(
            runtime,
            'allowAssertedIdentity',
            'true: direct escalate/deescalate events are honoured with the requester the event names, so every principal ' +
              'allowed lambda:InvokeFunction on this function can grant access to anyone; keep that permission to automation you trust',
          ),
        },
      ]
    : [];
