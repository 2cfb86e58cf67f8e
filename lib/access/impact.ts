import { DangerKind } from './dangers';
import { AccessPolicy, Destination, HostPorts } from './model';
import { selectorReaching } from './selectors';

/** Where an item of a group's impact comes from: a section of the policy file. */
export type ImpactSection = 'acls' | 'grants' | 'ssh' | 'tagOwners' | 'autoApprovers' | 'postures' | 'tests' | 'sshTests';

interface ImpactItem<S extends ImpactSection> {
  readonly section: S;
  /** Where the rule's object starts; for `tagOwners`, `autoApprovers` and `postures`, the line of the entry's key. */
  readonly line: number;
  /** The selector that reached the group: the group itself, `*`, `autogroup:member`, … */
  readonly via: string;
}

export type ImpactRule =
  | (ImpactItem<'acls'> & { readonly destinations: readonly HostPorts[]; readonly protocol?: string; readonly postures: readonly string[] })
  | (ImpactItem<'grants'> & {
      readonly destinations: readonly Destination[];
      readonly ip: readonly string[];
      readonly app: readonly string[];
      readonly postures: readonly string[];
      readonly routers: readonly string[];
    })
  | (ImpactItem<'ssh'> & {
      readonly action: 'accept' | 'check';
      readonly checkPeriod?: string;
      readonly destinations: readonly Destination[];
      readonly users: readonly string[];
      /** The rule lets the group in as `root`. */
      readonly root: boolean;
      readonly postures: readonly string[];
    })
  | (ImpactItem<'tagOwners'> & { readonly tag: string })
  | (ImpactItem<'autoApprovers'> & ({ readonly approves: 'route'; readonly route: string } | { readonly approves: 'exitNode' }))
  | (ImpactItem<'postures'> & { readonly posture: string; readonly conditions: readonly string[]; readonly requiredBy: readonly number[] })
  | (ImpactItem<'tests'> & { readonly src: string; readonly accept: readonly string[]; readonly deny: readonly string[] })
  | (ImpactItem<'sshTests'> & {
      readonly src: string;
      readonly destinations: readonly string[];
      readonly accept: readonly string[];
      readonly check: readonly string[];
      readonly deny: readonly string[];
    });

/** One flagged danger of a group: its kind (one of `DANGERS`), where, and what exactly. */
export interface Danger {
  readonly kind: DangerKind;
  readonly line: number;
  readonly message: string;
}

/** What joining a group grants, and which of it is dangerous to grant for a while. */
export interface GroupImpact {
  /** `group:<name>`. */
  readonly group: string;
  /** In file order. */
  readonly rules: readonly ImpactRule[];
  readonly dangers: readonly Danger[];
}

const SECTION_ORDER: readonly ImpactSection[] = ['acls', 'grants', 'ssh', 'tagOwners', 'autoApprovers', 'postures', 'tests', 'sshTests'];

/** `group` is the full name, `group:<name>`. */
export function groupImpact(policy: AccessPolicy, group: string): GroupImpact {
  const rules: ImpactRule[] = [];
  const dangers: Danger[] = [];
  const through = (via: string) => (via === group ? group : `${group} (through ${via})`);
  const postureUse = new Map<string, { via: string; lines: number[] }>();
  const usePostures = (names: readonly string[], via: string, line: number) => {
    for (const name of names) {
      const use = postureUse.get(name) ?? { via, lines: [] };
      use.lines.push(line);
      postureUse.set(name, use);
    }
  };

  for (const rule of policy.acls) {
    const via = selectorReaching(rule.src, group);
    if (via === undefined) continue;
    rules.push({
      section: 'acls',
      line: rule.line,
      via,
      destinations: rule.dst,
      ...(rule.protocol === undefined ? {} : { protocol: rule.protocol }),
      postures: rule.srcPosture,
    });
    usePostures(rule.srcPosture, via, rule.line);
    const everywhere = rule.dst.filter((d) => d.host === '*').map((d) => d.entry);
    if (everywhere.length > 0) {
      dangers.push({ kind: 'all-destinations', line: rule.line, message: `${through(via)} reaches every destination (${everywhere.join(', ')})` });
    }
  }

  for (const rule of policy.grants) {
    const via = selectorReaching(rule.src, group);
    if (via === undefined) continue;
    rules.push({
      section: 'grants',
      line: rule.line,
      via,
      destinations: rule.dst,
      ip: rule.ip.map((c) => c.entry),
      app: rule.app,
      postures: rule.srcPosture,
      routers: rule.routers,
    });
    usePostures(rule.srcPosture, via, rule.line);
    if (rule.dst.some((d) => d.host === '*')) {
      const what = [...rule.ip.map((c) => c.entry), ...rule.app].join(', ');
      dangers.push({ kind: 'all-destinations', line: rule.line, message: `${through(via)} reaches every destination (* with ${what})` });
    }
  }

  for (const rule of policy.ssh) {
    const via = selectorReaching(rule.src, group);
    if (via === undefined) continue;
    const root = rule.users.includes('root');
    rules.push({
      section: 'ssh',
      line: rule.line,
      via,
      action: rule.action,
      ...(rule.checkPeriod === undefined ? {} : { checkPeriod: rule.checkPeriod }),
      destinations: rule.dst,
      users: rule.users,
      root,
      postures: rule.srcPosture,
    });
    usePostures(rule.srcPosture, via, rule.line);
    if (root && rule.action === 'accept') {
      const hosts = rule.dst.map((d) => d.host).join(', ');
      dangers.push({ kind: 'root-ssh', line: rule.line, message: `${through(via)} may ssh as root to ${hosts} without check` });
    }
  }

  for (const owner of policy.tagOwners) {
    const via = selectorReaching(owner.owners, group);
    if (via === undefined) continue;
    rules.push({ section: 'tagOwners', line: owner.line, via, tag: owner.tag });
    dangers.push({
      kind: 'tag-owner',
      line: owner.line,
      message: `${through(via)} may apply ${owner.tag}: a device a member tags keeps ${owner.tag}'s access after the membership ends`,
    });
  }

  for (const approver of policy.autoApprovers) {
    const via = selectorReaching(approver.approvers, group);
    if (via === undefined) continue;
    const what = approver.approves === 'route' ? `routes to ${approver.route}` : 'exit nodes';
    rules.push(
      approver.approves === 'route'
        ? { section: 'autoApprovers', line: approver.line, via, approves: 'route', route: approver.route }
        : { section: 'autoApprovers', line: approver.line, via, approves: 'exitNode' },
    );
    dangers.push({
      kind: 'auto-approver',
      line: approver.line,
      message: `${what} advertised by a device of ${through(via)} are approved automatically and stay after the membership ends`,
    });
  }

  for (const posture of policy.postures) {
    const use = postureUse.get(posture.name);
    if (use === undefined) continue;
    rules.push({ section: 'postures', line: posture.line, via: use.via, posture: posture.name, conditions: posture.conditions, requiredBy: use.lines });
  }

  for (const test of policy.tests) {
    const named = test.src === group || [...test.accept, ...test.deny].some((d) => d.host === group);
    if (!named) continue;
    rules.push({ section: 'tests', line: test.line, via: group, src: test.src, accept: test.accept.map((d) => d.entry), deny: test.deny.map((d) => d.entry) });
  }

  for (const test of policy.sshTests) {
    const named = test.src === group || test.dst.some((d) => d.host === group);
    if (!named) continue;
    rules.push({
      section: 'sshTests',
      line: test.line,
      via: group,
      src: test.src,
      destinations: test.dst.map((d) => d.host),
      accept: test.accept,
      check: test.check,
      deny: test.deny,
    });
  }

  const order = (section: ImpactSection) => SECTION_ORDER.indexOf(section);
  rules.sort((a, b) => a.line - b.line || order(a.section) - order(b.section));
  dangers.sort((a, b) => a.line - b.line);
  return { group, rules, dangers };
}
