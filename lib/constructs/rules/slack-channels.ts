import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * Slack and the flows agree: a flow that posts its requests to a channel needs the runtime's Slack app, and a Slack
 * app with no flow to post would offer nothing to request.
 */
export const slackChannels: RuntimeRule = ({ runtime, model }) => {
  const posting = model.flows.filter((flow) => flow.manifestEntry().requestsChannel !== undefined);
  if (model.slack === undefined) {
    return posting.map((flow) => ({
      level: 'error',
      message: problemAt(
        flow,
        'params.requestsChannel',
        `runtime ${runtime.node.path} has no slack integration to post requests with; give it one, or drop requestsChannel`,
      ),
    }));
  }
  if (posting.length > 0) return [];
  return [
    {
      level: 'error',
      message: problemAt(
        runtime,
        'slack',
        'no flow of this runtime has params.requestsChannel, so nothing could be requested in Slack; give at least one flow a requests channel',
      ),
    },
  ];
};
