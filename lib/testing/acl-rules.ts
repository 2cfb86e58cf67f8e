import { splitHostPorts } from '../access';

/**
 * One `acls` entry reduced to what the emulator can reason about. `opaque` marks a rule that names something
 * outside the model (an IP, a CIDR, a `hosts` alias, most autogroups); `narrowed` marks one limited by `proto`
 * or `srcPosture`. Evaluation uses both to stay on the safe side: it never refuses a file Tailscale accepts.
 */
export interface AclRule {
  src: string[];
  dst: { host: string; ports: string }[];
  opaque: boolean;
  narrowed: boolean;
}

const LOGIN = /^[^\s@:]+@[^\s@:]+$/;

export function isLogin(name: string): boolean {
  return LOGIN.test(name);
}

/** Names the model resolves: `*`, user logins, groups, tags and `autogroup:member`. */
export function isModelled(name: string): boolean {
  return name === '*' || name === 'autogroup:member' || isLogin(name) || /^(group|tag):[^\s:]+$/.test(name);
}

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function readRule(rule: Record<string, unknown>): AclRule {
  const src = rule.src ?? rule.users;
  const dst = rule.dst ?? rule.ports;
  const srcNames = stringArray(src) ? src : [];
  const dstEntries = (stringArray(dst) ? dst : []).map((entry) => splitHostPorts(entry));
  const parsedDst = dstEntries.flatMap((d) => (d ? [d] : []));
  const opaque =
    rule.action !== 'accept' ||
    !stringArray(src) ||
    !stringArray(dst) ||
    !srcNames.every(isModelled) ||
    dstEntries.some((d) => d === undefined || !isModelled(d.host));
  return { src: srcNames, dst: parsedDst, opaque, narrowed: 'proto' in rule || 'srcPosture' in rule };
}

/** The `acls` section as rules; only a section that is not a list of objects is a problem (legacy fields read). */
export function readAclRules(policy: Record<string, unknown>): { rules: AclRule[]; problems: string[] } {
  if (!('acls' in policy)) return { rules: [], problems: [] };
  if (!Array.isArray(policy.acls)) return { rules: [], problems: ['acls: expected an array of rules'] };
  const problems: string[] = [];
  const rules: AclRule[] = [];
  policy.acls.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) problems.push(`acls[${i}]: expected an object`);
    else rules.push(readRule(raw as Record<string, unknown>));
  });
  return { rules, problems };
}
