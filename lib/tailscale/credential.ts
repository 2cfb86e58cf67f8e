import { TailscaleApiError } from './errors';

/** An API key (Basic auth, the key as user name) or an OAuth client (client-credentials tokens). */
export type TailscaleCredential = { kind: 'apiKey'; apiKey: string } | { kind: 'oauthClient'; clientId: string; clientSecret: string };

function invalid(detail: string): TailscaleApiError {
  return new TailscaleApiError({ code: 'invalid-argument', operation: 'configure client', detail });
}

function requireToken(value: unknown, field: string): string {
  // Header-safe: printable ASCII only, so the value can never split or inject a header line.
  if (typeof value !== 'string' || !/^[\x21-\x7e]+$/.test(value)) {
    throw invalid(`${field}: expected a non-empty string of printable ASCII without spaces`);
  }
  return value;
}

/** Checks an untrusted credential; errors name the field, never its value. */
export function validateCredential(value: unknown): TailscaleCredential {
  const c = value as Partial<Record<string, unknown>> | null;
  if (typeof c !== 'object' || c === null) throw invalid('credential: expected an object');
  if (c.kind === 'apiKey') return { kind: 'apiKey', apiKey: requireToken(c.apiKey, 'credential.apiKey') };
  if (c.kind === 'oauthClient') {
    return {
      kind: 'oauthClient',
      clientId: requireToken(c.clientId, 'credential.clientId'),
      clientSecret: requireToken(c.clientSecret, 'credential.clientSecret'),
    };
  }
  throw invalid('credential.kind: expected "apiKey" or "oauthClient"');
}

export function basicAuthorization(userName: string): string {
  return `Basic ${Buffer.from(`${userName}:`).toString('base64')}`;
}
