import { FlowManifest, parseDuration } from '../manifest';

/** What a flow that lists no durations offers: the first of these that fit its maximum. */
const LADDER = ['30m', '1h', '2h', '4h'];
/** Three buttons and End now fit one row of a phone's screen. */
const MAX_CHOICES = 3;

/**
 * The durations a requester is offered to extend by, in Slack: the flow's own durations (the first three), or, when
 * it lists none, steps of the ladder up to its maximum (the maximum alone when it is shorter than all of them).
 *
 *   durations ['30m', '1h'] → ['30m', '1h'];  none, max '8h' → ['30m', '1h', '2h'];  none, max '15m' → ['15m']
 */
export function extendChoices(flow: FlowManifest): string[] {
  if (flow.durations.length > 0) return flow.durations.slice(0, MAX_CHOICES);
  const longest = parseDuration(flow.maxDuration);
  const fitting = LADDER.filter((d) => parseDuration(d) <= longest).slice(0, MAX_CHOICES);
  return fitting.length > 0 ? fitting : [flow.maxDuration];
}
