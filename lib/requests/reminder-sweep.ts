import { ErrorCode, describeError } from '../errors';
import { FlowRules } from './access-port';
import { AccessRequest } from './model';
import { RecordSeal } from './record-seal';
import { dueReminder, ReminderKind } from './reminders';
import { RequestStore } from './store';

/** Where reminders go: a chat adapter tells the people of a request. */
export interface RequestReminders {
  /** Tells the requester of escalated `request` that their grant ends at its `until`. */
  remindRequester(request: AccessRequest, now: Date): Promise<void>;
  /** Tells the approvers of pending `request` that it still waits for them, until its `deadline`. */
  nudgeApprovers(request: AccessRequest, now: Date): Promise<void>;
}

export interface ReminderSweepOptions {
  readonly store: RequestStore;
  /** Verifies a record before anyone is told of it. */
  readonly seal: RecordSeal;
  /** The flow's rules as deployed now: its reminders and approval window. */
  readonly rules: (flow: string) => FlowRules;
  readonly reminders: RequestReminders;
  /** Told of each reminder sent. Default: ignored. */
  readonly onSent?: (request: AccessRequest, kind: ReminderKind) => void;
  /** Told of each reminder that could not be sent (given back for the next sweep), and of a sweep that could not look. */
  readonly onFailed?: (failure: ReminderFailure) => void;
}

/** A reminder that was not sent, and why; `requestId` absent when the sweep could not read the requests at all. */
export interface ReminderFailure {
  readonly requestId?: string;
  readonly kind?: ReminderKind;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What one minute's reminders came to. */
export interface ReminderResult {
  readonly sent: { readonly requestId: string; readonly kind: ReminderKind }[];
  readonly failed: ReminderFailure[];
}

/** Due by the end of time: every open request in a state. */
const LATEST = '9999-12-31T23:59:59.999Z';

/**
 * The minute sweep's reminders. Each is sent at most once a request: before anyone is told, one conditional write
 * records it on the request (only if no sweep has, and only at the version whose MAC was just verified), so of any
 * number of sweeps at once exactly one sends it, and a request that moved meanwhile (revoked, approved) is looked at
 * again next minute. A send that fails gives the reminder back, so the next sweep tries again until its moment has
 * passed; a sweep that stops between the two leaves it unsent (at most once wins over at least once).
 *
 * Reminders grant nothing, so none of this is part of a record's MAC, and nothing that decides a grant reads it. A
 * reminder never fails the sweep: every failure is reported and the rest go on.
 */
export class ReminderSweep {
  constructor(private readonly options: ReminderSweepOptions) {}

  async sweep(now: Date): Promise<ReminderResult> {
    const result: ReminderResult = { sent: [], failed: [] };
    const fail = (failure: ReminderFailure) => {
      result.failed.push(failure);
      this.options.onFailed?.(failure);
    };
    let open: AccessRequest[];
    try {
      open = [...(await this.options.store.due('escalated', LATEST)), ...(await this.options.store.due('pending', LATEST))];
    } catch (error) {
      fail(describeError(error));
      return result;
    }
    for (const r of open) {
      let rules: FlowRules;
      try {
        rules = this.options.rules(r.flow);
      } catch {
        // A flow no longer deployed reminds of nothing (the sweep's own paths deal with its requests).
        continue;
      }
      let kind: ReminderKind | undefined;
      try {
        kind = dueReminder(r, rules.reminders, rules.approvalWindowSeconds, now);
        // A record whose MAC does not verify is told of to nobody; the sweep's own paths refuse it as they act on it.
        if (kind === undefined || !(await this.options.seal.verify(r))) continue;
        if (await this.send(r, kind, now)) {
          result.sent.push({ requestId: r.id, kind });
          this.options.onSent?.(r, kind);
        }
      } catch (error) {
        fail({ requestId: r.id, ...(kind !== undefined && { kind }), ...describeError(error) });
      }
    }
    return result;
  }

  /** Takes the reminder on and sends it: false when another sweep has it (or the request moved). Gives it back if the send fails. */
  private async send(r: AccessRequest, kind: ReminderKind, now: Date): Promise<boolean> {
    const at = now.toISOString();
    if (!(await this.options.store.claimReminder(r.id, kind, r.version, at))) return false;
    try {
      await (kind === 'expiry' ? this.options.reminders.remindRequester(r, now) : this.options.reminders.nudgeApprovers(r, now));
    } catch (error) {
      await this.options.store.releaseReminder(r.id, kind, at).catch(() => false);
      throw error;
    }
    return true;
  }
}
