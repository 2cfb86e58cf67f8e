/**
 * An API access token reads `tskey-api-<keyId>-<secret>`; the id names the key in `/tailnet/{t}/keys/{keyId}`.
 * Undefined for any other text (an OAuth token, a key of an older or unknown shape): its expiry cannot be asked for.
 */
export function apiKeyId(apiKey: string): string | undefined {
  return /^tskey-api-([A-Za-z0-9]+)-[A-Za-z0-9]+$/.exec(apiKey)?.[1];
}
