import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack, Testing } from 'cdktf';
import { Construct } from 'constructs';
import {
  ISymSecret,
  SymFlow,
  SymFlowParams,
  SymIntegration,
  SymRuntime,
  SymRuntimeProps,
  SymSecret,
  SymSecrets,
  SymSlackIntegration,
  SymSlackIntegrationProps,
  SymStrategy,
  SymTarget,
} from '../../lib/constructs';

/** A stack with a default AWS provider, as most apps have. */
export function testStack(app: App = Testing.app()): TerraformStack {
  const stack = new TerraformStack(app, 'stack');
  new AwsProvider(stack, 'aws', { region: 'us-east-1' });
  return stack;
}

/** The parts of the seed's example, built into `scope`; each can be swapped out by the test. */
export interface ModelOptions {
  readonly environment?: string;
  readonly flowParams?: Partial<SymFlowParams>;
  readonly secret?: (source: SymSecrets) => ISymSecret;
  readonly prefix?: string;
  /** The SymSecrets' provider; default: none (the stack's default). */
  readonly secretsProvider?: AwsProvider;
}

export interface Model {
  readonly secrets: SymSecrets;
  readonly secret: ISymSecret;
  readonly integration: SymIntegration;
  readonly prod: SymTarget;
  readonly staging: SymTarget;
  readonly strategy: SymStrategy;
  readonly flow: SymFlow;
}

export function buildModel(scope: Construct, options: ModelOptions = {}): Model {
  const p = options.prefix ?? '';
  const environment = options.environment ?? 'main';
  const secrets = new SymSecrets(scope, `${p}Secrets`, { name: `${environment}-sym-secrets`, environment, provider: options.secretsProvider });
  const secret =
    options.secret?.(secrets) ??
    new SymSecret(scope, `${p}ApiKey`, { source: secrets, path: 'tailscale-api-key', description: 'API Key for Sym to call Tailscale APIs' });
  const integration = new SymIntegration(scope, `${p}Integration`, {
    type: 'tailscale',
    name: `${p}main-tailscale-integration`,
    externalId: 'example.com',
    settings: { apiTokenSecret: secret },
  });
  const prod = new SymTarget(scope, `${p}Prod`, {
    type: 'tailscale_group',
    name: `${p}main-prod-access`,
    label: 'Prod SSH Access',
    settings: { groupName: 'prod' },
  });
  const staging = new SymTarget(scope, `${p}Staging`, {
    name: `${p}main-staging-access`,
    label: 'Staging SSH Access',
    settings: { groupName: 'staging' },
  });
  const strategy = new SymStrategy(scope, `${p}Strategy`, {
    type: 'tailscale',
    name: `${p}main-tailscale-strategy`,
    integration,
    targets: [prod, staging],
  });
  const flow = new SymFlow(scope, `${p}Flow`, {
    name: `${p}tailscale-ssh-access`,
    label: 'Tailscale SSH Access',
    params: { approvers: ['bob@example.com', 'carol@example.com'], strategy, durations: ['30m', '1h'], ...options.flowParams },
  });
  return { secrets, secret, integration, prod, staging, strategy, flow };
}

export function buildRuntime(scope: Construct, model: Model, props: Partial<SymRuntimeProps> = {}, id = 'Runtime'): SymRuntime {
  return new SymRuntime(scope, id, { environment: 'main', flows: [model.flow], principals: [{ identityCenter: {} }], ...props });
}

/** Terraform JSON of a stack, parsed. */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown }>;
  readonly provider: Record<string, Array<Record<string, unknown>>>;
  readonly terraform: Record<string, unknown>;
}

export function synthesized(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack, true)) as TerraformJson;
}

/**
 * A policy document as synthesized, parsed. Its Terraform expressions (`${element(split(":", …), 4)}`) may hold
 * quotes Terraform consumes when it interpolates them, before the text is JSON; they are read here as they will be.
 */
export function parsedPolicy(text: unknown): { Version: string; Statement: Array<Record<string, unknown>> } {
  return JSON.parse(String(text).replace(/\$\{[^}]*\}/g, (expression) => expression.replace(/"/g, '\\"')));
}

/** The only resource of `type` in `json`. */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

/** The error `build` throws, or a test failure when it throws none. */
export function thrownBy(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error, none was thrown');
}

/** A Slack app for the model's environment, with its two secrets. */
export function buildSlack(scope: Construct, model: Model, props: Partial<SymSlackIntegrationProps> = {}): SymSlackIntegration {
  return new SymSlackIntegration(scope, 'Slack', {
    name: 'main-slack',
    externalId: 'T0WORKSPACE',
    settings: {
      appId: 'A0SYMTAIL',
      signingSecret: new SymSecret(scope, 'SlackSigningSecret', { source: model.secrets, path: 'slack-signing-secret' }),
      botTokenSecret: new SymSecret(scope, 'SlackBotToken', { source: model.secrets, path: 'slack-bot-token' }),
    },
    ...props,
  });
}

/** The ARN of the default EventBridge bus of the account and region of `logGroupArn` (a `${…}` reference), as Terraform computes it. */
export function defaultEventBusOf(logGroupArn: string): string {
  const field = (i: number) => `\${element(split(":", ${logGroupArn.slice(2, -1)}), ${i})}`;
  return `arn:${field(1)}:events:${field(3)}:${field(4)}:event-bus/default`;
}
