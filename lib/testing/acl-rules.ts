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

const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

function validPorts(spec: string): boolean {
  if (spec === '*') return true;
  return spec.split(',').every((part) => {
    const m = PORT_RANGE.exec(part.trim());
    return m !== null && Number(m[1]) <= 65535 && Number(m[2] ?? m[1]) <= 65535 && Number(m[1]) <= Number(m[2] ?? m[1]);
  });
}

/** `host:ports` split at the last colon (so `tag:web:443` and `[fd7a::1]:22` work); undefined when malformed. */
export function splitHostPorts(entry: string): { host: string; ports: string } | undefined {
  const at = entry.lastIndexOf(':');
  if (at <= 0) return undefined;
  const host = entry.slice(0, at);
  const ports = entry.slice(at + 1);
  return validPorts(ports) ? { host, ports } : undefined;
}

/** `*`, a port, a range `a-b`, or a comma-separated list of those. */
export function portsInclude(spec: string, port: number): boolean {
  if (spec === '*') return true;
  return spec.split(',').some((part) => {
    const m = PORT_RANGE.exec(part.trim());
    return m !== null && port >= Number(m[1]) && port <= Number(m[2] ?? m[1]);
  });
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
