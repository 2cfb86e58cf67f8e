import { EditResult, refuseOtherMemberChanges } from '../policy';
import type { TailscaleClient } from '../tailscale';

/** One change to the policy text; throws when it cannot apply (unknown group, bad login, ...). */
export type PolicyEdit = (text: string) => EditResult;

/** One edit's outcome inside the write that carried it. */
export interface AppliedEdit {
  readonly result: EditResult;
  readonly etagBefore: string;
  /** Undefined when the write's answer carried no ETag: written, new ETag unknown. */
  readonly etagAfter: string | undefined;
  /** False when the batch changed nothing, so no POST was made. */
  readonly written: boolean;
  /** How many edits shared this read and write. */
  readonly batchSize: number;
  /** Requests to the policy-file API of the update that carried it (shared by its batch). */
  readonly roundTrips: number;
  /** True when it was written on the text kept from the last read or write, with no read of its own. */
  readonly cached: boolean;
}

interface Pending {
  readonly edit: PolicyEdit;
  readonly optimistic: boolean;
  readonly resolve: (applied: AppliedEdit) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Refusals one edit of a batch can cause, so each edit is then tried alone: the server's final refusal of the new
 * policy (invalid policy, failing `tests`), and an edit that would change a member it does not name.
 */
const ONE_EDIT_REFUSALS: readonly unknown[] = ['policy-refused', 'other-member-changed'];

/**
 * Serialises the edits of one tailnet inside one process. Edits that arrive while a write is in flight wait
 * and then share a single read and a single write, so N concurrent escalations cost about two round trips
 * instead of 2N plus conflicts. Cross-process races are still settled by the client's If-Match retries.
 */
export class TailnetAccess {
  private queue: Pending[] = [];
  private draining = false;

  constructor(
    readonly client: TailscaleClient,
    readonly tailnet: string,
  ) {}

  /**
   * Writes `edit`. `optimistic`: on the text and ETag the client kept from its last read or write, when it has them
   * (see `TailscaleClient.updatePolicy`); an edit that must judge the live file (the sweep) leaves it false, and a
   * batch holding one such edit reads first.
   */
  apply(edit: PolicyEdit, options: { optimistic?: boolean } = {}): Promise<AppliedEdit> {
    return new Promise((resolve, reject) => {
      this.queue.push({ edit, optimistic: options.optimistic === true, resolve, reject });
      if (!this.draining) void this.drain();
    });
  }

  /** Applies an edit to the current file without writing it. */
  async preview(edit: PolicyEdit): Promise<{ before: string; result: EditResult; etag: string }> {
    const { text, etag } = await this.client.getPolicy(this.tailnet);
    return { before: text, result: edit(text), etag };
  }

  read(): Promise<{ text: string; etag: string }> {
    return this.client.getPolicy(this.tailnet);
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0);
        try {
          await this.write(batch);
        } catch (error) {
          // One edit can make the server refuse the whole file (a failing `tests` entry); it must not sink the
          // others that shared its write, so each is retried alone and only the culprit fails.
          if (ONE_EDIT_REFUSALS.includes((error as { code?: unknown }).code) && batch.length > 1) {
            for (const single of batch) await this.write([single]).catch(single.reject);
          } else {
            for (const p of batch) p.reject(error);
          }
        }
      }
    } finally {
      this.draining = false;
    }
  }

  private async write(batch: Pending[]): Promise<void> {
    let outcomes: (EditResult | { error: unknown })[] = [];
    const update = await this.client.updatePolicy(
      this.tailnet,
      (text) => {
        // Re-run on every 412: each attempt starts from the freshly read text. On a kept copy, an edit that fails here
        // stands only if the batch's write is accepted (If-Match then proves the copy was the live file); when nothing
        // is written, the client reads and this runs again.
        outcomes = [];
        let current = text;
        for (const p of batch) {
          try {
            const result = p.edit(current);
            outcomes.push(result);
            current = result.text;
          } catch (error) {
            outcomes.push({ error });
          }
        }
        return current === text ? null : current;
      },
      {
        optimistic: batch.every((p) => p.optimistic),
        check: (read, sending) => {
          // What is sent is formatted as Tailscale stores it: no member an edit does not name may read differently there.
          const changes = outcomes.flatMap((o) => ('error' in o ? [] : o.changes));
          refuseOtherMemberChanges(read, sending, changes);
        },
      },
    );
    batch.forEach((p, i) => {
      const outcome = outcomes[i];
      if ('error' in outcome) {
        p.reject(outcome.error);
        return;
      }
      p.resolve({
        result: outcome,
        etagBefore: update.etagBefore,
        etagAfter: update.etagAfter,
        written: update.written,
        batchSize: batch.length,
        roundTrips: update.roundTrips,
        cached: update.cached,
      });
    });
  }
}
