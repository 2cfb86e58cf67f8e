import { basicAuthorization, TailscaleCredential } from './credential';
import { Deadline } from './deadline';
import { OAuthTokenSource } from './oauth-token';
import { Transport } from './transport';

/** Supplies the Authorization header and hears when the server refused it. */
export interface Authorizer {
  authorization(deadline: Deadline): Promise<string>;
  /** After a 401 with `authorization`: true when a fresh credential is worth one more try. */
  refused(authorization: string): boolean;
  /** Every value that must never appear in an error message. */
  secrets(): readonly string[];
}

class ApiKeyAuthorizer implements Authorizer {
  private readonly header: string;

  constructor(private readonly apiKey: string) {
    this.header = basicAuthorization(apiKey);
  }

  async authorization(): Promise<string> {
    return this.header;
  }

  refused(): boolean {
    return false;
  }

  secrets(): readonly string[] {
    return [this.apiKey, this.header.slice('Basic '.length)];
  }
}

class OAuthAuthorizer implements Authorizer {
  constructor(
    private readonly clientSecret: string,
    private readonly tokens: OAuthTokenSource,
  ) {}

  async authorization(deadline: Deadline): Promise<string> {
    return `Bearer ${await this.tokens.token(deadline)}`;
  }

  refused(authorization: string): boolean {
    this.tokens.drop(authorization.slice('Bearer '.length));
    return true;
  }

  secrets(): readonly string[] {
    return [this.clientSecret, ...this.tokens.issued()];
  }
}

export function authorizerFor(credential: TailscaleCredential, transport: Transport, now: () => number): Authorizer {
  if (credential.kind === 'apiKey') return new ApiKeyAuthorizer(credential.apiKey);
  return new OAuthAuthorizer(credential.clientSecret, new OAuthTokenSource(credential, transport, now));
}
