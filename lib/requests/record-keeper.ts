import { randomBytes } from 'node:crypto';
import { RequestAccess } from './access-port';
import { DescribedError, quoteForMessage } from '../errors';
import { HistoryActor, SystemActor } from './actor';
import { RequestParty } from './approval-rules';
import { RequestError, StoreConflictError } from './errors';
import { AccessRequest, HistoryEntry, ReadRequest, RequestAction } from './model';
import { RequestNotifier, silentNotifier } from './notifier';
import { OnCallDirectory } from './on-call';
import { RecordSeal } from './record-seal';
import { attestedTransitions, requestEvent, RequestEvents } from './request-events';
import { RequestStore } from './store';

export interface RequestServiceOptions {
  readonly store: RequestStore;
  readonly access: RequestAccess;
  /** Seals every record written; every record read is verified with it before it is acted on. */
  readonly seal: RecordSeal;
  readonly notifier?: RequestNotifier;
  /** Who is on call, for flows with an on-call rule. Absent: such flows' requests wait for people, with a note. */
  readonly onCall?: OnCallDirectory;
  readonly now?: () => Date;
  readonly newRequestId?: () => string;
  /** Told when a notification failed; the request itself stands. Default: ignored. */
  readonly onNotifyFailure?: (request: AccessRequest, error: unknown) => void;
  /**
   * Told when a record is refused and marked failed: its MAC does not verify (`tampered`), or at the grant its
   * approvals no longer satisfy the flow's rules (`approval-no-longer-valid`). Default: ignored.
   */
  readonly onRecordRefused?: (request: AccessRequest, error: RequestError) => void;
  /** Where every state change is published; the store keeps each until it is. Default: none (nothing recorded). */
  readonly events?: RequestEvents;
  /** Told when state changes could not be published; they stay recorded and the sweep tries again. Default: ignored. */
  readonly onEventsFailure?: (request: AccessRequest, error: unknown) => void;
}

/**
 * What an action answers: the request as stored (shown `tampered` by `get` when its MAC does not verify), and the
 * escalation's failure when it was approved but not granted.
 */
export interface RequestOutcome {
  readonly request: ReadRequest;
  readonly escalationError?: DescribedError;
}

/** The runtime acting for a flow: one that needs no approval, a self-extension within its maximum, an extension's end. */
export const FLOW: SystemActor = { kind: 'system', name: 'flow' };
const RECORD_CHECK: SystemActor = { kind: 'system', name: 'record-check' };
/** Conflicting writers on one request settle within a few rounds; more means something is wrong. */
const MAX_ATTEMPTS = 8;

/**
 * What the request service's verbs share: the store, read through the seal (a record is verified before it is acted
 * on) and written sealed, each transition one conditional write at the version read; the publishing of state changes;
 * the notifier; the clock.
 */
export class RecordKeeper {
  readonly now: () => Date;
  readonly newRequestId: () => string;
  private readonly notifier: RequestNotifier;

  constructor(readonly options: RequestServiceOptions) {
    this.now = options.now ?? (() => new Date());
    this.notifier = options.notifier ?? silentNotifier;
    this.newRequestId = options.newRequestId ?? (() => `r-${randomBytes(8).toString('hex')}`);
  }

  /** Stores a new request, sealed, publishes its creation and tells of it as `transition`. */
  async create(record: AccessRequest, transition: RequestAction): Promise<AccessRequest> {
    // The store keeps a new request at version 1.
    const created = await this.options.store.create(await this.sealed(this.recorded(undefined, record), 1));
    await this.publish(created);
    await this.tell(created, transition);
    return created;
  }

  async find(id: string): Promise<AccessRequest> {
    const found = await this.options.store.get(id);
    if (found === undefined) throw new RequestError('unknown-request', `no request with id ${quoteForMessage(id)}`);
    return found;
  }

  /** The request as stored, for a decision: one whose MAC does not verify is failed as tampered and refused (409). */
  async read(id: string): Promise<AccessRequest> {
    const found = await this.find(id);
    if (!(await this.options.seal.verify(found))) {
      const error = tamperedError(found);
      await this.refuse(found, error);
      throw error;
    }
    return found;
  }

  /** A request for display: marked `tampered` when its MAC does not verify, never acted on. */
  async checked(r: AccessRequest): Promise<ReadRequest> {
    return (await this.options.seal.verify(r)) ? r : { ...r, tampered: true };
  }

  /**
   * Reads the request, lets `change` decide the next one (or throw why not, or return undefined for no write), and
   * writes it at the version read. Another writer in between means reading and deciding again.
   */
  async transition(id: string, change: (r: AccessRequest, now: Date) => Promise<AccessRequest | undefined>): Promise<AccessRequest> {
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(id);
      const next = await change(current, this.now());
      if (next === undefined) return current;
      let written: AccessRequest;
      try {
        written = await this.options.store.update(await this.sealed(this.recorded(current, next)));
      } catch (error) {
        if (!(error instanceof StoreConflictError) || attempt >= MAX_ATTEMPTS) throw error;
        continue;
      }
      await this.publish(written);
      return written;
    }
  }

  /**
   * Fails a refused record, with a history entry naming why, sealed afresh, and reports it. Marking it is the lesser
   * part: a record changed meanwhile, too malformed to seal or store, or a write that fails, leaves it as it is, and
   * it is refused (and reported) again whenever it is next read. The refusal itself always stands.
   */
  async refuse(r: AccessRequest, error: RequestError, now = this.now()): Promise<AccessRequest> {
    let failed = r;
    try {
      const history = Array.isArray(r.history) ? r.history : [];
      failed = await this.options.store.update(
        await this.sealed(
          this.recorded(r, { ...r, state: 'failed', history: [...history, entry('fail', RECORD_CHECK, now, `${error.code}: ${error.message}`)] }),
        ),
      );
      await this.publish(failed);
    } catch {
      // As said above: not marked this time.
    }
    this.options.onRecordRefused?.(failed, error);
    if (failed !== r) await this.tell(failed, 'fail');
    return failed;
  }

  /**
   * Puts the request's unpublished state changes on the bus, in order, and then forgets them. Never throws: a failure
   * is reported and the changes stay recorded for the sweep. True when they went out.
   */
  async publish(r: AccessRequest): Promise<boolean> {
    const events = this.options.events;
    if (events === undefined || r.unpublished === undefined || r.unpublished.length === 0) return false;
    try {
      const attested = attestedTransitions(r);
      if (attested.length === 0) {
        // Nothing the record vouches for: the list is dropped, and nothing counts as published.
        await this.options.store.published(r.id, r.version);
        return false;
      }
      await events.publish(attested.map((t) => requestEvent(r, t)));
    } catch (error) {
      this.options.onEventsFailure?.(r, error);
      return false;
    }
    try {
      await this.options.store.published(r.id, r.version);
    } catch {
      // Still recorded: the sweep sends them again, and `eventId` tells the repeats apart.
    }
    return true;
  }

  async tell(request: AccessRequest, transition: RequestAction): Promise<void> {
    try {
      await this.notifier.notify(request, transition);
    } catch (error) {
      this.options.onNotifyFailure?.(request, error);
    }
  }

  /** `r` with the MAC of the record as the store will keep it: at `storedVersion` (the store adds one on update). */
  private async sealed(r: AccessRequest, storedVersion = r.version + 1): Promise<AccessRequest> {
    return { ...r, mac: await this.options.seal.seal({ ...r, version: storedVersion }) };
  }

  /**
   * `next` with its state change, if it makes one, added to the changes not yet published, so the write that makes
   * the change records it too. The change is by the actor and at the time of `next`'s last history entry (every
   * state change appends one). `current` is the request as read, undefined for a new one.
   */
  private recorded(current: AccessRequest | undefined, next: AccessRequest): AccessRequest {
    if (this.options.events === undefined || (current !== undefined && current.state === next.state)) return next;
    const last = next.history[next.history.length - 1];
    const change = { state: next.state, version: current === undefined ? 1 : current.version + 1, actor: last.actor, at: last.at };
    return { ...next, unpublished: [...(Array.isArray(next.unpublished) ? next.unpublished : []), change] };
  }
}

export function decided(r: AccessRequest, action: string): RequestError {
  return new RequestError('already-decided', `request ${r.id} is ${r.state}; cannot ${action} it`);
}

export function tamperedError(r: AccessRequest): RequestError {
  return new RequestError(
    'tampered',
    `request ${r.id}: its stored record does not carry a valid MAC, so it was written or changed outside the runtime; it is not acted on`,
  );
}

/** The requester and the login their grant goes to, for the approval rules. */
export function partyOf(r: AccessRequest): RequestParty {
  return { email: r.requester.email, login: r.login };
}

export function entry(action: RequestAction, actor: HistoryActor, at: Date, detail?: string): HistoryEntry {
  return detail === undefined ? { action, actor, at: at.toISOString() } : { action, actor, at: at.toISOString(), detail };
}
