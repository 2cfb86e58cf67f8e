import { findMember, HujsonMember, HujsonObject, HujsonValue, LineIndex, parseHujson } from '../hujson';
import { PolicyShapeError } from './errors';
import {
  AccessPolicy,
  AclRule,
  AclTest,
  AutoApprover,
  Destination,
  GrantRule,
  HostAlias,
  HostPorts,
  IpCapability,
  SshRule,
  SshTest,
} from './model';
import { splitHostPorts, splitIpCapability } from './ports';

/**
 * Reads the access sections of a policy file (strict HuJSON) into a typed model with line numbers.
 * Sections it does not model (`nodeAttrs`, `ipsets`, settings) are left alone; a modelled field of the wrong
 * shape is refused with a PolicyShapeError naming it, since a rule misread would misstate what access it gives.
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
    const action = this.string(this.required(rule, 'action', field), `${field}.action`);
    if (action !== 'accept') throw this.error(`${field}.action`, node, '"accept"');
    const srcKey = findMember(rule, 'src') ? 'src' : 'users';
    const dstKey = findMember(rule, 'dst') ? 'dst' : 'ports';
    const proto = findMember(rule, 'proto');
    return {
      line: this.line(node),
      action,
      src: this.strings(this.required(rule, srcKey, field), `${field}.${srcKey}`),
      dst: this.hostPortsList(this.required(rule, dstKey, field), `${field}.${dstKey}`),
      ...(proto ? { protocol: this.protocol(proto.value, `${field}.proto`) } : {}),
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
    };
  }

  private grantRule(node: HujsonValue, field: string): GrantRule {
    const rule = this.object(node, field);
    // A grant without `ip` or `app` gives nothing; the API refuses it, but files in the wild carry it.
    const app = findMember(rule, 'app');
    const ipMember = findMember(rule, 'ip');
    return {
      line: this.line(node),
      src: this.strings(this.required(rule, 'src', field), `${field}.src`),
      dst: this.destinations(this.required(rule, 'dst', field), `${field}.dst`),
      ip: ipMember ? this.ipCapabilities(ipMember.value, `${field}.ip`) : [],
      app: app ? this.object(app.value, `${field}.app`).members.map((m) => m.name.value) : [],
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
      routers: this.optionalStrings(rule, 'via', field),
    };
  }

  private sshRule(node: HujsonValue, field: string): SshRule {
    const rule = this.object(node, field);
    const action = this.string(this.required(rule, 'action', field), `${field}.action`);
    if (action !== 'accept' && action !== 'check') throw this.error(`${field}.action`, node, '"accept" or "check"');
    const checkPeriod = findMember(rule, 'checkPeriod');
    return {
      line: this.line(node),
      action,
      src: this.strings(this.required(rule, 'src', field), `${field}.src`),
      dst: this.destinations(this.required(rule, 'dst', field), `${field}.dst`),
      users: this.optionalStrings(rule, 'users', field),
      ...(checkPeriod ? { checkPeriod: this.string(checkPeriod.value, `${field}.checkPeriod`) } : {}),
      srcPosture: this.optionalStrings(rule, 'srcPosture', field),
    };
  }

  private aclTest(node: HujsonValue, field: string): AclTest {
    const test = this.object(node, field);
    const proto = findMember(test, 'proto');
    // `allow` is an older spelling of `accept` that the API still reads.
    const acceptKey = findMember(test, 'accept') ? 'accept' : 'allow';
    return {
      line: this.line(node),
      src: this.string(this.required(test, 'src', field), `${field}.src`),
      accept: this.optionalHostPorts(test, acceptKey, field),
      deny: this.optionalHostPorts(test, 'deny', field),
      ...(proto ? { protocol: this.protocol(proto.value, `${field}.proto`) } : {}),
    };
  }

  private sshTest(node: HujsonValue, field: string): SshTest {
    const test = this.object(node, field);
    return {
      line: this.line(node),
      src: this.string(this.required(test, 'src', field), `${field}.src`),
      dst: this.destinations(this.required(test, 'dst', field), `${field}.dst`),
      accept: this.optionalStrings(test, 'accept', field),
      check: this.optionalStrings(test, 'check', field),
      deny: this.optionalStrings(test, 'deny', field),
    };
  }

  private autoApprovers(root: HujsonObject): AutoApprover[] {
    const section = findMember(root, 'autoApprovers');
    if (!section) return [];
    const approvers = this.object(section.value, 'autoApprovers');
    const out: AutoApprover[] = [];
    for (const member of approvers.members) {
      if (member.name.value === 'routes') {
        const routes = this.object(member.value, 'autoApprovers.routes');
        for (const route of routes.members) {
          out.push({
            line: this.line(route.name),
            approves: 'route',
            route: route.name.value,
            approvers: this.strings(route.value, `autoApprovers.routes[${JSON.stringify(route.name.value)}]`),
          });
        }
      } else if (member.name.value === 'exitNode') {
        out.push({ line: this.line(member.name), approves: 'exitNode', approvers: this.strings(member.value, 'autoApprovers.exitNode') });
      }
    }
    return out;
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

  private optionalHostPorts(object: HujsonObject, name: string, field: string): HostPorts[] {
    const member = findMember(object, name);
    return member ? this.hostPortsList(member.value, `${field}.${name}`) : [];
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
    const section = findMember(root, name);
    if (!section) return [];
    return this.array(section.value, name).elements.map((element, i) => read(element, `${name}[${i}]`));
  }

  private entries<T>(root: HujsonObject, name: string, read: (member: HujsonMember, field: string) => T): T[] {
    const section = findMember(root, name);
    if (!section) return [];
    return this.object(section.value, name).members.map((m) => read(m, `${name}[${JSON.stringify(m.name.value)}]`));
  }

  private required(object: HujsonObject, name: string, field: string): HujsonValue {
    const member = findMember(object, name);
    if (!member) throw this.error(field, object, `a "${name}" member`);
    return member.value;
  }

  private optionalStrings(object: HujsonObject, name: string, field: string): string[] {
    const member = findMember(object, name);
    return member ? this.strings(member.value, `${field}.${name}`) : [];
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
