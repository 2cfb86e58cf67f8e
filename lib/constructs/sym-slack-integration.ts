import { Construct } from 'constructs';
import { DEFAULT_SLACK_API_URL, SlackManifest } from '../manifest';
import { isSymSecret, ISymSecret, manifestSecretRef } from './secret-reference';
import { SLACK_API_URL, SLACK_APP_ID, SLACK_TEAM_ID, SYM_NAME } from './text-rules';
import { describeValue, PropProblems } from './validation';

/** Sym's `settings` of a `slack` integration: the app, and the two secrets Slack issues it. */
export interface SymSlackIntegrationSettings {
  /** The Slack app's id (Basic Information → App ID, `A…`); payloads for any other app are refused. Required. */
  readonly appId: string;
  /** A secret holding the app's signing secret; every request from Slack is checked against it. Required. */
  readonly signingSecret: ISymSecret;
  /** A secret holding the app's bot token (`xoxb-…`, scopes `commands`, `chat:write`, `users:read`, `users:read.email`). Required. */
  readonly botTokenSecret: ISymSecret;
}

export interface SymSlackIntegrationProps {
  /**
   * Sym's `type`.
   * @default `'slack'`, the only type this construct takes
   */
  readonly type?: string;
  /** Sym's `name`. Required. */
  readonly name: string;
  /**
   * Sym's `external_id`: where the app is installed. A workspace id (`T…`) when the app is installed in one workspace:
   * payloads of any other workspace are refused. An Enterprise Grid organization id (`E…`) when it is installed
   * org-wide: any workspace of that organization is served, other organizations and workspaces outside Grid are
   * refused. Required.
   */
  readonly externalId: string;
  /** Sym's `settings`. Required. */
  readonly settings: SymSlackIntegrationSettings;
  /**
   * Slack Web API URL.
   * @default `https://slack.com/api/`
   */
  readonly apiUrl?: string;
}

/** `sym_integration` of type `slack`: the Slack app where people request and approve access. */
export class SymSlackIntegration extends Construct {
  readonly type: 'slack';
  readonly name: string;
  readonly externalId: string;
  readonly appId: string;
  readonly apiUrl: string;
  readonly signingSecret: ISymSecret;
  readonly botTokenSecret: ISymSecret;

  constructor(scope: Construct, id: string, props: SymSlackIntegrationProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.type = problems.choice('type', props.type, ['slack'] as const, 'slack');
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.externalId = problems.literal('externalId', props.externalId, SLACK_TEAM_ID) ?? '';
    this.apiUrl = problems.literal('apiUrl', props.apiUrl ?? DEFAULT_SLACK_API_URL, SLACK_API_URL) ?? '';
    const settings: Partial<SymSlackIntegrationSettings> = props.settings ?? {};
    this.appId = problems.literal('settings.appId', settings.appId, SLACK_APP_ID) ?? '';
    this.signingSecret = secret(problems, 'settings.signingSecret', settings.signingSecret);
    this.botTokenSecret = secret(problems, 'settings.botTokenSecret', settings.botTokenSecret);
    if (settings.signingSecret !== undefined && settings.signingSecret === settings.botTokenSecret) {
      problems.add('settings.botTokenSecret', 'is the same secret as settings.signingSecret; Slack issues two different values');
    }
    problems.throwIfAny();
  }

  /** Both secrets: the runtime reads both, the front door only the signing secret. */
  get secrets(): ISymSecret[] {
    return [this.signingSecret, this.botTokenSecret];
  }

  /** The manifest's `slack` entry: it names the secrets, never their values. */
  manifestEntry(): SlackManifest {
    return {
      type: this.type,
      name: this.name,
      externalId: this.externalId,
      appId: this.appId,
      apiUrl: this.apiUrl,
      signingSecret: manifestSecretRef(this.signingSecret),
      botToken: manifestSecretRef(this.botTokenSecret),
    };
  }
}

function secret(problems: PropProblems, prop: string, value: unknown): ISymSecret {
  if (!isSymSecret(value)) problems.add(prop, `expected a SymSecret, got ${describeValue(value)}`);
  return value as ISymSecret;
}
