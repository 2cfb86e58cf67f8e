import { problemAt } from '../validation';
import { RuntimeRule } from './rule';

/**
 * The runtime's alarms (failed sweeps, a stalled sweep, an expiring key, tampered records) change state in CloudWatch
 * whether or not anyone hears it: without `alarmTopic` or `alarmActions` nobody does, so say so at every synth.
 *   {}                                              → warning naming both props
 *   {alarmTopic: true} or {alarmActions: [arn, …]}  → nothing
 */
export const silentAlarms: RuntimeRule = ({ runtime, alarms }) =>
  alarms.topic || alarms.actions.length > 0
    ? []
    : [
        {
          level: 'warning',
          message: problemAt(
            runtime,
            'alarmTopic',
            'false and alarmActions is empty: the alarms on failed and stalled sweeps, expiring API keys and tampered records notify nobody; ' +
              'set alarmTopic: true (and subscribe to the topic) or alarmActions to the ARNs of topics you already watch',
          ),
        },
      ];
