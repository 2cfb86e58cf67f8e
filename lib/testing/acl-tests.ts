import { AclRule, portsInclude, readAclRules, splitHostPorts } from './acl-rules';
import { groupMembers } from './group-rules';

/** One failing `tests` entry, as the API reports it in `data`. */
export interface TestFailure {
  user: string;
  errors: string[];
}

interface AclTest {
  src: string;
  accept: { entry: string; host: string; port: number }[];
  deny: { entry: string; host: string; port: number }[];
}

/** Everything `name` stands for in a rule: itself, `*`, members-only autogroups, and the groups that hold it. */
function identities(name: string, groups: Map<string, string[]>): Set<string> {
  const lower = name.toLowerCase();
  const ids = new Set([lower, '*']);
  if (!lower.startsWith('tag:')) ids.add('autogroup:member');
  for (const [group, members] of groups) {
    if (members.some((m) => m.toLowerCase() === lower)) ids.add(group);
  }
  return ids;
}

function allows(rules: AclRule[], src: Set<string>, dst: Set<string>, port: number): boolean {
  return rules.some(
    (rule) =>
      rule.src.some((s) => src.has(s.toLowerCase())) &&
      rule.dst.some((d) => dst.has(d.host.toLowerCase()) && portsInclude(d.ports, port)),
  );
}

function readDestinations(value: unknown, where: string, problems: string[]): AclTest['accept'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${where}: expected an array of "host:port"`);
    return [];
  }
  return value.flatMap((entry: unknown, j) => {
    const split = typeof entry === 'string' ? splitHostPorts(entry) : undefined;
    if (!split || !/^\d+$/.test(split.ports)) {
      problems.push(`${where}[${j}]: expected "host:port" with one port number, got ${JSON.stringify(entry)}`);
      return [];
    }
    return [{ entry: entry as string, host: split.host, port: Number(split.ports) }];
  });
}

function readTests(policy: Record<string, unknown>, problems: string[]): AclTest[] {
  if (!('tests' in policy)) return [];
  if (!Array.isArray(policy.tests)) {
    problems.push('tests: expected an array');
    return [];
  }
  return policy.tests.flatMap((raw: unknown, i) => {
    const where = `tests[${i}]`;
    const test = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    if (typeof test.src !== 'string' || test.src === '') {
      problems.push(`${where}.src: expected a user, group or tag`);
      return [];
    }
    return [
      {
        src: test.src,
        accept: readDestinations(test.accept, `${where}.accept`, problems),
        deny: readDestinations(test.deny, `${where}.deny`, problems),
      },
    ];
  });
}

/**
 * Evaluates `tests` against `acls` for the subset the emulator models: users, groups (expanded), tags and `*`
 * as sources; hosts, users, groups, tags and `*` with ports `*`, numbers, ranges and lists as destinations.
 */
export function evaluateTests(policy: Record<string, unknown>): { problems: string[]; failures: TestFailure[] } {
  const { rules, problems } = readAclRules(policy);
  const tests = readTests(policy, problems);
  if (problems.length > 0) return { problems, failures: [] };
  const groups = groupMembers(policy);
  const failures: TestFailure[] = [];
  for (const test of tests) {
    const src = identities(test.src, groups);
    const errors = [
      ...test.accept
        .filter((d) => !allows(rules, src, identities(d.host, groups), d.port))
        .map((d) => `${d.entry}: expected access from ${test.src}, but no rule allows it`),
      ...test.deny
        .filter((d) => allows(rules, src, identities(d.host, groups), d.port))
        .map((d) => `${d.entry}: expected no access from ${test.src}, but a rule allows it`),
    ];
    if (errors.length > 0) failures.push({ user: test.src, errors });
  }
  return { problems, failures };
}
