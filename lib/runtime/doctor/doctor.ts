import type { IntegrationManifest, Manifest, SecretRef, TargetManifest } from '../../manifest';
import type { MacKey, SweepRecord } from '../../requests';
import type { SlackTokenIdentity } from '../../slack';
import type { TailscaleClientOptions, TailscaleCredential } from '../../tailscale';
import { AuditSink, stdoutAuditSink } from '../audit';
import { credentialFromSecret, textFromSecret } from '../credentials';
import { CheckLine, CheckResult, checkResult, skipped, warned } from './checklist';
import { recordKeyLine, ScheduleSettings, slackLine, sweepLines, SweepRecordReading, tableLine } from './deployment-checks';
import { checkSecret, SecretProbe, SecretUse } from './secret-checks';
import { checkTailnet } from './tailnet-checks';

export interface RuntimeDoctorOptions {
  readonly manifest: Manifest;
  readonly secrets: SecretProbe;
  /** Client settings for the Tailscale API (the invocation's deadline); the base URL and credential come from the manifest. */
  readonly clientOptions?: Omit<TailscaleClientOptions, 'credential' | 'apiBaseUrl'>;
  /** The requests table and the sweep's record in it; absent when the function has none. */
  readonly table?: { readonly name: string; readonly sweepRecord: SweepRecord };
  /** The record key's ARN and the key; absent when `SYMTAIL_RECORD_KEY` is unset. */
  readonly recordKey?: { readonly arn: string; readonly key: MacKey };
  readonly schedule: ScheduleSettings;
  /** Who a Slack bot token is (`auth.test` at `apiUrl`). */
  readonly slackIdentity: (botToken: string, apiUrl: string) => Promise<SlackTokenIdentity>;
  readonly now?: () => Date;
  readonly audit?: AuditSink;
}

/**
 * Answers `{"action":"check"}`: everything the runtime needs, checked the way the runtime uses it, and nothing changed.
 * Secrets are read afresh (never from the caches), the policy file is read and validated but only written with an
 * If-Match no version matches, a grant of each target's group is tried in memory, the requests table is read, and
 * the record key makes and checks a MAC of a probe. One audit line says how it went.
 */
export class RuntimeDoctor {
  private readonly now: () => Date;
  private readonly audit: AuditSink;

  constructor(private readonly options: RuntimeDoctorOptions) {
    this.now = options.now ?? (() => new Date());
    this.audit = options.audit ?? stdoutAuditSink;
  }

  async check(): Promise<CheckResult> {
    const { manifest } = this.options;
    const now = this.now();
    const [tailnets, slack, deployment] = await Promise.all([
      Promise.all(Object.values(manifest.integrations).map((integration) => this.checkIntegration(integration, now))),
      this.checkSlack(),
      this.checkDeployment(now),
    ]);
    const result = checkResult(manifest.environment, [...tailnets.flat(), ...slack, ...deployment]);
    const noted = result.lines.filter((l) => l.status === 'fail' || l.status === 'warn').map((l) => `${l.id}: ${l.detail}`);
    this.audit({
      type: 'symtail.audit',
      time: now.toISOString(),
      action: 'check',
      outcome: result.failed > 0 ? 'failed' : result.warned > 0 ? 'warning' : 'success',
      ...(noted.length > 0 ? { warnings: noted } : {}),
    });
    return result;
  }

  private async checkIntegration(integration: IntegrationManifest, now: Date): Promise<CheckLine[]> {
    const ref = integration.credential;
    const use: SecretUse<TailscaleCredential> = {
      id: `secret:tailscale:${integration.name}`,
      ref,
      ...(ref.kind === 'apiKey'
        ? { what: 'a Tailscale API key', example: 'tskey-api-…' }
        : { what: 'a Tailscale OAuth client', example: '{"client_id":"…","client_secret":"tskey-client-…"}' }),
      parse: (_ref, text) => credentialFromSecret(ref, text),
    };
    const secret = await checkSecret(this.options.secrets, use);
    const lines = await checkTailnet({
      integration,
      targets: this.targetsOf(integration),
      credential: secret.value,
      secretLine: use.id,
      clientOptions: this.options.clientOptions,
      now,
    });
    return [secret.line, ...lines];
  }

  private async checkSlack(): Promise<CheckLine[]> {
    const slack = this.options.manifest.slack;
    if (slack === undefined) return [skipped('slack', 'no Slack app is configured')];
    const text = (id: string, ref: SecretRef, what: string, example: string): SecretUse<string> => ({ id, ref, what, example, parse: textFromSecret });
    const [signing, bot] = await Promise.all([
      checkSecret(
        this.options.secrets,
        text('secret:slack-signing-secret', slack.signingSecret, "the Slack app's signing secret", "<the app's signing secret (Basic Information)>"),
      ),
      checkSecret(this.options.secrets, text('secret:slack-bot-token', slack.botToken, "the Slack app's bot token", 'xoxb-…')),
    ]);
    const token = bot.value;
    const identity = token === undefined ? undefined : () => this.options.slackIdentity(token, slack.apiUrl);
    return [signing.line, bot.line, await slackLine(slack, identity, 'secret:slack-bot-token')];
  }

  private async checkDeployment(now: Date): Promise<CheckLine[]> {
    const { table, recordKey, schedule } = this.options;
    if (table === undefined) {
      return [
        warned(
          'requests-table',
          'the function has no requests table (SYMTAIL_REQUESTS_TABLE is unset): the requests API and Slack are off',
          'deploy the runtime with the SymRuntime construct, which makes the table and sets it',
        ),
        skipped('record-key', 'needs the requests table'),
        ...sweepLines(undefined, schedule, now),
      ];
    }
    const reading: SweepRecordReading = await table.sweepRecord.read().then(
      (times) => ({ times }),
      (error: unknown) => ({ error }),
    );
    return [tableLine(table.name, reading), await recordKeyLine(recordKey?.arn, recordKey?.key), ...sweepLines(reading, schedule, now)];
  }

  /** The targets whose groups are in the integration's tailnet, each once, in manifest order. */
  private targetsOf(integration: IntegrationManifest): TargetManifest[] {
    const { strategies, targets } = this.options.manifest;
    const names = new Set(
      Object.values(strategies)
        .filter((s) => s.integration === integration.name)
        .flatMap((s) => s.targets),
    );
    return Object.values(targets).filter((t) => names.has(t.name));
  }
}
