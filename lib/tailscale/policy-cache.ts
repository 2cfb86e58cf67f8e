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
 */
export class PolicyCache {
  private readonly known = new Map<string, KnownPolicy>();

  constructor(
    private readonly maxAgeMs: number,
    private readonly now: () => number,
  ) {}

  /** The text and ETag last seen of `tailnet`, unless older than the bound. */
  get(tailnet: string): { text: string; etag: string } | undefined {
    const entry = this.known.get(tailnet);
    if (entry === undefined) return undefined;
    if (this.now() - entry.at > this.maxAgeMs) {
      this.known.delete(tailnet);
      return undefined;
    }
    return { text: entry.text, etag: entry.etag };
  }

  /** After a read (the text as received) or a write (the canonical text as sent, which is what Tailscale stores). */
  set(tailnet: string, text: string, etag: string): void {
    if (this.maxAgeMs > 0) this.known.set(tailnet, { text, etag, at: this.now() });
  }

  /** After a 412 or any write whose outcome or new ETag is unknown. */
  drop(tailnet: string): void {
    this.known.delete(tailnet);
  }
}
