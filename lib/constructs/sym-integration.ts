import { Construct } from 'constructs';
import { CredentialRef, IntegrationManifest } from '../manifest';
import { isSymSecret, ISymSecret, manifestSecretRef } from './secret-reference';
import { API_ORIGIN, SYM_NAME, SYM_TYPE, TAILNET, TAILNET_LOGIN } from './text-rules';
import { describeValue, PropProblems } from './validation';

/** Sym's `settings` of a `tailscale` integration: exactly one credential. */
export interface SymIntegrationSettings {
  /**
   * Sym's `api_token_secret`: a secret holding a Tailscale API key.
   * @default none; give this or `oauthClientSecret`
   */
  readonly apiTokenSecret?: ISymSecret;
  /**
   * A secret holding a Tailscale OAuth client as JSON `{"client_id", "client_secret"}` (OAuth clients do not expire).
   * @default none; give this or `apiTokenSecret`
   */
  readonly oauthClientSecret?: ISymSecret;
}

export interface SymIntegrationProps {
  /**
   * Sym's `type`.
   * @default `'tailscale'`; other Sym integration types cannot drive a `tailscale` strategy
   */
  readonly type?: string;
  /** Sym's `name`, unique among the integrations of one runtime. Required. */
  readonly name: string;
  /** Sym's `external_id`: the tailnet name, or `-` for the credential's default tailnet. Required. */
  readonly externalId: string;
  /** Sym's `settings`: the credential. Required. */
  readonly settings: SymIntegrationSettings;
  /**
   * Tailscale API origin (scheme and host, no path).
   * @default `https://api.tailscale.com`
   */
  readonly apiBaseUrl?: string;
  /**
   * Requester email → tailnet login, for people whose login differs from their email.
   * @default `{}` (the login is the email)
   */
  readonly identityOverrides?: Readonly<Record<string, string>>;
}

export const DEFAULT_TAILSCALE_API = 'https://api.tailscale.com';
const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `sym_integration` of type `tailscale`: which tailnet, with which credential. */
export class SymIntegration extends Construct {
  readonly type: string;
  readonly name: string;
  readonly externalId: string;
  readonly apiBaseUrl: string;
  /** The secret holding the credential. */
  readonly credentialSecret: ISymSecret;
  readonly credentialKind: CredentialRef['kind'];
  /** Keyed by lower-case email. */
  readonly identityOverrides: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: SymIntegrationProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.type = problems.literal('type', props.type ?? 'tailscale', SYM_TYPE) ?? '';
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.externalId = problems.literal('externalId', props.externalId, TAILNET) ?? '';
    this.apiBaseUrl = problems.literal('apiBaseUrl', props.apiBaseUrl ?? DEFAULT_TAILSCALE_API, API_ORIGIN) ?? '';
    const { apiTokenSecret, oauthClientSecret } = props.settings ?? {};
    if ((apiTokenSecret === undefined) === (oauthClientSecret === undefined)) {
      problems.add('settings', `expected exactly one of apiTokenSecret and oauthClientSecret, got ${apiTokenSecret ? 'both' : 'neither'}`);
    }
    const [credentialProp, credential] = apiTokenSecret ? ['apiTokenSecret', apiTokenSecret] : ['oauthClientSecret', oauthClientSecret];
    if (credential !== undefined && !isSymSecret(credential)) {
      problems.add(`settings.${credentialProp}`, `expected a SymSecret, got ${describeValue(credential)}`);
    }
    this.credentialSecret = credential as ISymSecret;
    this.credentialKind = apiTokenSecret ? 'apiKey' : 'oauthClient';
    this.identityOverrides = checkedOverrides(problems, props.identityOverrides);
    problems.throwIfAny();
  }

  /** This integration's entry in the manifest: it names the credential's secret, never its value. */
  manifestEntry(): IntegrationManifest {
    return {
      type: this.type as IntegrationManifest['type'],
      name: this.name,
      externalId: this.externalId,
      apiBaseUrl: this.apiBaseUrl,
      credential: { kind: this.credentialKind, ...manifestSecretRef(this.credentialSecret) },
      identityOverrides: this.identityOverrides,
    };
  }
}

function checkedOverrides(problems: PropProblems, overrides: unknown): Record<string, string> {
  if (overrides === undefined) return {};
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    problems.add('identityOverrides', `expected an object of email → tailnet login, got ${describeValue(overrides)}`);
    return {};
  }
  const byEmail: Record<string, string> = {};
  for (const [email, value] of Object.entries(overrides)) {
    const prop = `identityOverrides[${JSON.stringify(email)}]`;
    const key = email.toLowerCase();
    if (!EMAIL.test(email)) problems.add(prop, 'expected an email address as the key');
    else if (key in byEmail) problems.add(prop, `the same email as another key (keys are compared without case)`);
    const checked = problems.literal(prop, value, TAILNET_LOGIN);
    if (checked !== undefined) byEmail[key] = checked;
  }
  return byEmail;
}
