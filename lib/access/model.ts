/**
 * The parts of a tailnet policy file that decide access, typed, each item with the 1-based line where it starts.
 * Names follow the policy file's own sections (`acls`, `grants`, `ssh`, …); a `grants` entry is a `GrantRule`.
 */

/** A `host:ports` destination of an `acls` rule or a `tests` entry, with the `hosts` alias resolved. */
export interface HostPorts {
  /** As written, e.g. `tag:web:80,443` or `db:5432`. */
  readonly entry: string;
  readonly host: string;
  /** `*`, a port, a range `a-b`, or a comma-separated list of those. */
  readonly ports: string;
  /** The address a `hosts` alias stands for, after every alias it names in turn. */
  readonly address?: string;
}

/** A destination selector without ports (`grants` and `ssh`), with the `hosts` alias resolved. */
export interface Destination {
  readonly host: string;
  readonly address?: string;
}

export interface AclRule {
  readonly line: number;
  /** Tailscale accepts only `accept`. */
  readonly action: 'accept';
  /** From `src`, or the legacy `users`. */
  readonly src: readonly string[];
  /** From `dst`, or the legacy `ports`. */
  readonly dst: readonly HostPorts[];
  /** `proto`, when the rule narrows to one protocol. */
  readonly protocol?: string;
  readonly srcPosture: readonly string[];
}

/** One entry of a grant's `ip`: `*`, ports, or `protocol:ports`. */
export interface IpCapability {
  readonly entry: string;
  readonly protocol?: string;
  readonly ports: string;
}

/** An entry of the `grants` section. */
export interface GrantRule {
  readonly line: number;
  readonly src: readonly string[];
  readonly dst: readonly Destination[];
  readonly ip: readonly IpCapability[];
  /** The application capabilities `app` names, e.g. `tailscale.com/cap/kubernetes`. */
  readonly app: readonly string[];
  readonly srcPosture: readonly string[];
  /** The grant's own `via`: routers the traffic must pass. */
  readonly routers: readonly string[];
}

export interface SshRule {
  readonly line: number;
  readonly action: 'accept' | 'check';
  readonly src: readonly string[];
  readonly dst: readonly Destination[];
  readonly users: readonly string[];
  /** How long a `check` lasts before the user must re-authenticate, e.g. `12h` or `always`. */
  readonly checkPeriod?: string;
  readonly srcPosture: readonly string[];
}

/** A `tagOwners` entry; `line` is its key's. */
export interface TagOwner {
  readonly line: number;
  readonly tag: string;
  readonly owners: readonly string[];
}

/** An `autoApprovers` entry: a route (`routes` key) or exit nodes (`exitNode`); `line` is its key's. */
export type AutoApprover =
  | { readonly line: number; readonly approves: 'route'; readonly route: string; readonly approvers: readonly string[] }
  | { readonly line: number; readonly approves: 'exitNode'; readonly approvers: readonly string[] };

export interface Posture {
  readonly line: number;
  /** With its `posture:` prefix. */
  readonly name: string;
  readonly conditions: readonly string[];
}

export interface HostAlias {
  readonly line: number;
  readonly name: string;
  readonly address: string;
}

/** A `tests` entry. */
export interface AclTest {
  readonly line: number;
  readonly src: string;
  readonly accept: readonly HostPorts[];
  readonly deny: readonly HostPorts[];
  readonly protocol?: string;
}

export interface SshTest {
  readonly line: number;
  readonly src: string;
  readonly dst: readonly Destination[];
  readonly accept: readonly string[];
  readonly check: readonly string[];
  readonly deny: readonly string[];
}

export interface GroupDefinition {
  readonly line: number;
  /** With its `group:` prefix. */
  readonly name: string;
  readonly members: readonly string[];
}

export interface AccessPolicy {
  readonly acls: readonly AclRule[];
  readonly grants: readonly GrantRule[];
  readonly ssh: readonly SshRule[];
  readonly tagOwners: readonly TagOwner[];
  readonly autoApprovers: readonly AutoApprover[];
  readonly postures: readonly Posture[];
  readonly hosts: readonly HostAlias[];
  readonly tests: readonly AclTest[];
  readonly sshTests: readonly SshTest[];
  readonly groups: readonly GroupDefinition[];
}
