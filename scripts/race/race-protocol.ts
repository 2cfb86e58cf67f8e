/** The first line a race worker prints, once it can take actions. */
export const READY = 'ready';

/** One action for a race worker: approve the request as its approver, or revoke it as its requester. */
export interface RaceJob {
  readonly id: string;
  readonly role: 'approve' | 'revoke';
  /** The actor's email: the approver's, or the requester's. */
  readonly email: string;
  /** How long the worker waits before acting. */
  readonly jitterMs: number;
}

/** What one action answered: the request's state afterwards, or `error:<code>: <message>`. */
export interface RaceJobResult {
  readonly id: string;
  readonly role: RaceJob['role'];
  readonly outcome: string;
  /** From the action's start (its first try, after the jitter) to its answer. */
  readonly ms: number;
}
