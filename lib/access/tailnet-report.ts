import { CheckStatus, TailnetCheck, tailnetChecks } from './checks';
import { deviceOwner, InventoryKey, InventorySection, KeyState, keyKind, keyState, TailnetInventory, unreadReason } from './inventory';
import { readAccessPolicy } from './read-policy';
import { AccessReport, accessReportOf, AccessReportOptions } from './report';

/** One device as the report lists it. */
export interface DeviceEntry {
  readonly nodeId: string;
  readonly name: string;
  /** Its tags when tagged, else the user who registered it. */
  readonly owner: string;
  readonly authorized: boolean;
  readonly keyExpiryDisabled: boolean;
  readonly blocksIncomingConnections: boolean;
  readonly updateAvailable: boolean;
  /** When it was last active; absent while connected. */
  readonly lastSeen?: string;
  readonly connected: boolean;
  readonly clientVersion?: string;
  /** Shared in from another tailnet: counted apart and never judged. */
  readonly external: boolean;
}

export interface DevicesSection {
  /** The tailnet's own devices by state; `external` counts the shared-in ones besides. */
  readonly counts: {
    readonly total: number;
    readonly tagged: number;
    readonly authorized: number;
    readonly notAuthorized: number;
    readonly keyExpiryDisabled: number;
    readonly acceptingIncoming: number;
    readonly updateAvailable: number;
    readonly external: number;
  };
  readonly list: readonly DeviceEntry[];
}

/** One key as the report lists it. */
export interface KeyEntry {
  readonly id: string;
  /** `auth key`, `API access token`, `OAuth client`, … */
  readonly kind: string;
  readonly description?: string;
  readonly created?: string;
  readonly expires?: string;
  readonly state: KeyState;
  readonly reusable: boolean;
  readonly ephemeral: boolean;
  readonly preauthorized: boolean;
  /** Tags a device registered with the key gets. */
  readonly tags: readonly string[];
}

export interface KeysSection {
  readonly counts: Readonly<Record<KeyState, number>> & { readonly total: number };
  readonly list: readonly KeyEntry[];
}

/** Whether a part of the tailnet was read: `refused` names the scope the credential lacks. */
export interface SectionState {
  readonly section: 'policy' | InventorySection;
  readonly state: 'read' | 'refused' | 'offline';
  readonly scope?: string;
}

/** The governance report of a tailnet: the groups of {@link AccessReport}, its devices and keys, and the checks. */
export interface TailnetReport extends AccessReport {
  /** Null when the devices were not read. */
  readonly devices: DevicesSection | null;
  /** Null when the keys were not read. */
  readonly keys: KeysSection | null;
  readonly checks: readonly TailnetCheck[];
  readonly checkSummary: Readonly<Record<CheckStatus, number>>;
  readonly sections: readonly SectionState[];
}

function keyEntry(key: InventoryKey, now: Date): KeyEntry {
  const caps = key.capabilities;
  return {
    id: key.id,
    kind: keyKind(key),
    ...(key.description === undefined ? {} : { description: key.description }),
    ...(key.created === undefined ? {} : { created: key.created }),
    ...(key.expires === undefined ? {} : { expires: key.expires }),
    state: keyState(key, now),
    reusable: caps?.reusable ?? false,
    ephemeral: caps?.ephemeral ?? false,
    preauthorized: caps?.preauthorized ?? false,
    tags: caps?.tags ?? [],
  };
}

function devicesSection(inventory: TailnetInventory): DevicesSection | null {
  if (inventory.devices.state !== 'read') return null;
  const list = inventory.devices.value.map((d): DeviceEntry => ({
    nodeId: d.nodeId,
    name: d.name,
    owner: deviceOwner(d),
    authorized: d.authorized,
    keyExpiryDisabled: d.keyExpiryDisabled,
    blocksIncomingConnections: d.blocksIncomingConnections,
    updateAvailable: d.updateAvailable,
    ...(d.lastSeen === undefined || d.connectedToControl ? {} : { lastSeen: d.lastSeen }),
    connected: d.connectedToControl,
    ...(d.clientVersion === undefined ? {} : { clientVersion: d.clientVersion }),
    external: d.isExternal,
  }));
  const own = inventory.devices.value.filter((d) => !d.isExternal);
  const count = (test: (d: (typeof own)[number]) => boolean) => own.filter(test).length;
  return {
    counts: {
      total: own.length,
      tagged: count((d) => d.tags.length > 0),
      authorized: count((d) => d.authorized),
      notAuthorized: count((d) => !d.authorized),
      keyExpiryDisabled: count((d) => d.keyExpiryDisabled),
      acceptingIncoming: count((d) => !d.blocksIncomingConnections),
      updateAvailable: count((d) => d.updateAvailable),
      external: list.length - own.length,
    },
    list,
  };
}

function keysSection(inventory: TailnetInventory, now: Date): KeysSection | null {
  if (inventory.keys.state !== 'read') return null;
  const list = inventory.keys.value.map((k) => keyEntry(k, now));
  const count = (state: KeyState) => list.filter((k) => k.state === state).length;
  return { counts: { total: list.length, active: count('active'), expiring: count('expiring'), expired: count('expired'), revoked: count('revoked') }, list };
}

const INVENTORY_SECTIONS: readonly InventorySection[] = ['devices', 'keys', 'settings', 'users', 'credential'];

/**
 * The governance report of a tailnet: {@link accessReport} of its policy file, its devices and keys as read, and
 * every check (the Steampipe controls and symtail's own), a check whose sections were not read skipped with why.
 */
export function tailnetReport(text: string, options: AccessReportOptions, inventory: TailnetInventory): TailnetReport {
  const policy = readAccessPolicy(text);
  const report = accessReportOf(policy, text, options);
  const checks = tailnetChecks(policy, report, inventory, options.now);
  const sections: SectionState[] = [
    { section: 'policy', state: 'read' },
    ...INVENTORY_SECTIONS.map((section): SectionState => {
      const reading = inventory[section];
      return reading.state === 'refused' ? { section, state: 'refused', scope: reading.scope } : { section, state: reading.state };
    }),
  ];
  const refusals = INVENTORY_SECTIONS.flatMap((section) => (inventory[section].state === 'refused' ? [unreadReason(section, inventory[section])!] : []));
  const count = (status: CheckStatus) => checks.filter((c) => c.status === status).length;
  return {
    groups: report.groups,
    summary: report.summary,
    devices: devicesSection(inventory),
    keys: keysSection(inventory, options.now),
    checks,
    checkSummary: { ok: count('ok'), alarm: count('alarm'), skip: count('skip') },
    sections,
    warnings: [...report.warnings, ...refusals],
  };
}
