import { AccessPolicy } from '../access';

/**
 * One `acls` or `grants` entry reduced to what the emulator can reason about: sources, and destinations with
 * ports. `opaque` marks a rule that names something outside the model (an IP, a CIDR, a `hosts` alias, most
 * autogroups); `narrowed` one limited by protocol, posture, routers, or a destination written without ports.
 * Evaluation uses both to stay on the safe side: it never refuses a file Tailscale accepts.
 */
export interface NetworkRule {
  src: readonly string[];
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

/**
 * The network rules of a policy: each `acls` rule, and each grant with `ip` (one destination per host and `ip`
 * entry); a grant with only `app` gives no network access.
 */
export function networkRules(policy: AccessPolicy): NetworkRule[] {
  const acls = policy.acls.map((rule): NetworkRule => ({
    src: rule.src,
    dst: rule.dst.map(({ host, ports }) => ({ host, ports })),
    opaque: !rule.src.every(isModelled) || rule.dst.some((d) => !isModelled(d.host)),
    narrowed: rule.protocol !== undefined || rule.srcPosture.length > 0 || rule.dst.some((d) => d.entry !== `${d.host}:${d.ports}`),
  }));
  const grants = policy.grants
    .filter((rule) => rule.ip.length > 0)
    .map((rule): NetworkRule => ({
      src: rule.src,
      dst: rule.dst.flatMap(({ host }) => rule.ip.map(({ ports }) => ({ host, ports }))),
      opaque: !rule.src.every(isModelled) || rule.dst.some((d) => !isModelled(d.host)),
      narrowed: rule.ip.some((c) => c.protocol !== undefined) || rule.srcPosture.length > 0 || rule.routers.length > 0,
    }));
  return [...acls, ...grants];
}
