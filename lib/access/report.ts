import { LedgerEntry, listLedger } from '../policy';
import { Danger, groupImpact } from './impact';
import { AccessPolicy } from './model';
import { readAccessPolicy } from './read-policy';

/** A just-in-time member: in the group until `until`, by request `requestId` when the grant recorded one. */
export interface TimedMember {
  readonly member: string;
  readonly until: string;
  readonly requestId?: string;
}

/** Who is in one group, by state, and (for a group symtail manages) what membership grants that is dangerous. */
export interface GroupReport {
  /** `group:<name>`. */
  readonly group: string;
  readonly managed: boolean;
  /** Members without a symtail annotation: there until someone removes them by hand. */
  readonly standing: readonly string[];
  /** Members whose grant has not yet expired. */
  readonly justInTime: readonly TimedMember[];
  /** Members whose grant expired but who are still present: a sweep failed or never ran. */
  readonly overdue: readonly TimedMember[];
  /** Flagged dangers of the group's impact; empty for a group symtail does not manage. */
  readonly dangers: readonly Danger[];
}

export interface AccessReport {
  /** Every group of the policy file, in file order. */
  readonly groups: readonly GroupReport[];
  readonly summary: {
    readonly managedGroups: number;
    /** Distinct people (logins compared case-insensitively) standing in at least one managed group. */
    readonly standingPeople: number;
    readonly justInTimeMembers: number;
    readonly overdueMembers: number;
    readonly dangers: number;
  };
  readonly warnings: readonly string[];
}

export interface AccessReportOptions {
  readonly now: Date;
  /** The groups symtail manages (`group:<name>`); every group of the file when absent. */
  readonly managedGroups?: readonly string[];
}

const timed = ({ member, until, requestId }: LedgerEntry): TimedMember => (requestId === undefined ? { member, until } : { member, until, requestId });

/** The governance report of a policy file: per group its standing, just-in-time and overdue members, and dangers. */
export function accessReport(text: string, options: AccessReportOptions): AccessReport {
  return accessReportOf(readAccessPolicy(text), text, options);
}

/** {@link accessReport} of a policy already read. */
export function accessReportOf(policy: AccessPolicy, text: string, options: AccessReportOptions): AccessReport {
  const ledger = listLedger(text, options.now);
  const defined = policy.groups.map((g) => g.name);
  const managed = new Set(options.managedGroups ?? defined);
  const warnings = [...ledger.warnings];
  for (const group of managed) if (!defined.includes(group)) warnings.push(`${group} is managed but the policy file does not define it`);

  const ofGroup = <T extends { group: string }>(list: readonly T[], group: string) => list.filter((e) => `group:${e.group}` === group);
  const groups = [...new Set(defined)].map((group): GroupReport => {
    const isManaged = managed.has(group);
    return {
      group,
      managed: isManaged,
      standing: ofGroup(ledger.standing, group).map((s) => s.member),
      justInTime: ofGroup(ledger.active, group).map(timed),
      overdue: ofGroup(ledger.overdue, group).map(timed),
      dangers: isManaged ? groupImpact(policy, group).dangers : [],
    };
  });
  const managedReports = groups.filter((g) => g.managed);
  const sum = (count: (g: GroupReport) => number) => managedReports.reduce((n, g) => n + count(g), 0);
  return {
    groups,
    summary: {
      managedGroups: managedReports.length,
      standingPeople: new Set(managedReports.flatMap((g) => g.standing.map((m) => m.toLowerCase()))).size,
      justInTimeMembers: sum((g) => g.justInTime.length),
      overdueMembers: sum((g) => g.overdue.length),
      dangers: sum((g) => g.dangers.length),
    },
    warnings,
  };
}
