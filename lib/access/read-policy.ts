// Longer than most files: one verb, reading a policy file into the access model, over every section Tailscale
// takes (legacy keys included); the sections share one walk and one set of position-keeping helpers.
import { HujsonMember, HujsonObject, HujsonValue, LineIndex, membersNamed, parseHujson } from '../hujson';
import { PolicyShapeError } from './errors';
import { AccessPolicy, AclRule, AclTest, AutoApprover, Destination, GrantRule, HostAlias, HostPorts, IpCapability, SshRule, SshTest } from './model';
import { splitHostPorts, splitIpCapability } from './ports';

/**
 * Reads the access sections of a policy file (strict HuJSON) into a typed model with line numbers.
 * Sections it does not model (`nodeAttrs`, `ipsets`, settings) are left alone; a modelled field of the wrong
 * shape is refused with a PolicyShapeError naming it, since a rule misread would misstate what access it gives.
 *
 * Keys are read as Tailscale reads them (Go's `encoding/json`): in any case, so `"ACLs"`, `"Groups"` and a rule's
 * `"Action"` count, and with the legacy rule fields `users` (for `src`) and `ports` (for `dst`) of `acls`, and `user`
 * (for `src`) and `allow` (for `accept`) of `tests`. Two keys that are one to Tailscale (`"acls"` and `"ACLs"`, or
 * `"acls"` twice) are refused, naming both lines: Tailscale keeps the last, so reading either could report less than
 * it enforces.
 */
export function readAccessPolicy(text: string): AccessPolicy {
  return new PolicyReader(text).read();
}

/**
 * A destination written without ports (`*`, `tag:web`, a host alias): files in the wild carry them, and reading them
 * as every port overstates access rather than hiding it. Something that looks like mistyped ports is still refused.
 */
function withoutPorts(entry: string): { host: string; ports: string } | undefined {
  const bare = entry === '*' || /^[^:]+$/.test(entry) || /^(tag|group|autogroup|ipset|host):[^:]+$/.test(entry);
  return bare ? { host: entry, ports: '*' } : undefined;
}

class PolicyReader {
  private readonly lines: LineIndex;
  private readonly root: HujsonValue;
  private hostAddresses = new Map<string, string>();

  constructor(text: string) {
    this.root = parseHujson(text);
    this.lines = new LineIndex(text);
  }

  read(): AccessPolicy {
    const root = this.object(this.root, 'policy');
    const hosts = this.entries(root, 'hosts', (m, field) => this.hostAlias(m, field));
    this.hostAddresses = new Map(hosts.map((h) => [h.name, h.address]));
    return {
      acls: this.list(root, 'acls', (v, field) => this.aclRule(v, field)),
      grants: this.list(root, 'grants', (v, field) => this.grantRule(v, field)),
      ssh: this.list(root, 'ssh', (v, field) => this.sshRule(v, field)),
      tagOwners: this.entries(root, 'tagOwners', (m, field) => ({
        line: this.line(m.name),
        tag: m.name.value,
        owners: this.strings(m.value, field),
      })),
      autoApprovers: this.autoApprovers(root),
      postures: this.entries(root, 'postures', (m, field) => ({
        line: this.line(m.name),
        name: m.name.value,
        conditions: this.strings(m.value, field),
      })),
      hosts,
      tests: this.list(root, 'tests', (v, field) => this.aclTest(v, field)),
      sshTests: this.list(root, 'sshTests', (v, field) => this.sshTest(v, field)),
      groups: this.entries(root, 'groups', (m, field) => ({
        line: this.line(m.name),
        name: m.name.value,
        members: this.strings(m.value, field),
      })),
    };
  }

  private aclRule(node: HujsonValue, field: string): AclRule {
    const rule = this.object(node, field);
    const action = this.requiredMember(rule, 'action', field);
    if (this.string(action.value, this.path(field, action)) !== 'accept') throw this.error(this.path(field, action), node, '"accept"');
    const proto = this.member(rule, 'proto', field);
    return {
      line: this.line(node),
      action: 'accept',
      // Both spellings count when both are there: whatever Tailscale makes of such a rule, it gives no less.
      src: this.spellings(rule, ['src', 'users'], field, true, (m, at) => this.strings(m.value, at)),
      dst: this.spellings(rule, ['dst', 'ports'], field, true, (m, at) => this.hostPortsList(m.value, at)),
      ...(proto ? { protocol: this.protocol(proto.value, this.path(field, proto)) } : {}),
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
    };
  }

  private grantRule(node: HujsonValue, field: string): GrantRule {
    const rule = this.object(node, field);
    // A grant without `ip` or `app` gives nothing; the API refuses it, but files in the wild carry it.
    const app = this.member(rule, 'app', field);
    const ipMember = this.member(rule, 'ip', field);
    return {
      line: this.line(node),
      src: this.requiredStrings(rule, 'src', field),
      dst: this.requiredDestinations(rule, 'dst', field),
      ip: ipMember ? this.ipCapabilities(ipMember.value, this.path(field, ipMember)) : [],
      app: app ? this.object(app.value, this.path(field, app)).members.map((m) => m.name.value) : [],
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
      routers: this.optionalStrings(rule, 'via', field),
    };
  }

  private sshRule(node: HujsonValue, field: string): SshRule {
    const rule = this.object(node, field);
    const actionMember = this.requiredMember(rule, 'action', field);
    const action = this.string(actionMember.value, this.path(field, actionMember));
    if (action !== 'accept' && action !== 'check') throw this.error(this.path(field, actionMember), node, '"accept" or "check"');
    const checkPeriod = this.member(rule, 'checkPeriod', field);
    return {
      line: this.line(node),
      action,
      src: this.requiredStrings(rule, 'src', field),
      dst: this.requiredDestinations(rule, 'dst', field),
      users: this.optionalStrings(rule, 'users', field),
      ...(checkPeriod ? { checkPeriod: this.string(checkPeriod.value, this.path(field, checkPeriod)) } : {}),
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
    };
  }

  private aclTest(node: HujsonValue, field: string): AclTest {
    const test = this.object(node, field);
    const proto = this.member(test, 'proto', field);
    // `user` and `allow` are older spellings of `src` and `accept` that the API still reads.
    const src = this.member(test, 'src', field) ?? this.member(test, 'user', field);
    if (!src) throw this.error(field, node, 'a "src" member');
    return {
      line: this.line(node),
      src: this.string(src.value, this.path(field, src)),
      accept: this.spellings(test, ['accept', 'allow'], field, false, (m, at) => this.hostPortsList(m.value, at)),
      deny: this.spellings(test, ['deny'], field, false, (m, at) => this.hostPortsList(m.value, at)),
      ...(proto ? { protocol: this.protocol(proto.value, this.path(field, proto)) } : {}),
    };
  }

  private sshTest(node: HujsonValue, field: string): SshTest {
    const test = this.object(node, field);
    const src = this.requiredMember(test, 'src', field);
    return {
      line: this.line(node),
      src: this.string(src.value, this.path(field, src)),
      dst: this.requiredDestinations(test, 'dst', field),
      accept: this.optionalStrings(test, 'accept', field),
      check: this.optionalStrings(test, 'check', field),
      deny: this.optionalStrings(test, 'deny', field),
    };
  }

  private autoApprovers(root: HujsonObject): AutoApprover[] {
    const section = this.member(root, 'autoApprovers', '');
    if (!section) return [];
    const field = section.name.value;
    const approvers = this.object(section.value, field);
    const out: AutoApprover[] = [];
    const routesMember = this.member(approvers, 'routes', field);
    if (routesMember) {
      const routesField = this.path(field, routesMember);
      for (const route of this.object(routesMember.value, routesField).members) {
        out.push({
          line: this.line(route.name),
          approves: 'route',
          route: route.name.value,
          approvers: this.strings(route.value, `${routesField}[${JSON.stringify(route.name.value)}]`),
        });
      }
    }
    const exitNode = this.member(approvers, 'exitNode', field);
    if (exitNode) out.push({ line: this.line(exitNode.name), approves: 'exitNode', approvers: this.strings(exitNode.value, this.path(field, exitNode)) });
    return out.sort((a, b) => a.line - b.line);
  }

  private hostAlias(member: HujsonMember, field: string): HostAlias {
    return { line: this.line(member.name), name: member.name.value, address: this.string(member.value, field) };
  }

  /** The address an alias stands for, following aliases that name aliases; a cycle resolves to nothing. */
  private resolve(host: string): string | undefined {
    const seen = new Set<string>();
    let address = this.hostAddresses.get(host);
    while (address !== undefined && this.hostAddresses.has(address) && !seen.has(address)) {
      seen.add(address);
      address = this.hostAddresses.get(address);
    }
    return address === undefined || this.hostAddresses.has(address) ? undefined : address;
  }

  private hostPortsList(node: HujsonValue, field: string): HostPorts[] {
    const array = this.array(node, field);
    return array.elements.map((element, i) => {
      const entry = this.string(element, `${field}[${i}]`);
      const split = splitHostPorts(entry) ?? withoutPorts(entry);
      if (!split) throw this.error(`${field}[${i}]`, element, 'host:ports, e.g. "tag:web:443" or "*:*"');
      const address = this.resolve(split.host);
      return { entry, ...split, ...(address === undefined ? {} : { address }) };
    });
  }

  private ipCapabilities(node: HujsonValue, field: string): IpCapability[] {
    return this.array(node, field).elements.map((element, i) => {
      const entry = this.string(element, `${field}[${i}]`);
      const split = splitIpCapability(entry);
      if (!split) throw this.error(`${field}[${i}]`, element, '"*", ports or "protocol:ports", e.g. "tcp:443"');
      return { entry, ...split };
    });
  }

  private destinations(node: HujsonValue, field: string): Destination[] {
    return this.strings(node, field).map((host) => {
      const address = this.resolve(host);
      return address === undefined ? { host } : { host, address };
    });
  }

  private protocol(node: HujsonValue, field: string): string {
    if (node.kind === 'number') return String(node.value);
    return this.string(node, field);
  }

  private list<T>(root: HujsonObject, name: string, read: (node: HujsonValue, field: string) => T): T[] {
    const section = this.member(root, name, '');
    if (!section) return [];
    const field = section.name.value;
    return this.array(section.value, field).elements.map((element, i) => read(element, `${field}[${i}]`));
  }

  private entries<T>(root: HujsonObject, name: string, read: (member: HujsonMember, field: string) => T): T[] {
    const section = this.member(root, name, '');
    if (!section) return [];
    const field = section.name.value;
    return this.object(section.value, field).members.map((m) => read(m, `${field}[${JSON.stringify(m.name.value)}]`));
  }

  /**
   * The member Tailscale reads as field `name` of `object`: its key in any case (Go's `encoding/json` matching).
   * Two such keys are refused, naming both lines: Tailscale keeps the last, symtail would have to guess.
   */
  private member(object: HujsonObject, name: string, field: string): HujsonMember | undefined {
    const found = membersNamed(object, name);
    if (found.length > 1) {
      const [a, b] = [found[0].name, found[1].name];
      const both = a.value === b.value ? `${JSON.stringify(a.value)} twice` : `${JSON.stringify(a.value)} and ${JSON.stringify(b.value)}`;
      throw this.error(
        this.path(field, found[1]),
        b,
        `one "${name}" key, got ${both} (lines ${this.line(a)} and ${this.line(b)}), which Tailscale reads as one, keeping the last`,
      );
    }
    return found[0];
  }

  private requiredMember(object: HujsonObject, name: string, field: string): HujsonMember {
    const member = this.member(object, name, field);
    if (!member) throw this.error(field, object, `a "${name}" member`);
    return member;
  }

  /**
   * What a field (`names[0]`) and its older spelling (`names[1]`) hold together, each read by `read` with its path:
   * `acls` rules still take `users` for `src` and `ports` for `dst`. Either may be absent; not both when `required`.
   */
  private spellings<T>(
    object: HujsonObject,
    names: readonly [string, string?],
    field: string,
    required: boolean,
    read: (member: HujsonMember, at: string) => T[],
  ): T[] {
    const members = names.flatMap((name) => (name === undefined ? [] : (this.member(object, name, field) ?? [])));
    if (members.length === 0 && required) throw this.error(field, object, `a "${names[0]}" member`);
    return members.flatMap((m) => read(m, this.path(field, m)));
  }

  private requiredStrings(object: HujsonObject, name: string, field: string): string[] {
    const member = this.requiredMember(object, name, field);
    return this.strings(member.value, this.path(field, member));
  }

  private requiredDestinations(object: HujsonObject, name: string, field: string): Destination[] {
    const member = this.requiredMember(object, name, field);
    return this.destinations(member.value, this.path(field, member));
  }

  private optionalStrings(object: HujsonObject, name: string, field: string): string[] {
    const member = this.member(object, name, field);
    return member ? this.strings(member.value, this.path(field, member)) : [];
  }

  /** `field.key`, the key as the file writes it, so a message leads to it; a top-level key alone. */
  private path(field: string, member: HujsonMember): string {
    return field === '' ? member.name.value : `${field}.${member.name.value}`;
  }

  private strings(node: HujsonValue, field: string): string[] {
    return this.array(node, field).elements.map((element, i) => this.string(element, `${field}[${i}]`));
  }

  private string(node: HujsonValue, field: string): string {
    if (node.kind !== 'string') throw this.error(field, node, 'a string');
    return node.value;
  }

  private array(node: HujsonValue, field: string) {
    if (node.kind !== 'array') throw this.error(field, node, 'an array');
    return node;
  }

  private object(node: HujsonValue, field: string): HujsonObject {
    if (node.kind !== 'object') throw this.error(field, node, 'an object');
    return node;
  }

  private line(node: { start: number }): number {
    return this.lines.lineAt(node.start);
  }

  private error(field: string, node: { start: number }, expected: string): PolicyShapeError {
    return new PolicyShapeError(field, this.line(node), expected);
  }
}
