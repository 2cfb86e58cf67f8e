import { AccessPolicy, HostPorts, portsInclude } from '../access';
import { isLogin, isModelled, NetworkRule, networkRules } from './acl-rules';

/** One failing `tests` entry, as the API reports it in `data`. */
export interface TestFailure {
  user: string;
  errors: string[];
}

/**
 * Everything `name` stands for in a rule: itself, `*`, the groups that hold it, and, when `generous`,
 * `autogroup:member` (a login is a member unless it is an external user, which the emulator cannot tell).
 */
function identities(name: string, policy: AccessPolicy, generous: boolean): Set<string> {
  const lower = name.toLowerCase();
  const ids = new Set([lower, '*']);
  if (generous && !lower.startsWith('tag:')) ids.add('autogroup:member');
  for (const group of policy.groups) {
    if (group.members.some((m) => m.toLowerCase() === lower)) ids.add(group.name.toLowerCase());
  }
  return ids;
}

function allows(rule: NetworkRule, src: Set<string>, dst: Set<string>, port: number): boolean {
  return rule.src.some((s) => src.has(s.toLowerCase())) && rule.dst.some((d) => dst.has(d.host.toLowerCase()) && portsInclude(d.ports, port));
}

/** The destinations of a test entry that name one port. */
function singlePorts(entries: readonly HostPorts[]): { entry: string; host: string; port: number }[] {
  return entries.flatMap((d) => (/^\d+$/.test(d.ports) ? [{ entry: d.entry, host: d.host, port: Number(d.ports) }] : []));
}

/**
 * Evaluates `tests` against the `acls` and `grants` of a policy, and reports only what it is sure of, so no file
 * Tailscale accepts is refused:
 * - "expected access" fails when the source is a login or group, the destination a login, group or tag, no rule
 *   names anything outside the model, and no rule matches (groups expanded, `*`, ports `*`, numbers, ranges, lists);
 * - "expected no access" fails when the source is a login and a rule not narrowed by protocol, posture or
 *   routers matches it.
 */
export function evaluateTests(policy: AccessPolicy): TestFailure[] {
  const rules = networkRules(policy);
  const acceptDecidable = rules.every((r) => !r.opaque);
  const failures: TestFailure[] = [];
  for (const test of policy.tests) {
    const src = test.src;
    const errors: string[] = [];
    if (acceptDecidable && (isLogin(src) || src.startsWith('group:'))) {
      const who = identities(src, policy, true);
      for (const d of singlePorts(test.accept)) {
        if (d.host === '*' || !isModelled(d.host)) continue;
        if (!rules.some((r) => allows(r, who, identities(d.host, policy, true), d.port))) {
          errors.push(`${d.entry}: expected access from ${src}, but no rule allows it`);
        }
      }
    }
    if (isLogin(src)) {
      const who = identities(src, policy, false);
      for (const d of singlePorts(test.deny)) {
        if (rules.some((r) => !r.narrowed && allows(r, who, identities(d.host, policy, false), d.port))) {
          errors.push(`${d.entry}: expected no access from ${src}, but a rule allows it`);
        }
      }
    }
    if (errors.length > 0) failures.push({ user: src, errors });
  }
  return failures;
}
