import { promises as fs } from 'fs';
import * as path from 'path';
import { accessReport, AccessReport, dangerLine, PolicyShapeError } from '../access';
import { HujsonSyntaxError } from '../hujson';
import { ManifestError, validateManifest } from '../manifest';
import { EXIT_OK, defineCommand } from './command';
import { csv } from './csv';
import { BadInputError, UsageError } from './errors';
import { flag, groupFlag } from './flags';
import { CliIo, clock } from './io';
import { liveCall } from './live';
import { table } from './output';
import { readPolicyFile } from './policy-file';
import { CREDENTIAL_NOTE, TAILNET_FLAGS, tailnetAccess } from './tailnet-flags';
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

/** The summary line: the number a reviewer asks for first. */
export function summaryLine(report: AccessReport): string {
  const s = report.summary;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  return `${count(s.standingPeople, 'person holds', 'people hold')} standing access to ${count(s.managedGroups, 'group', 'groups')} symtail manages; ${s.justInTimeMembers} just-in-time, ${s.overdueMembers} overdue, ${count(s.dangers, 'flagged danger', 'flagged dangers')}`;
}

const CSV_HEADER = ['group', 'managed', 'record', 'member', 'until', 'request_id', 'danger', 'line', 'message'];

/** One record per member and per danger, so a spreadsheet can filter on any column. */
export function reportRows(report: AccessReport): string[][] {
  return report.groups.flatMap((g) => {
    const managed = String(g.managed);
    return [
      ...g.overdue.map((m) => [g.group, managed, 'overdue', m.member, m.until, m.requestId ?? '', '', '', '']),
      ...g.justInTime.map((m) => [g.group, managed, 'just-in-time', m.member, m.until, m.requestId ?? '', '', '', '']),
      ...g.standing.map((m) => [g.group, managed, 'standing', m, '', '', '', '', '']),
      ...g.dangers.map((d) => [g.group, managed, 'danger', '', '', '', d.kind, String(d.line), d.message]),
    ];
  });
}

function printReport(io: CliIo, report: AccessReport, format: 'table' | 'json' | 'csv'): void {
  if (format === 'json') {
    io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } else if (format === 'csv') {
    io.stdout.write(csv([CSV_HEADER, ...reportRows(report)]));
  } else {
    const rows = reportRows(report).filter((r) => r[2] !== 'danger');
    io.stdout.write(table([['GROUP', 'MEMBER', 'STATE', 'UNTIL', 'REQUEST'], ...rows.map((r) => [r[0], r[3], r[2], r[4] || '-', r[5] || '-'])]));
    const dangers = report.groups.flatMap((g) => g.dangers.map((d) => `${g.group} ${dangerLine(d)}`));
    if (dangers.length > 0) io.stdout.write(`\nDangers of managed groups:\n${dangers.map((d) => `  ${d}\n`).join('')}`);
    io.stdout.write(`\n${summaryLine(report)}\n`);
  }
  io.stderr.write(report.warnings.map((w) => `warning: ${w}\n`).join(''));
}

export const reportCommand = defineCommand({
  name: 'report',
  summary: 'who is in which group (standing, just-in-time, overdue) and the flagged dangers of managed groups',
  description: `Reads the tailnet's policy file (--tailnet, live) or a local copy (--file), and lists every group's members
by state, the flagged dangers of each group symtail manages, and how many people hold standing access to them.`,
  flags: {
    tailnet: flag.string({ value: 'T', help: "the tailnet name, or - for the credential's default tailnet", exactlyOneOf: 'source' }),
    file: flag.string({ value: 'F', help: 'a policy file (HuJSON) instead of the live tailnet', exactlyOneOf: 'source' }),
    group: flag.list({ value: 'G', help: 'a group symtail manages, "prod" or "group:prod" (repeatable)' }),
    manifest: flag.string({ value: 'M', help: "a strategy manifest (manifest.json from synth): its targets' groups are managed" }),
    now: flag.string({ value: 'ISO', help: 'judge expiry at this time instead of now' }),
    'api-url': TAILNET_FLAGS['api-url'],
    timeout: TAILNET_FLAGS.timeout,
    json: flag.boolean({ help: 'print {groups, summary, warnings} as JSON' }),
    csv: flag.boolean({ help: 'print CSV with a header: one record per member and per danger' }),
  },
  notes: `Managed groups are those given with --group and the targets of --manifest; with neither, every group is
treated as managed (more dangers shown, never fewer). Overdue: expiry passed and the member still present.

${CREDENTIAL_NOTE}`,
  async run(f, io) {
    if (f.json && f.csv) throw new UsageError('--json and --csv: expected at most one of them');
    const now = f.now === undefined ? clock(io) : parseInstant(f.now, 'now');
    const managed = [
      ...f.group.map((g) => `group:${groupFlag(g, '--group')}`),
      ...(f.manifest === undefined ? [] : await manifestGroups(f.manifest, io.cwd)),
    ];
    const text = f.file !== undefined ? (await readPolicyFile(f.file, io.cwd)).text : await readLive(f.tailnet as string, f, io);
    let report: AccessReport;
    try {
      report = accessReport(text, { now, ...(managed.length > 0 ? { managedGroups: [...new Set(managed)] } : {}) });
    } catch (e) {
      if (e instanceof PolicyShapeError || e instanceof HujsonSyntaxError) throw new BadInputError(`${f.file === undefined ? 'policy file' : `--file ${f.file}`}: ${e.message}`);
      throw e;
    }
    printReport(io, report, f.json ? 'json' : f.csv ? 'csv' : 'table');
    return EXIT_OK;
  },
});

async function readLive(tailnet: string, f: { 'api-url'?: string; timeout?: string }, io: CliIo): Promise<string> {
  const access = await liveCall('symtail report', async () => tailnetAccess({ tailnet, ...f }, io));
  return (await liveCall('symtail report', () => access.read())).text;
}
