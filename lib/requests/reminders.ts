import { AccessRequest } from './model';

/**
 * The reminders the minute sweep sends, each at most once a request: `expiry` tells the requester their grant ends
 * soon; `nudge` tells the approvers a pending request has waited half its approval window.
 */
export type ReminderKind = 'expiry' | 'nudge';
export const REMINDER_KINDS: readonly ReminderKind[] = ['expiry', 'nudge'];

/** A flow's reminders, as the requests core reads them. */
export interface ReminderRule {
  /** Seconds before a grant ends that its requester is told. Absent: never. */
  readonly beforeExpirySeconds?: number;
  /** Whether approvers are nudged once a pending request has waited half its approval window. */
  readonly nudgeApprovers: boolean;
}

/**
 * The reminder of `r` that is due at `now` and not yet taken on, or undefined. Judged only from what the record's MAC
 * covers (state, `until`, `escalatedAt`, `deadline`) and the flow's rules as deployed now, so a table write can
 * neither move a reminder's moment nor make one due; the caller still verifies the record before acting on it.
 *
 *   expiry, 10m before: escalated 10:00, until 11:00 → due in [10:50, 11:00); a grant of 10m or less gets none
 *   nudge, window 1h:   pending, deadline 11:00     → due in [10:30, 11:00)
 *
 * Past its moment (the grant ended, the window closed) a reminder is never due: a sweep that was down meanwhile
 * does not tell anyone late.
 */
export function dueReminder(r: AccessRequest, rule: ReminderRule | undefined, approvalWindowSeconds: number, now: Date): ReminderKind | undefined {
  if (rule === undefined) return undefined;
  const at = now.getTime();
  if (r.state === 'escalated' && rule.beforeExpirySeconds !== undefined && r.reminded?.expiry === undefined && r.until !== undefined) {
    const ends = Date.parse(r.until);
    const from = ends - rule.beforeExpirySeconds * 1000;
    // A grant that began within the lead was just made: its requester knows when it ends.
    const began = r.escalatedAt === undefined ? -Infinity : Date.parse(r.escalatedAt);
    if (began < from && from <= at && at < ends) return 'expiry';
  }
  if (r.state === 'pending' && rule.nudgeApprovers && r.reminded?.nudge === undefined) {
    const closes = Date.parse(r.deadline);
    const from = closes - (approvalWindowSeconds * 1000) / 2;
    if (from <= at && at < closes) return 'nudge';
  }
  return undefined;
}
