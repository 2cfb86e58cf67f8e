/**
 * The tailnet's records as the API answers them — devices, keys, settings, users — read from response JSON and
 * checked field by field, as Tailscale's API reference (tailscale.com/api) describes them. Only the fields symtail
 * reads are kept. A field of the wrong type is an error naming it (`devices[2].authorized: expected true or false`);
 * an absent one takes the API's own meaning (a shared-in device leaves `clientVersion` and `created` empty).
 */

/** One device of `GET /tailnet/{tailnet}/devices?fields=all`. */
export interface TailscaleDevice {
  /** The preferred id (`nodeId`); the legacy numeric `id` when there is none. */
  readonly nodeId: string;
  /** The MagicDNS name, e.g. `pangolin.tailfe8c.ts.net`. */
  readonly name: string;
  readonly hostname?: string;
  /** Who registered it; for an untagged device, its owner. */
  readonly user?: string;
  /** Once a device is tagged, its tags own it. */
  readonly tags: readonly string[];
  readonly authorized: boolean;
  readonly keyExpiryDisabled: boolean;
  /** When its node key expires (ISO 8601). */
  readonly expires?: string;
  /** Shields up: accepts no connection over Tailscale, not even pings. */
  readonly blocksIncomingConnections: boolean;
  readonly updateAvailable: boolean;
  /** When it was last active; the API leaves it out while the device is connected. */
  readonly lastSeen?: string;
  readonly connectedToControl: boolean;
  readonly clientVersion?: string;
  readonly os?: string;
  /** Shared in from another tailnet, not a member of this one. */
  readonly isExternal: boolean;
  readonly created?: string;
}

/** What `capabilities.devices.create` of an auth key allows a device registered with it. */
export interface KeyCapabilities {
  readonly reusable: boolean;
  readonly ephemeral: boolean;
  readonly preauthorized: boolean;
  readonly tags: readonly string[];
}

/** A key of `GET /tailnet/{tailnet}/keys/{keyId}`: an auth key, an API access token or an OAuth client. */
export interface TailscaleKeyRecord {
  readonly id: string;
  /** `auth`, `api`, `client` or `federated`, where the API shows it. */
  readonly keyType?: string;
  readonly description?: string;
  /** ISO 8601, as the API gives it. */
  readonly created?: string;
  /** ISO 8601; absent for a key that does not expire. */
  readonly expires?: string;
  /** ISO 8601; when the key was revoked (deleted). */
  readonly revoked?: string;
  /** The API marks a revoked or expired key `invalid`. */
  readonly invalid: boolean;
  /** An auth key's device capabilities; absent for other keys. */
  readonly capabilities?: KeyCapabilities;
}

/** The settings of `GET /tailnet/{tailnet}/settings` that governance reads. */
export interface TailnetSettings {
  /** New devices wait for an admin's approval before they join. */
  readonly devicesApprovalOn: boolean;
  readonly devicesAutoUpdatesOn: boolean;
  /** Days before a new device's node key expires. */
  readonly devicesKeyDurationDays?: number;
  readonly usersApprovalOn: boolean;
}

/** One user of `GET /tailnet/{tailnet}/users`. */
export interface TailscaleUser {
  readonly id: string;
  readonly loginName: string;
  readonly displayName?: string;
  /** `owner`, `admin`, `it-admin`, `network-admin`, `billing-admin`, `auditor` or `member`. */
  readonly role: string;
  /** `active`, `idle`, `suspended`, `needs-approval`, … */
  readonly status?: string;
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** The zero time a Go server writes for a time it does not have. */
const ZERO_TIME = /^0001-01-01T00:00:00(\.0+)?Z$/;

/** An ISO 8601 time with its offset, on a day the calendar has (`Date.parse` rolls Feb 30 over to March). */
function isIsoInstant(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_INSTANT.test(value) || !Number.isFinite(Date.parse(value))) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d;
}

/** Reads one JSON object's fields; `fail` turns a field's complaint into the caller's error. */
class Fields {
  constructor(
    private readonly value: Record<string, unknown>,
    private readonly where: string,
    private readonly fail: (detail: string) => Error,
  ) {}

  static of(value: unknown, where: string, fail: (detail: string) => Error): Fields {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw fail(where === '' ? 'not a JSON object' : `${where}: expected a JSON object`);
    return new Fields(value as Record<string, unknown>, where, fail);
  }

  /** The object under `key`, or undefined when absent or null. */
  object(key: string): Fields | undefined {
    const v = this.value[key];
    return v === undefined || v === null ? undefined : Fields.of(v, this.path(key), this.fail);
  }

  requiredString(key: string): string {
    const v = this.value[key];
    if (typeof v !== 'string' || v === '') throw this.fail(`${this.path(key)}: expected a non-empty string`);
    return v;
  }

  /** Absent, null and "" all mean "not given", as the API writes empty fields of shared-in devices. */
  string(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') throw this.fail(`${this.path(key)}: expected a string`);
    return v;
  }

  boolean(key: string): boolean {
    const v = this.value[key];
    if (v === undefined || v === null) return false;
    if (typeof v !== 'boolean') throw this.fail(`${this.path(key)}: expected true or false`);
    return v;
  }

  /** An ISO 8601 time; absent, "" or Go's zero time mean none. */
  time(key: string): string | undefined {
    const v = this.value[key];
    if (v === undefined || v === null || v === '' || (typeof v === 'string' && ZERO_TIME.test(v))) return undefined;
    if (!isIsoInstant(v)) throw this.fail(`${this.path(key)}: expected an ISO 8601 time`);
    return v;
  }

  wholeNumber(key: string): number | undefined {
    const v = this.value[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw this.fail(`${this.path(key)}: expected a whole number`);
    return v;
  }

  strings(key: string): string[] {
    const v = this.value[key];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v) || !v.every((s) => typeof s === 'string')) throw this.fail(`${this.path(key)}: expected an array of strings`);
    return [...v];
  }

  /** The array under `key`, each element read by `read` with its index in the path. */
  list<T>(key: string, read: (item: unknown, where: string) => T): T[] {
    const v = this.value[key];
    if (!Array.isArray(v)) throw this.fail(`${this.path(key)}: expected an array`);
    return v.map((item, i) => read(item, `${this.path(key)}[${i}]`));
  }

  private path(key: string): string {
    return this.where === '' ? key : `${this.where}.${key}`;
  }
}

/** Turns a field's complaint into the caller's error, e.g. prefixed with `the devices response: `. */
type Fail = (detail: string) => Error;

function readDevice(value: unknown, where: string, fail: Fail): TailscaleDevice {
  const f = Fields.of(value, where, fail);
  const nodeId = f.string('nodeId') ?? f.requiredString('id');
  return {
    nodeId,
    name: f.string('name') ?? f.string('hostname') ?? nodeId,
    ...optional('hostname', f.string('hostname')),
    ...optional('user', f.string('user')),
    tags: f.strings('tags'),
    authorized: f.boolean('authorized'),
    keyExpiryDisabled: f.boolean('keyExpiryDisabled'),
    ...optional('expires', f.time('expires')),
    blocksIncomingConnections: f.boolean('blocksIncomingConnections'),
    updateAvailable: f.boolean('updateAvailable'),
    ...optional('lastSeen', f.time('lastSeen')),
    connectedToControl: f.boolean('connectedToControl'),
    ...optional('clientVersion', f.string('clientVersion')),
    ...optional('os', f.string('os')),
    isExternal: f.boolean('isExternal'),
    ...optional('created', f.time('created')),
  };
}

/** `{"devices": [...]}`. */
export function readDevices(body: unknown, fail: Fail): TailscaleDevice[] {
  return Fields.of(body, '', fail).list('devices', (item, where) => readDevice(item, where, fail));
}

/** `{"keys": [{"id": …}, …]}`: the ids only, as the list answers; each is later a path segment, so letters and digits. */
export function readKeyIds(body: unknown, fail: Fail): string[] {
  return Fields.of(body, '', fail).list('keys', (item, where) => {
    const id = Fields.of(item, where, fail).requiredString('id');
    if (!/^[A-Za-z0-9]+$/.test(id)) throw fail(`${where}.id: expected letters and digits`);
    return id;
  });
}

/** One key's details; `expires` may be absent (a key that does not expire). */
export function readKeyRecord(body: unknown, fail: Fail): TailscaleKeyRecord {
  const f = Fields.of(body, '', fail);
  const create = f.object('capabilities')?.object('devices')?.object('create');
  return {
    id: f.requiredString('id'),
    ...optional('keyType', f.string('keyType')),
    ...optional('description', f.string('description')),
    ...optional('created', f.time('created')),
    ...optional('expires', f.time('expires')),
    ...optional('revoked', f.time('revoked')),
    invalid: f.boolean('invalid'),
    ...optional(
      'capabilities',
      create && {
        reusable: create.boolean('reusable'),
        ephemeral: create.boolean('ephemeral'),
        preauthorized: create.boolean('preauthorized'),
        tags: create.strings('tags'),
      },
    ),
  };
}

export function readSettings(body: unknown, fail: Fail): TailnetSettings {
  const f = Fields.of(body, '', fail);
  return {
    devicesApprovalOn: f.boolean('devicesApprovalOn'),
    devicesAutoUpdatesOn: f.boolean('devicesAutoUpdatesOn'),
    ...optional('devicesKeyDurationDays', f.wholeNumber('devicesKeyDurationDays')),
    usersApprovalOn: f.boolean('usersApprovalOn'),
  };
}

/** `{"users": [...]}`. */
export function readUsers(body: unknown, fail: Fail): TailscaleUser[] {
  return Fields.of(body, '', fail).list('users', (item, where) => {
    const f = Fields.of(item, where, fail);
    return {
      id: f.requiredString('id'),
      loginName: f.requiredString('loginName'),
      ...optional('displayName', f.string('displayName')),
      role: f.requiredString('role'),
      ...optional('status', f.string('status')),
    };
  });
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
