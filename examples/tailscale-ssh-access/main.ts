// Sym's "Tailscale SSH Access" example as a CDKTF app: each construct is one resource of the HCL example, with
// the same names (construct ids follow the HCL resource labels). In your own code, import from 'symtail'.
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { App, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymStrategy, SymTarget } from '../../lib';

/** Sym's `local.environment_name`. */
const environmentName = 'main';

/** What the example may add to Sym's: incident-day settings, off unless asked for. */
export interface TailscaleSshAccessOptions {
  /** PagerDuty schedules whose on-call engineers are approved at once; the token lives in `sym/main/pagerduty-token`. */
  readonly onCallSchedules?: readonly string[];
  /** Allow break-glass requests up to this long. Default: off. */
  readonly breakGlassMaxDuration?: string;
  /** The flow lets requesters extend their own grants up to this long in all, without an approval. Default: none. */
  readonly selfExtensionMaxTotal?: string;
}

/** The whole app: it owns its AWS provider. */
export class TailscaleSshAccessStack extends TerraformStack {
  readonly runtime: SymRuntime;

  constructor(scope: Construct, id: string, options: TailscaleSshAccessOptions = {}) {
    super(scope, id);
    new AwsProvider(this, 'aws', { region: 'us-east-1' });

    const secrets = new SymSecrets(this, 'this', {
      type: 'aws_secrets_manager',
      name: `${environmentName}-sym-secrets`,
      environment: environmentName,
    });

    // Holds the Tailscale API key. Terraform never sees its value; set it with:
    // aws secretsmanager put-secret-value --secret-id "sym/main/tailscale-api-key" --secret-string "YOUR-TAILSCALE-API-KEY"
    const tailscaleApiKey = new SymSecret(this, 'tailscale_api_key', {
      source: secrets,
      path: 'tailscale-api-key',
      description: 'API Key for Sym to call Tailscale APIs',
    });

    const tailscale = new SymIntegration(this, 'tailscale', {
      type: 'tailscale',
      name: 'main-tailscale-integration',
      externalId: 'example.com', // the tailnet
      settings: { apiTokenSecret: tailscaleApiKey },
    });

    const tailscaleProdGroup = new SymTarget(this, 'tailscale_prod_group', {
      type: 'tailscale_group',
      name: 'main-prod-access',
      label: 'Prod SSH Access',
      settings: { groupName: 'prod' },
    });

    const tailscaleStagingGroup = new SymTarget(this, 'tailscale_staging_group', {
      type: 'tailscale_group',
      name: 'main-staging-access',
      label: 'Staging SSH Access',
      settings: { groupName: 'staging' },
    });

    const strategy = new SymStrategy(this, 'tailscale_strategy', {
      type: 'tailscale',
      name: 'main-tailscale-strategy',
      integration: tailscale,
      targets: [tailscaleProdGroup, tailscaleStagingGroup],
    });

    // Whoever is on call now in these PagerDuty schedules is approved at once; everyone else waits for bob or carol.
    const onCall = options.onCallSchedules && {
      pagerDuty: {
        schedules: options.onCallSchedules,
        tokenSecret: new SymSecret(this, 'pagerduty_token', { source: secrets, path: 'pagerduty-token', description: 'PagerDuty REST API token (read-only)' }),
      },
    };

    const flow = new SymFlow(this, 'flow', {
      name: 'tailscale-ssh-access',
      label: 'Tailscale SSH Access',
      params: {
        strategy,
        reasonRequired: true,
        durations: ['30m', '1h'],
        // Someone else approves: one approval from bob or carol, never the requester's own, within an hour.
        approvers: ['bob@example.com', 'carol@example.com'],
        requiredApprovals: 1,
        allowSelfApproval: false,
        approvalWindow: '1h',
        ...(onCall && { onCall }),
        ...(options.breakGlassMaxDuration && { breakGlass: { maxDuration: options.breakGlassMaxDuration } }),
        ...(options.selfExtensionMaxTotal && { selfExtension: { maxTotal: options.selfExtensionMaxTotal } }),
      },
    });

    this.runtime = new SymRuntime(this, 'runtime', {
      environment: environmentName,
      flows: [flow],
      // Requests API callers: IAM Identity Center users of the account the function runs in, whose session name
      // is their email.
      principals: [{ identityCenter: {} }],
      // The alarms (failed or stalled sweeps, an expiring key, tampered records) notify an SNS topic of their own
      // (`symtail-main-runtime-alarms`): subscribe the on-call address to it.
      alarmTopic: true,
    });
  }
}

/** Builds the example into `app`; the app below, the tests and the benchmarks share it. */
export function buildTailscaleSshAccess(app: App, stackId = 'tailscale-ssh-access', options: TailscaleSshAccessOptions = {}): TailscaleSshAccessStack {
  return new TailscaleSshAccessStack(app, stackId, options);
}

if (require.main === module) {
  const app = new App();
  buildTailscaleSshAccess(app);
  app.synth();
}
