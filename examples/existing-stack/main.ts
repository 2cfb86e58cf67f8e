// Adding just-in-time Tailscale access to a stack that already exists, with its own backend, an aliased AWS
// provider with default tags, and resources of its own. The constructs take the stack's provider and create none.
// In your own code, import from 'symtail'.
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, S3Backend, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymStrategy, SymTarget } from '../../lib';

/** The stack as the platform team had it before. */
export class PlatformStack extends TerraformStack {
  readonly aws: AwsProvider;
  /** Encrypts the team's secrets, the Tailscale credential among them. */
  readonly secretsKey: KmsKey;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    new S3Backend(this, {
      bucket: 'acme-terraform-state',
      key: 'platform/access.tfstate',
      region: 'eu-west-1',
      encrypt: true,
      dynamodbTable: 'acme-terraform-locks',
    });
    this.aws = new AwsProvider(this, 'aws', {
      alias: 'platform',
      region: 'eu-west-1',
      defaultTags: [{ tags: { Team: 'platform', ManagedBy: 'terraform' } }],
    });
    this.secretsKey = new KmsKey(this, 'secrets_key', {
      description: 'Encrypts the platform team secrets',
      enableKeyRotation: true,
      provider: this.aws,
    });
  }
}

const environmentName = 'platform';

/** The symtail constructs, added to the existing stack with its provider. */
export function addJustInTimeAccess(stack: PlatformStack): SymRuntime {
  const secrets = new SymSecrets(stack, 'sym_secrets', {
    name: `${environmentName}-sym-secrets`,
    environment: environmentName,
    provider: stack.aws,
  });
  // An OAuth client does not expire as API keys do. Set its value with:
  // aws secretsmanager put-secret-value --secret-id "sym/platform/tailscale-oauth-client" \
  //   --secret-string '{"client_id":"...","client_secret":"..."}'
  const oauthClient = new SymSecret(stack, 'tailscale_oauth_client', {
    source: secrets,
    path: 'tailscale-oauth-client',
    description: 'Tailscale OAuth client (policy_file scope) for just-in-time access',
    kmsKeyId: stack.secretsKey.arn,
  });
  const tailnet = new SymIntegration(stack, 'tailscale', {
    name: 'platform-tailnet',
    externalId: '-', // the OAuth client's own tailnet
    settings: { oauthClientSecret: oauthClient },
    identityOverrides: { 'dana@example.com': 'dana-example@github' },
  });
  const dbAdmins = new SymTarget(stack, 'db_admins', {
    name: 'platform-db-admins',
    label: 'Database administrators',
    settings: { groupName: 'db-admins' },
    maxDuration: '4h',
    exclusive: true, // nobody holds this group for good
  });
  const strategy = new SymStrategy(stack, 'tailscale_strategy', {
    name: 'platform-tailscale-strategy',
    integration: tailnet,
    targets: [dbAdmins],
  });
  const breakGlass = new SymFlow(stack, 'break_glass', {
    name: 'platform-break-glass',
    label: 'Break-glass database access',
    params: {
      strategy,
      durations: ['15m', '1h', '4h'],
      allowedRequesters: ['@example.com'],
      // The standing members of group:sre in the tailnet policy file approve, read when they vote: someone granted
      // group:sre just in time never can. Two of them for break-glass.
      approverGroups: ['sre'],
      requiredApprovals: 2,
    },
  });
  return new SymRuntime(stack, 'access_runtime', {
    environment: environmentName,
    flows: [breakGlass],
    provider: stack.aws,
    kmsKeyArns: [stack.secretsKey.arn],
    logRetentionDays: 90,
    // The team's alerts topic, which on-call already watches, hears of the runtime's alarms too.
    alarmActions: ['arn:aws:sns:eu-west-1:111122223333:platform-alerts'],
    // The platform team's CI role acts as its own service identity; engineers come through IAM Identity Center
    // with the Engineers permission set, in this account and the shared-tools account.
    principals: [
      { arn: 'arn:aws:iam::111122223333:role/platform-ci', email: 'platform-ci@example.com' },
      { identityCenter: { accounts: ['111122223333', '444455556666'], permissionSets: ['Engineers'] } },
    ],
  });
}

/** Builds the existing stack with the constructs added into `app`. */
export function buildExistingStack(app: App, stackId = 'platform'): PlatformStack {
  const stack = new PlatformStack(app, stackId);
  addJustInTimeAccess(stack);
  return stack;
}

if (require.main === module) {
  const app = new App();
  buildExistingStack(app);
  app.synth();
}
