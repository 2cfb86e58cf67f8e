const PORT_RANGE = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** `*`, a port, a range `a-b`, or a comma-separated list of those, every port within 0–65535. */
export function isPortSpec(spec: string): boolean {
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
  return isPortSpec(ports) ? { host, ports } : undefined;
}

/** Whether a port spec (`*`, a port, a range, a list) covers `port`. */
export function portsInclude(spec: string, port: number): boolean {
  if (spec === '*') return true;
  return spec.split(',').some((part) => {
    const m = PORT_RANGE.exec(part.trim());
    return m !== null && port >= Number(m[1]) && port <= Number(m[2] ?? m[1]);
  });
}

/**
 * A grant's `ip` entry: `*`, ports, or `protocol:ports` (the protocol a name like `tcp`, an IANA number, or `*`).
 */
export function splitIpCapability(entry: string): { protocol?: string; ports: string } | undefined {
  if (isPortSpec(entry)) return { ports: entry };
  const at = entry.indexOf(':');
  const protocol = entry.slice(0, at);
  const ports = entry.slice(at + 1);
  return at > 0 && /^([a-z0-9-]+|\*)$/i.test(protocol) && isPortSpec(ports) ? { protocol, ports } : undefined;
}
