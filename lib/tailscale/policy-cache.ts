/** A tailnet's policy file as a client last saw it: its text, its ETag as received, and when. */
interface KnownPolicy {
  readonly text: string;
  readonly etag: string;
  readonly at: number;
}

/**
 * What one client (one API origin, one credential) last read or wrote of each tailnet's policy file, kept at most
 * `maxAgeMs`. It is only ever a guess: a write based on it carries its ETag as `If-Match`, so a file changed since
 * is refused with a 412 and read again, never overwritten. The bound keeps a long-idle client from sending a whole
 * file on an ETag that is almost surely stale; 0 keeps nothing.
 *
 * A guess is worth making only when it is usually right: a write on a live copy costs one request, on a stale one
 * three (the 412, the read, the write), against two for reading first. So each copy is judged when the truth comes
 * out (a write on it accepted or refused with a 412, or a read that finds the same ETag or another), and after a copy
 * found stale the next edit reads first; the read judges the copy it replaces, so the guess resumes as soon as other
 * writers pause. Many containers granting in one tailnet read first; one container, or a quiet tailnet, does not.
 */
export class PolicyCache {
  private readonly known = new Map<string, KnownPolicy>();
  /** Whether the last copy of each tailnet that was judged was still the live file. */
  private readonly lastLive = new Map<string, boolean>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** The copy of `tailnet` to write on: young enough, and the last copy judged was live. */
  usable(tailnet: string): { text: string; etag: string } | undefined {
    if (this.lastLive.get(tailnet) === false) return undefined;
    const entry = this.young(tailnet);
    return entry === undefined ? undefined : { text: entry.text, etag: entry.etag };
  }

  /** A read of the live file: judges the copy it replaces (if it was young enough to be used), then keeps it. */
  read(tailnet: string, text: string, etag: string): void {
    const before = this.young(tailnet);
    if (before !== undefined) this.lastLive.set(tailnet, before.etag === etag);
    this.keep(tailnet, text, etag);
  }

  /** A write the tailnet accepted: the canonical text as sent (which is what Tailscale stores) and the answer's ETag. */
  wrote(tailnet: string, text: string, etag: string): void {
    this.keep(tailnet, text, etag);
  }

  /** What a write on the copy proved: live (accepted) or stale (412). */
  judge(tailnet: string, live: boolean): void {
    this.lastLive.set(tailnet, live);
  }

  /** After a 412 or any write whose outcome or new ETag is unknown. */
  drop(tailnet: string): void {
    this.known.delete(tailnet);
  }

  private young(tailnet: string): KnownPolicy | undefined {
    const entry = this.known.get(tailnet);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at <= this.maxAgeMs) return entry;
    this.known.delete(tailnet);
    return undefined;
  }

  private keep(tailnet: string, text: string, etag: string): void {
    if (this.maxAgeMs > 0) this.known.set(tailnet, { text, etag, at: this.now() });
  }
}
