import { dangerLine, DevicesSection, KeysSection, SectionState, TailnetCheck, TailnetReport } from '../access';
import { csv } from './csv';
import { CliIo } from './io';
import { escapeInvisible } from '../errors';
import { OutputFormat, table } from './output';

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** The summary line: the number a reviewer asks for first. */
export function summaryLine(report: TailnetReport): string {
  const s = report.summary;
  return `${count(s.standingPeople, 'person holds', 'people hold')} standing access to ${count(s.managedGroups, 'group', 'groups')} symtail manages; ${s.justInTimeMembers} just-in-time, ${s.overdueMembers} overdue, ${count(s.dangers, 'flagged danger', 'flagged dangers')}`;
}

export function checkSummaryLine(report: TailnetReport): string {
  const { ok, alarm, skip } = report.checkSummary;
  return `checks: ${ok} ok, ${alarm} alarm, ${skip} skipped`;
}

/** Why a section was not read, as a person reads it. */
function notRead(section: SectionState): string {
  return section.state === 'refused' ? `the credential lacks the ${section.scope} scope` : 'needs the live API (--tailnet)';
}

/**
 * One CSV header for every section, so a spreadsheet filters on `section` and `record`; each record fills the columns
 * of its section. `record` is the row's state: a member's (overdue, just-in-time, standing) or `danger`; `device` or
 * `external`; a key's (active, expiring, expired, revoked); a check's (ok, alarm, skip); a section's (read, refused,
 * offline).
 */
const CSV_HEADER = [
  'section',
  'record',
  'group',
  'managed',
  'member',
  'until',
  'request_id',
  'danger',
  'line',
  'message',
  'device',
  'owner',
  'authorized',
  'key_expiry_disabled',
  'blocks_incoming',
  'update_available',
  'last_seen',
  'client_version',
  'key',
  'kind',
  'description',
  'created',
  'expires',
  'capabilities',
  'check',
  'resource',
  'fix',
] as const;
type Column = (typeof CSV_HEADER)[number];

function row(section: string, record: string, cells: Partial<Record<Column, string>>): string[] {
  const all: Partial<Record<Column, string>> = { section, record, ...cells };
  return CSV_HEADER.map((column) => all[column] ?? '');
}

const yesNo = (value: boolean) => String(value);

/** Every record of the report, section by section, in the order the table shows them. */
export function reportRows(report: TailnetReport): string[][] {
  const groups = report.groups.flatMap((g) => {
    const cells = { group: g.group, managed: String(g.managed) };
    return [
      ...g.overdue.map((m) => row('groups', 'overdue', { ...cells, member: m.member, until: m.until, request_id: m.requestId })),
      ...g.justInTime.map((m) => row('groups', 'just-in-time', { ...cells, member: m.member, until: m.until, request_id: m.requestId })),
      ...g.standing.map((m) => row('groups', 'standing', { ...cells, member: m })),
      ...g.dangers.map((d) => row('groups', 'danger', { ...cells, danger: d.kind, line: String(d.line), message: d.message })),
    ];
  });
  const devices = (report.devices?.list ?? []).map((d) =>
    row('devices', d.external ? 'external' : 'device', {
      device: d.name,
      owner: d.owner,
      authorized: yesNo(d.authorized),
      key_expiry_disabled: yesNo(d.keyExpiryDisabled),
      blocks_incoming: yesNo(d.blocksIncomingConnections),
      update_available: yesNo(d.updateAvailable),
      last_seen: d.connected ? 'connected' : d.lastSeen,
      client_version: d.clientVersion,
    }),
  );
  const keys = (report.keys?.list ?? []).map((k) =>
    row('keys', k.state, { key: k.id, kind: k.kind, description: k.description, created: k.created, expires: k.expires, capabilities: capabilities(k) }),
  );
  const checks = report.checks.flatMap((c) =>
    (c.resources.length > 0 ? c.resources : ['']).map((resource) =>
      row('checks', c.status, { check: c.id, message: `${c.title}: ${c.reason}`, resource, fix: c.fix }),
    ),
  );
  const sections = report.sections.map((s) => row('sections', s.state, { message: s.state === 'read' ? s.section : `${s.section}: ${notRead(s)}` }));
  return [...groups, ...devices, ...keys, ...checks, ...sections];
}

function capabilities(k: KeysSection['list'][number]): string {
  return [...(k.reusable ? ['reusable'] : []), ...(k.ephemeral ? ['ephemeral'] : []), ...(k.preauthorized ? ['preauthorized'] : []), ...k.tags].join(' ');
}

function devicesTable(devices: DevicesSection): string {
  const c = devices.counts;
  const head = `Devices: ${c.total} (${c.authorized} authorized, ${c.notAuthorized} not authorized, ${c.tagged} tagged, ${c.keyExpiryDisabled} key expiry disabled, ${c.acceptingIncoming} accepting incoming, ${c.updateAvailable} update available${c.external > 0 ? `; ${c.external} shared in` : ''})\n`;
  if (devices.list.length === 0) return head;
  const rows = devices.list.map((d) => [
    d.name,
    d.external ? `${d.owner} (shared in)` : d.owner,
    d.authorized ? 'yes' : 'no',
    d.keyExpiryDisabled ? 'disabled' : 'on',
    d.blocksIncomingConnections ? 'blocked' : 'accepted',
    d.updateAvailable ? 'available' : '-',
    d.connected ? 'connected' : (d.lastSeen ?? '-'),
    d.clientVersion ?? '-',
  ]);
  return head + table([['NAME', 'OWNER', 'AUTHORIZED', 'KEY EXPIRY', 'INCOMING', 'UPDATE', 'LAST SEEN', 'CLIENT'], ...rows]);
}

function keysTable(keys: KeysSection): string {
  const c = keys.counts;
  const head = `Keys: ${c.total} (${c.active} active, ${c.expiring} expiring within 14 days, ${c.expired} expired, ${c.revoked} revoked)\n`;
  if (keys.list.length === 0) return head;
  const rows = keys.list.map((k) => [k.id, k.kind, k.description ?? '-', k.created ?? '-', k.expires ?? 'never', capabilities(k) || '-', k.state]);
  return head + table([['ID', 'KIND', 'DESCRIPTION', 'CREATED', 'EXPIRES', 'CAPABILITIES', 'STATE'], ...rows]);
}

/** `alarm  device-key-expiry  Customize node key expiration: …`, then its resources and its fix, indented. */
function checkLines(checks: readonly TailnetCheck[]): string {
  const width = Math.max(...checks.map((c) => c.id.length));
  return checks
    .map((c) => {
      const head = `${c.status.padEnd(5)}  ${c.id.padEnd(width)}  ${c.title}: ${c.reason}`;
      const detail = c.status === 'alarm' ? [...c.resources.map((r) => `         ${r}`), `         fix: ${c.fix}`] : [];
      return [head, ...detail].map((line) => `${escapeInvisible(line)}\n`).join('');
    })
    .join('');
}

function printTable(io: CliIo, report: TailnetReport): void {
  const members = report.groups.flatMap((g) => [
    ...g.overdue.map((m) => [g.group, m.member, 'overdue', m.until, m.requestId ?? '-']),
    ...g.justInTime.map((m) => [g.group, m.member, 'just-in-time', m.until, m.requestId ?? '-']),
    ...g.standing.map((m) => [g.group, m, 'standing', '-', '-']),
  ]);
  io.stdout.write(table([['GROUP', 'MEMBER', 'STATE', 'UNTIL', 'REQUEST'], ...members]));
  const dangers = report.groups.flatMap((g) => g.dangers.map((d) => `${g.group} ${dangerLine(d)}`));
  if (dangers.length > 0) io.stdout.write(`\nDangers of managed groups:\n${dangers.map((d) => `  ${escapeInvisible(d)}\n`).join('')}`);
  if (report.devices !== null) io.stdout.write(`\n${devicesTable(report.devices)}`);
  if (report.keys !== null) io.stdout.write(`\n${keysTable(report.keys)}`);
  io.stdout.write(`\nChecks (the Steampipe Tailscale compliance controls, then symtail's own):\n${checkLines(report.checks)}`);
  const unread = report.sections.filter((s) => s.state !== 'read');
  if (unread.length > 0) io.stdout.write(`\nNot read:\n${unread.map((s) => `  ${s.section}: ${notRead(s)}\n`).join('')}`);
  io.stdout.write(`\n${summaryLine(report)}\n${checkSummaryLine(report)}\n`);
}

export function printReport(io: CliIo, report: TailnetReport, format: OutputFormat): void {
  if (format === 'json') io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (format === 'csv') io.stdout.write(csv([[...CSV_HEADER], ...reportRows(report)]));
  else printTable(io, report);
  io.stderr.write(report.warnings.map((w) => `warning: ${escapeInvisible(w)}\n`).join(''));
}
