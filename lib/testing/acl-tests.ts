import { portsInclude, splitHostPorts } from '../access';
import { AclRule, isLogin, isModelled, readAclRules } from './acl-rules';
import { groupMembers } from './group-rules';

/** One failing `tests` entry, as the API reports it in `data`. */
export interface TestFailure {
  user: string;
  errors: string[];
}

interface Destination {
  entry: string;
  host: string;
  port: number;
}

/**
 * Everything `name` stands for in a rule: itself, `*`, the groups that hold it, and, when `generous`,
 * `autogroup:member` (a login is a member unless it is an external user, which the emulator cannot tell).
 */
function identities(name: string, groups: Map<string, string[]>, generous: boolean): Set<string> {
  const lower = name.toLowerCase();
  const ids = new Set([lower, '*']);
  if (generous && !lower.startsWith('tag:')) ids.add('autogroup:member');
  for (const [group, members] of groups) {
    if (members.some((m) => m.toLowerCase() === lower)) ids.add(group);
  }
  return ids;
}

function allows(rule: AclRule, src: Set<string>, dst: Set<string>, port: number): boolean {
  return (
    rule.src.some((s) => src.has(s.toLowerCase())) &&
    rule.dst.some((d) => dst.has(d.host.toLowerCase()) && portsInclude(d.ports, port))
  );
}

function destinations(value: unknown): Destination[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((entry: unknown) => {
    const split = typeof entry === 'string' ? splitHostPorts(entry) : undefined;
    return split && /^\d+$/.test(split.ports) ? [{ entry: entry as string, host: split.host, port: Number(split.ports) }] : [];
  });
}

function hasEntries(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : typeof value === 'object' && value !== null && Object.keys(value).length > 0;
}

/**
 * Evaluates `tests` against `acls`, and reports only what it is sure of, so no file Tailscale accepts is refused:
 * - "expected access" fails when the source is a login or group, the destination a login, group or tag, no rule
 *   names anything outside the model, there are no `grants`, and no rule matches (groups expanded, `*`, ports
 *   `*`, numbers, ranges, lists);
 * - "expected no access" fails when the source is a login and a rule without `proto`/`srcPosture` matches it.
 */
export function evaluateTests(policy: Record<string, unknown>): { problems: string[]; failures: TestFailure[] } {
  const { rules, problems } = readAclRules(policy);
  if ('tests' in policy && !Array.isArray(policy.tests)) problems.push('tests: expected an array');
  if (problems.length > 0) return { problems, failures: [] };
  const groups = groupMembers(policy);
  const acceptDecidable = !hasEntries(policy.grants) && rules.every((r) => !r.opaque);
  const failures: TestFailure[] = [];
  for (const raw of (policy.tests ?? []) as unknown[]) {
    const test = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof test.src !== 'string') continue;
    const src = test.src;
    const errors: string[] = [];
    if (acceptDecidable && (isLogin(src) || src.startsWith('group:'))) {
      const who = identities(src, groups, true);
      for (const d of destinations(test.accept)) {
        if (d.host === '*' || !isModelled(d.host)) continue;
        if (!rules.some((r) => allows(r, who, identities(d.host, groups, true), d.port))) {
          errors.push(`${d.entry}: expected access from ${src}, but no rule allows it`);
        }
      }
    }
    if (isLogin(src)) {
      const who = identities(src, groups, false);
      for (const d of destinations(test.deny)) {
        if (rules.some((r) => !r.narrowed && allows(r, who, identities(d.host, groups, false), d.port))) {
          errors.push(`${d.entry}: expected no access from ${src}, but a rule allows it`);
        }
      }
    }
    if (errors.length > 0) failures.push({ user: src, errors });
  }
  return { problems, failures };
}
