import { Danger, groupImpact, GroupImpact, ImpactRule } from './impact';
import { readAccessPolicy } from './read-policy';

/** A group's impact in a few short lines: what an approver reads before saying yes, and what an audit line carries. */
export interface AccessSummary {
  readonly group: string;
  /** One line per rule that grants something (tests and posture definitions left out), in file order. */
  readonly rules: readonly string[];
  /** One line per flagged danger: `line 26 tag-owner: …`. */
  readonly dangers: readonly string[];
}

function postures(names: readonly string[]): string {
  return names.length === 0 ? '' : ` if ${names.join(', ')}`;
}

/** What one item of an impact grants (or, for tests, asserts), in a few words. */
export function describeRule(rule: ImpactRule): string {
  switch (rule.section) {
    case 'acls':
      return `${rule.destinations.map((d) => d.entry).join(', ')}${rule.protocol === undefined ? '' : ` (${rule.protocol})`}${postures(rule.postures)}`;
    case 'grants': {
      const what = [...rule.ip.map((c) => `ip ${c}`), ...rule.app.map((a) => `app ${a}`)].join(', ');
      return `${rule.destinations.map((d) => d.host).join(', ')}: ${what}${postures(rule.postures)}`;
    }
    case 'ssh': {
      const check = rule.action === 'check' ? `check${rule.checkPeriod === undefined ? '' : ` ${rule.checkPeriod}`}` : 'accept';
      return `${check} as ${rule.users.join(', ')} to ${rule.destinations.map((d) => d.host).join(', ')}${postures(rule.postures)}`;
    }
    case 'tagOwners':
      return `may apply ${rule.tag}`;
    case 'autoApprovers':
      return rule.approves === 'route' ? `routes to ${rule.route} approved automatically` : 'exit nodes approved automatically';
    case 'postures':
      return `${rule.posture} required (${rule.conditions.join(' && ')})`;
    case 'tests':
      return `from ${rule.src}: accept ${rule.accept.join(', ') || '-'}; deny ${rule.deny.join(', ') || '-'}`;
    case 'sshTests':
      return `from ${rule.src} to ${rule.destinations.join(', ')}: accept ${rule.accept.join(', ') || '-'}; check ${rule.check.join(', ') || '-'}; deny ${rule.deny.join(', ') || '-'}`;
  }
}

/** `line 13 acls: tag:prod:*`, with the selector when it is not the group itself. */
export function ruleLine(rule: ImpactRule, group: string): string {
  const via = rule.via === group ? '' : ` (through ${rule.via})`;
  return `line ${rule.line} ${rule.section}: ${describeRule(rule)}${via}`;
}

const GRANTING = new Set<ImpactRule['section']>(['acls', 'grants', 'ssh', 'tagOwners', 'autoApprovers']);

/** `line 26 tag-owner: group:prod may apply tag:prod: …`. */
export function dangerLine(danger: Danger): string {
  return `line ${danger.line} ${danger.kind}: ${danger.message}`;
}

/** The compact form of an impact: one line per rule that grants something, and the dangers. */
export function summarizeImpact(impact: GroupImpact): AccessSummary {
  const rules = impact.rules.filter((rule) => GRANTING.has(rule.section)).map((rule) => ruleLine(rule, impact.group));
  return { group: impact.group, rules, dangers: impact.dangers.map(dangerLine) };
}

/** The compact impact of `group:<name>` in a policy file's text (strict HuJSON). */
export function summarizeGroupAccess(policyText: string, group: string): AccessSummary {
  return summarizeImpact(groupImpact(readAccessPolicy(policyText), group));
}
