import { IntegrationManifest } from '../manifest';
import { validateLogin } from '../policy';
import { RequestRejectedError } from './errors';

/** Requester email → tailnet login: the integration's override map, else the email itself; always validated. */
export function loginFor(integration: IntegrationManifest, email: string): string {
  const override = integration.identityOverrides[email.toLowerCase()];
  return validateLogin(override ?? email, override === undefined ? 'requester.email' : `identityOverrides["${email.toLowerCase()}"]`);
}

/**
 * Refuses a requester email with any character outside printable ASCII. Case folding maps some of them onto ASCII
 * letters (U+212A KELVIN SIGN lower-cases to "k"), so `Kevin@…` written with it would pass for `kevin@…` in
 * `allowedRequesters` and `identityOverrides`.
 */
export function checkAsciiEmail(email: string): void {
  const at = email.search(/[^\x21-\x7e]/);
  if (at < 0) return;
  const code = email.codePointAt(at)!.toString(16).toUpperCase().padStart(4, '0');
  throw new RequestRejectedError(
    'invalid-email',
    `requester.email: expected printable ASCII only, got U+${code} at position ${at}; letters outside ASCII can fold into another person's address`,
  );
}
