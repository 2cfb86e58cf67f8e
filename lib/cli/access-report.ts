import { promises as fs } from 'fs';
import * as path from 'path';
import { CheckStatus, OFFLINE_INVENTORY, PolicyShapeError, TailnetInventory, TailnetReport, tailnetReport } from '../access';
import { HujsonSyntaxError } from '../hujson';
import { ManifestError, validateManifest } from '../manifest';
import { READ_SCOPES } from '../tailscale';
import { EXIT_FAILURE, EXIT_OK, defineCommand } from './command';
import { BadInputError, UsageError } from './errors';
import { exactlyOneOf, flag, groupFlag, TAILNET } from './flags';
import { CliIo, clock } from './io';
import { liveCall } from './live';
import { readPolicyFile } from './policy-file';
import { outputFormat, tableOutput } from './output';
import { printReport } from './report-output';
import { CREDENTIAL_NOTE, credentialFromEnv, TAILNET_FLAGS, tailnetAccess } from './tailnet-flags';
import { readInventory } from './tailnet-inventory';
import { parseInstant } from './time';

/** The groups a synthesized strategy manifest manages: every `tailscale_group` target's group. */
async function manifestGroups(file: string, cwd: string): Promise<string[]> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(path.resolve(cwd, file), 'utf8'));
  } catch (e) {
    throw new BadInputError(`--manifest: cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  try {
    return Object.values(validateManifest(value).targets).map((t) => `group:${t.groupName}`);
  } catch (e) {
    if (e instanceof ManifestError) throw new BadInputError(`--manifest ${file}: ${e.message}`);
    throw e;
  }
}

/** `--fail-on`: the check statuses that fail the command, `alarm` or `alarm,skip`. */
function failOnFlag(value: string | undefined): CheckStatus[] {
  if (value === undefined) return [];
  const statuses = value.split(',').map((v) => v.trim());
  const wrong = statuses.find((v) => v !== 'alarm' && v !== 'skip');
  if (wrong !== undefined || !statuses.includes('alarm')) throw new UsageError(`--fail-on: expected "alarm" or "alarm,skip", got ${JSON.stringify(value)}`);
  return statuses as CheckStatus[];
}

/** The scopes a read-only OAuth client needs for the whole report, as Tailscale names them. */
const REPORT_SCOPES = Object.values(READ_SCOPES).join(', ');

export const reportCommand = defineCommand({
  name: 'report',
  summary: "the tailnet's groups, devices and keys, and the Steampipe compliance checks, as ok or alarm",
  description: `Reads the tailnet's policy file (--tailnet, live) or a local copy (--file), and lists every group's members
by state, the flagged dangers of each group symtail manages, and how many people hold standing access to them. Live,
it also reads the devices, the keys (each key's details), the tailnet's settings and users, and the credential's own
expiry, and runs the checks: the nine controls of Steampipe's Tailscale compliance mod and symtail's own (standing
members of groups that own tags or reach every destination, overdue members, the credential's expiry), each ok,
alarm with the offending resources and a fix, or skip when what it reads was not read.`,
  flags: {
    ...exactlyOneOf({
      tailnet: flag.string({ value: 'T', help: "the tailnet name, or - for the credential's default tailnet", accepts: TAILNET }),
      file: flag.string({ value: 'F', help: 'a policy file (HuJSON) instead of the live tailnet' }),
    }),
    group: flag.list({ value: 'G', help: 'a group symtail manages, "prod" or "group:prod" (repeatable)' }),
    manifest: flag.string({ value: 'M', help: "a strategy manifest (manifest.json from synth): its targets' groups are managed" }),
    now: flag.string({ value: 'ISO', help: 'judge expiry at this time instead of now' }),
    'fail-on': flag.string({ value: 'S', help: 'exit 1 when a check is alarm ("alarm"), or also when one was skipped ("alarm,skip")' }),
    'api-url': TAILNET_FLAGS['api-url'],
    timeout: TAILNET_FLAGS.timeout,
    ...tableOutput({
      json: '{groups, summary, devices, keys, checks, checkSummary, sections, warnings}',
      csv: 'one record per member, danger, device, key, check resource and section',
    }),
  },
  notes: `Managed groups are those given with --group and the targets of --manifest; with neither, every group is
treated as managed (more dangers shown, never fewer). Overdue: expiry passed and the member still present.

With --file only the policy file is read: devices, keys, settings, users and the credential need the live API, and
the checks that read them are skipped. Live, a section the credential may not read (403) is reported with the scope
it needs and its checks skipped; any other API failure exits 1. A read-only OAuth client is enough, with the scopes
  ${REPORT_SCOPES}
(oauth_keys:read adds OAuth clients to the keys).

Exit codes: 0 the report was printed (and no check failed --fail-on); 1 a check failed --fail-on (named on stderr)
or the API failed; 2 bad input or usage.

${CREDENTIAL_NOTE}`,
  async run(f, io) {
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const managed = [...f.group.map((g) => `group:${groupFlag(g, '--group')}`), ...(f.manifest === undefined ? [] : await manifestGroups(f.manifest, io.cwd))];
    const failOn = failOnFlag(f['fail-on']);
    const { text, inventory } =
      f.file !== undefined ? { text: (await readPolicyFile(f.file, io.cwd)).text, inventory: OFFLINE_INVENTORY } : await readLive(f.tailnet as string, f, io);
    let report: TailnetReport;
    try {
      report = tailnetReport(text, { now, ...(managed.length > 0 ? { managedGroups: [...new Set(managed)] } : {}) }, inventory);
    } catch (e) {
      if (e instanceof PolicyShapeError || e instanceof HujsonSyntaxError)
        throw new BadInputError(`${f.file === undefined ? 'policy file' : `--file ${f.file}`}: ${e.message}`);
      throw e;
    }
    printReport(io, report, outputFormat(f));
    const failing = report.checks.filter((c) => failOn.includes(c.status));
    if (failing.length === 0) return EXIT_OK;
    io.stderr.write(`symtail report: failing checks (--fail-on ${failOn.join(',')}): ${failing.map((c) => `${c.id} (${c.status})`).join(', ')}\n`);
    return EXIT_FAILURE;
  },
});

/** The live policy file, then everything else the report reads, with the environment's credential. */
async function readLive(tailnet: string, f: { 'api-url'?: string; timeout?: string }, io: CliIo): Promise<{ text: string; inventory: TailnetInventory }> {
  const access = await liveCall('symtail report', async () => tailnetAccess({ tailnet, ...f }, io));
  const { text } = await liveCall('symtail report', () => access.read());
  const inventory = await liveCall('symtail report', () => readInventory(access.client, access.tailnet, credentialFromEnv(io.env)));
  return { text, inventory };
}
