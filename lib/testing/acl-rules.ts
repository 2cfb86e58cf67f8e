/** One `acls` entry reduced to what tests evaluate: who (src) may reach which `host:ports` (dst). */
export interface AclRule {
  src: string[];
  dst: { host: string; ports: string }[];
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

function stringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** The `acls` section as rules, or the problems that make it unusable (legacy `users`/`ports` accepted). */
export function readAclRules(policy: Record<string, unknown>): { rules: AclRule[]; problems: string[] } {
  const rules: AclRule[] = [];
  const problems: string[] = [];
  if (!('acls' in policy)) return { rules, problems };
  if (!Array.isArray(policy.acls)) return { rules, problems: ['acls: expected an array of rules'] };
  policy.acls.forEach((raw: unknown, i) => {
    const where = `acls[${i}]`;
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`${where}: expected an object`);
      return;
    }
    const rule = raw as Record<string, unknown>;
    if (rule.action !== 'accept') problems.push(`${where}.action: expected "accept"`);
    const src = rule.src ?? rule.users;
    const dst = rule.dst ?? rule.ports;
    if (!stringArray(src)) problems.push(`${where}.src: expected an array of strings`);
    if (!stringArray(dst)) problems.push(`${where}.dst: expected an array of strings`);
    if (!stringArray(src) || !stringArray(dst)) return;
    const parsed = dst.map((entry) => ({ entry, split: splitHostPorts(entry) }));
    for (const { entry, split } of parsed) {
      if (!split) problems.push(`${where}.dst: ${JSON.stringify(entry)}: expected "host:ports"`);
    }
    rules.push({ src, dst: parsed.flatMap(({ split }) => (split ? [split] : [])) });
  });
  return { rules, problems };
}
