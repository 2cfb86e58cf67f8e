import { Block } from './slack-api';

/**
 * The Extend buttons of a request: one a duration, each `action_id` `symtail-extend-<duration>` (unique within its
 * block, as Slack asks) and each value the request id and nothing else, like every button of a request.
 */
export const EXTEND_ACTION_PREFIX = 'symtail-extend-';
/** A duration as the flows write them (`30m`, `1h`); checked again by the requests service. */
const DURATION = /^[1-9][0-9]{0,5}[smhd]$/;

/** One Extend button a duration: "Extend 30m" extends the grant to 30 minutes from the click. */
export function extendButtons(requestId: string, durations: readonly string[]): Block[] {
  return durations.map((duration) => ({
    type: 'button',
    action_id: `${EXTEND_ACTION_PREFIX}${duration}`,
    text: { type: 'plain_text', text: `Extend ${duration}` },
    value: requestId,
  }));
}

/** The duration an Extend button asks for, or undefined when `actionId` is not one. */
export function extendDurationOf(actionId: string): string | undefined {
  if (!actionId.startsWith(EXTEND_ACTION_PREFIX)) return undefined;
  const duration = actionId.slice(EXTEND_ACTION_PREFIX.length);
  return DURATION.test(duration) ? duration : undefined;
}
