/** A key's expiry is asked of the API at most this often per container: the sweep runs every minute. */
export const EXPIRY_CHECK_INTERVAL_MS = 60 * 60_000;

/** What one read of a key's expiry gave: the time (undefined for a key that does not expire), or the error the read met. */
export type KeyExpiryReading = { readonly expires: string | undefined } | { readonly error: unknown };

/**
 * Each key's expiry as last read, kept for {@link EXPIRY_CHECK_INTERVAL_MS}. A failed read is kept as long, so an
 * unreachable API costs one extra request an hour, not one a minute. `fresh` says whether this call read the API.
 */
export class KeyExpiryCache {
  private readonly entries = new Map<string, { readAt: number; reading: KeyExpiryReading }>();

  async read(key: string, nowMs: number, fetch: () => Promise<string | undefined>): Promise<KeyExpiryReading & { readonly fresh: boolean }> {
    const hit = this.entries.get(key);
    if (hit !== undefined && nowMs - hit.readAt < EXPIRY_CHECK_INTERVAL_MS) return { ...hit.reading, fresh: false };
    let reading: KeyExpiryReading;
    try {
      reading = { expires: await fetch() };
    } catch (error) {
      reading = { error };
    }
    this.entries.set(key, { readAt: nowMs, reading });
    return { ...reading, fresh: true };
  }
}

/** The warning an operator reads in the sweep's answer; names the integration and tailnet, never the key. */
export function expiryWarning(integration: string, tailnet: string, expires: string, daysLeft: number): string {
  const when = daysLeft >= 0 ? `expires in ${daysLeft} day${daysLeft === 1 ? '' : 's'} (${expires})` : `expired on ${expires}`;
  return `integration "${integration}" (tailnet ${tailnet}): its Tailscale API key ${when}; put a new key in its secret, or move to an OAuth client, which does not expire`;
}
