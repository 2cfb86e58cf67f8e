import { IntegrationManifest } from '../manifest';
import { validateLogin } from '../policy';

/** Requester email → tailnet login: the integration's override map, else the email itself; always validated. */
export function loginFor(integration: IntegrationManifest, email: string): string {
  const override = integration.identityOverrides[email.toLowerCase()];
  return validateLogin(override ?? email, override === undefined ? 'requester.email' : `identityOverrides["${email.toLowerCase()}"]`);
}
