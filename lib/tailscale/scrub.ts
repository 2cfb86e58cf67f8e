const REDACTED = '[redacted]';

/** Any Tailscale key or token (`tskey-api-…`, `tskey-client-…`, `tskey-auth-…`), in any case, known or not. */
const TSKEY = /tskey-[a-z0-9-]+/gi;
/** `tskey-<kind>-`: shared by every key of a kind, so it says nothing about a particular secret. */
const TSKEY_PREFIX = /^tskey-[a-z]+-/i;
/** A run this long taken from a secret is treated as an echo of it. */
const ECHO_LENGTH = 8;
/** Shorter secrets would redact ordinary words; such a secret is redacted only where it appears whole. */
const MIN_ENCODED_LENGTH = 4;

/**
 * Removes every trace of the secrets a server, a library or a person may echo back: each secret in any case, any
 * run of {@link ECHO_LENGTH} of its characters (a partial echo), its base64 and base64url encodings at any
 * alignment (inside a `Basic` header or a longer encoded string), and any `tskey-…` token at all.
 */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  const spans: [number, number][] = [];
  const lower = text.toLowerCase();
  for (const secret of secrets) {
    if (secret.length === 0) continue;
    markAll(lower, secret.toLowerCase(), spans);
    const tail = secret.replace(TSKEY_PREFIX, '').toLowerCase();
    if (tail.length >= ECHO_LENGTH) {
      const runs = new Set<string>();
      for (let i = 0; i + ECHO_LENGTH <= tail.length; i++) runs.add(tail.slice(i, i + ECHO_LENGTH));
      for (let i = 0; i + ECHO_LENGTH <= lower.length; i++) if (runs.has(lower.slice(i, i + ECHO_LENGTH))) spans.push([i, i + ECHO_LENGTH]);
    }
    if (secret.length >= MIN_ENCODED_LENGTH) for (const core of encodedCores(secret)) markAll(text, core, spans);
  }
  for (const m of text.matchAll(TSKEY)) spans.push([m.index!, m.index! + m[0].length]);
  return redact(text, spans);
}

/** The part of the secret's base64 and base64url encodings that is the same wherever in a byte string it starts. */
function encodedCores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Only the characters whose six bits all come from the secret are the same in every embedding.
    const start = Math.ceil((offset * 4) / 3);
    const end = Math.floor(((offset + bytes.length) * 4) / 3);
    if (end - start < MIN_ENCODED_LENGTH) continue;
    const core = encoded.slice(start, end);
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

function markAll(haystack: string, needle: string, spans: [number, number][]): void {
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) spans.push([at, at + needle.length]);
}

/** Replaces each maximal run of overlapping spans with one marker. */
function redact(text: string, spans: [number, number][]): string {
  if (spans.length === 0) return text;
  spans.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  let current: [number, number] | undefined;
  for (const span of spans) {
    if (current !== undefined && span[0] <= current[1]) {
      current[1] = Math.max(current[1], span[1]);
      continue;
    }
    if (current !== undefined) {
      out += text.slice(from, current[0]) + REDACTED;
      from = current[1];
    }
    current = [span[0], span[1]];
  }
  return out + text.slice(from, current![0]) + REDACTED + text.slice(current![1]);
}
