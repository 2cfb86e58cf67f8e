import { Danger, groupImpact, GroupImpact, ImpactRule } from './impact';
import { readAccessPolicy } from './read-policy';

/** A group's impact in a few short lines: what an approver reads before saying yes, and what an audit line carries. */
export interface AccessSummary {
  readonly group: string;
  /** One line per rule that grants something (tests and posture definitions left out), in file order. */
  readonly rules: readonly string[];
  readonly dangers: readonly Danger[];
}

function postures(names: readonly string[]): string {
  return names.length === 0 ? '' : ` if ${names.join(', ')}`;
}

function describe(rule: ImpactRule): string | undefined {
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
    default:
      return undefined;
  }
}

/** The compact form of an impact: `line 13 acls: tag:prod:*`, with the selector when it is not the group itself. */
export function summarizeImpact(impact: GroupImpact): AccessSummary {
  const rules = impact.rules.flatMap((rule) => {
    const text = describe(rule);
    if (text === undefined) return [];
    const via = rule.via === impact.group ? '' : ` (through ${rule.via})`;
    return [`line ${rule.line} ${rule.section}: ${text}${via}`];
  });
  return { group: impact.group, rules, dangers: impact.dangers };
}

/** The compact impact of `group:<name>` in a policy file's text (strict HuJSON). */
export function summarizeGroupAccess(policyText: string, group: string): AccessSummary {
  return summarizeImpact(groupImpact(readAccessPolicy(policyText), group));
}
