import type { SlackManifest } from '../../manifest';
import { DEFAULT_SWEEP_ALARM_MINUTES, MacKey, SWEEP_VARIABLES, SweepTimes } from '../../requests';
import type { SlackTokenIdentity } from '../../slack';
import { describeError } from '../errors';
import { age, CheckLine, failed, passed, skipped, warned } from './checklist';

/**
 * A message no request record is ever MAC'd over (records are MAC'd over a 32-byte digest of their canonical form),
 * so its MAC, which the check makes and checks, can never pass for a record's.
 */
export const RECORD_KEY_PROBE = new TextEncoder().encode('symtail doctor: record key probe');

/** What reading the sweep's record gave: the record (undefined before the first sweep), or why it could not be read. */
export type SweepRecordReading = { readonly times: SweepTimes | undefined } | { readonly error: unknown };

/** The `requests-table` line, from the read of the sweep's record (a `GetItem`, which the role has on its table). */
export function tableLine(table: string, reading: SweepRecordReading): CheckLine {
  const id = 'requests-table';
  if (!('error' in reading)) return passed(id, `table ${table} answers`);
  const name = (reading.error as { name?: string }).name ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return failed(
      id,
      `table ${table} does not exist: no request can be made or read`,
      'terraform apply creates it again (its deletion protection is on unless requestsTableDeletionProtection is false); restore its items from its point-in-time recovery if it was deleted',
    );
  }
  if (name === 'AccessDeniedException') {
    return failed(
      id,
      `the function may not read table ${table} (AccessDeniedException)`,
      "terraform apply restores the runtime's role policy and the table's resource policy",
    );
  }
  return failed(
    id,
    `table ${table} could not be read: ${name}: ${describeError(reading.error).message}`,
    'run symtail doctor again; if this stays, look at the table in the DynamoDB console',
  );
}

/** The `record-key` line: a MAC made and checked with the record key, as every request record is sealed and verified. */
export async function recordKeyLine(keyArn: string | undefined, key: MacKey | undefined): Promise<CheckLine> {
  const id = 'record-key';
  if (keyArn === undefined || key === undefined) {
    return failed(
      id,
      'the function has a requests table but no record key (SYMTAIL_RECORD_KEY is unset): every request is refused',
      'deploy the runtime with the SymRuntime construct, which sets it to its KMS HMAC key',
    );
  }
  try {
    const mac = await key.generateMac(RECORD_KEY_PROBE);
    if (await key.verifyMac(RECORD_KEY_PROBE, mac)) return passed(id, `KMS key ${keyArn} makes and verifies MACs (HMAC_SHA_256)`);
    return failed(
      id,
      `KMS key ${keyArn} made a MAC it does not verify`,
      'the key must be an HMAC_256 key with usage GENERATE_VERIFY_MAC: terraform apply restores it',
    );
  } catch (error) {
    const message = describeError(error).message;
    const fix = /DisabledException/.test(message)
      ? `enable it: aws kms enable-key --key-id ${keyArn}`
      : /NotFoundException|pending deletion|KMSInvalidStateException/i.test(message)
        ? `if its deletion is pending, cancel it (aws kms cancel-key-deletion --key-id ${keyArn}) and enable it; every record is sealed with it`
        : "terraform apply restores the key's policy, which lets the runtime's role alone call kms:GenerateMac and kms:VerifyMac";
    return failed(id, message, fix);
  }
}

/** The schedule's rule and the sweep alarm's minutes, as the constructs told the function. */
export interface ScheduleSettings {
  readonly rule?: string;
  readonly alarmMinutes: number;
}

/** The settings in the function's environment ({@link SWEEP_VARIABLES}); the constructs' default minutes when unset. */
export function scheduleFromEnvironment(env: Readonly<Record<string, string | undefined>>): ScheduleSettings {
  const rule = env[SWEEP_VARIABLES.rule];
  const minutes = Number(env[SWEEP_VARIABLES.alarmMinutes]);
  return {
    ...(rule === undefined || rule === '' ? {} : { rule }),
    alarmMinutes: Number.isInteger(minutes) && minutes >= 1 ? minutes : DEFAULT_SWEEP_ALARM_MINUTES,
  };
}

/**
 * The `schedule` and `last-sweep` lines, from the record every scheduled sweep writes. The schedule works when a sweep
 * started within the alarm's minutes (a disabled rule, or one that may not invoke the function, starts none); the
 * sweep works when one succeeded within them. A sweep that does not start is the schedule's failure alone.
 */
export function sweepLines(reading: SweepRecordReading | undefined, settings: ScheduleSettings, now: Date): [CheckLine, CheckLine] {
  const ids = { schedule: 'schedule', sweep: 'last-sweep' };
  const rule = settings.rule === undefined ? 'the sweep schedule' : `rule ${settings.rule}`;
  if (reading === undefined)
    return [skipped(ids.schedule, 'needs the requests table, which the function does not have'), skipped(ids.sweep, 'needs the requests table')];
  if ('error' in reading) return [skipped(ids.schedule, 'needs requests-table'), skipped(ids.sweep, 'needs requests-table')];
  const limitMs = settings.alarmMinutes * 60_000;
  const ago = (time: string) => now.getTime() - Date.parse(time);
  const { startedAt, succeededAt, failedAt, failure } = reading.times ?? {};
  const ruleFix =
    settings.rule === undefined
      ? 'check that the sweep schedule is enabled and targets this function'
      : `check the rule is enabled and targets this function: aws events describe-rule --name ${settings.rule}; aws events enable-rule --name ${settings.rule}`;
  if (startedAt === undefined) {
    return [
      warned(
        ids.schedule,
        `no sweep has run yet: ${rule} starts one every few minutes after a deployment`,
        `run symtail doctor again in a few minutes; if this stays, ${ruleFix}`,
      ),
      skipped(ids.sweep, 'no sweep has run yet'),
    ];
  }
  if (ago(startedAt) > limitMs) {
    return [
      failed(
        ids.schedule,
        `the last sweep started ${age(ago(startedAt))} ago (at ${startedAt}), more than the sweep alarm's ${settings.alarmMinutes} min: ${rule} is not invoking the function`,
        ruleFix,
      ),
      skipped(ids.sweep, 'needs schedule'),
    ];
  }
  const scheduled = passed(ids.schedule, `${rule} started a sweep ${age(ago(startedAt))} ago`);
  const lastFailure = failure === undefined ? 'no error recorded' : `${failure.code}: ${failure.message}`;
  if (succeededAt === undefined || ago(succeededAt) > limitMs) {
    const since = succeededAt === undefined ? 'no sweep has succeeded yet' : `the last successful sweep was ${age(ago(succeededAt))} ago`;
    return [
      scheduled,
      failed(
        ids.sweep,
        `${since}, and expired grants stay until one does; the latest failed${failedAt === undefined ? '' : ` at ${failedAt}`}: ${lastFailure}`,
        "fix the failure above (the lines before this one often name it); every sweep's audit line is in the function's log group",
      ),
    ];
  }
  if (failedAt !== undefined && failedAt > succeededAt) {
    return [
      scheduled,
      warned(
        ids.sweep,
        `the last successful sweep was ${age(ago(succeededAt))} ago, but the latest failed at ${failedAt}: ${lastFailure}`,
        'if the next sweeps fail too, fix the failure above',
      ),
    ];
  }
  return [
    scheduled,
    passed(ids.sweep, `the last sweep succeeded ${age(ago(succeededAt))} ago (the alarm fires after ${settings.alarmMinutes} min without one)`),
  ];
}

/**
 * The `slack` line: the bot token's `auth.test` must name the configured workspace (or, for an org-wide install, the
 * organization) and, when Slack names it, the configured app.
 */
export async function slackLine(slack: SlackManifest, authTest: (() => Promise<SlackTokenIdentity>) | undefined, botTokenLine: string): Promise<CheckLine> {
  const id = 'slack';
  if (authTest === undefined) return skipped(id, `needs the bot token of ${botTokenLine}`);
  let who: SlackTokenIdentity;
  try {
    who = await authTest();
  } catch (error) {
    const message = describeError(error).message;
    const refused = /invalid_auth|not_authed|token_revoked|token_expired|account_inactive/.test(message);
    return failed(
      id,
      refused ? `Slack refused the bot token (${message})` : `auth.test could not be asked: ${message}`,
      refused
        ? `reinstall the app to the workspace if needed, and put its Bot User OAuth Token (xoxb-…) in ${slack.botToken.secretId}`
        : `check that the function can reach ${slack.apiUrl}, then run symtail doctor again`,
    );
  }
  const workspace = who.teamId === slack.externalId || who.enterpriseId === slack.externalId;
  const named = `${who.team === undefined ? '' : `${who.team} `}(${[who.teamId, who.enterpriseId].filter((x) => x !== undefined).join(', ') || 'no team'})`;
  if (!workspace) {
    return failed(
      id,
      `the bot token belongs to ${named}, not to ${slack.externalId}, the workspace of integration ${slack.name}`,
      `put the bot token of the app installed in ${slack.externalId} in ${slack.botToken.secretId}, or set the integration's externalId to the workspace the app is installed in`,
    );
  }
  if (who.appId !== undefined && who.appId !== slack.appId) {
    return failed(
      id,
      `the bot token is app ${who.appId}'s, not app ${slack.appId}'s`,
      `put the bot token of app ${slack.appId} in ${slack.botToken.secretId}, or set the integration's appId to ${who.appId}`,
    );
  }
  return passed(id, `the bot token is ${who.appId === undefined ? 'a bot' : `app ${who.appId}`}'s in ${named}`);
}
