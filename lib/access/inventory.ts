import { daysLeftIfSoon } from './expiry';

/**
 * What the governance report reads of a tailnet besides its policy file: devices, keys, settings, users and the
 * report's own credential. Field names are those of Tailscale's API reference, so the API client's records fit as
 * they are; only the fields the report shows or judges are named.
 */

export interface InventoryDevice {
  /** `nodeId`. */
  readonly nodeId: string;
  /** The MagicDNS name. */
  readonly name: string;
  /** Who registered it; for an untagged device, its owner. */
  readonly user?: string;
  /** A tagged device is owned by its tags. */
  readonly tags: readonly string[];
  readonly authorized: boolean;
  readonly keyExpiryDisabled: boolean;
  readonly blocksIncomingConnections: boolean;
  readonly updateAvailable: boolean;
  /** Absent while the device is connected. */
  readonly lastSeen?: string;
  readonly connectedToControl: boolean;
  readonly clientVersion?: string;
  /** Shared in from another tailnet: listed, never judged (this tailnet does not manage it). */
  readonly isExternal: boolean;
}

export interface InventoryKey {
  readonly id: string;
  /** `auth`, `api`, `client` or `federated`. */
  readonly keyType?: string;
  readonly description?: string;
  readonly created?: string;
  /** Absent for a key that does not expire. */
  readonly expires?: string;
  readonly revoked?: string;
  readonly invalid: boolean;
  /** An auth key's device capabilities. */
  readonly capabilities?: {
    readonly reusable: boolean;
    readonly ephemeral: boolean;
    readonly preauthorized: boolean;
    readonly tags: readonly string[];
  };
}

export interface InventorySettings {
  readonly devicesApprovalOn: boolean;
  readonly devicesAutoUpdatesOn: boolean;
}

export interface InventoryUser {
  readonly loginName: string;
  /** `owner`, `admin`, `it-admin`, `network-admin`, `billing-admin`, `auditor` or `member`. */
  readonly role: string;
  readonly status?: string;
}

/**
 * The credential the report ran with: an OAuth client (which does not expire), or an API access token with its id
 * (when its text carries one) and expiry (when that could be read).
 */
export type CredentialFacts = { readonly kind: 'oauth-client' } | { readonly kind: 'api-key'; readonly keyId?: string; readonly expires?: string };

/** The parts of a tailnet the report reads besides the policy file. */
export type InventorySection = 'devices' | 'keys' | 'settings' | 'users' | 'credential';

/** A section as it was read: its value, refused by the API for want of `scope`, or not asked (an offline report). */
export type SectionReading<T> =
  { readonly state: 'read'; readonly value: T } | { readonly state: 'refused'; readonly scope: string } | { readonly state: 'offline' };

export interface TailnetInventory {
  readonly devices: SectionReading<readonly InventoryDevice[]>;
  readonly keys: SectionReading<readonly InventoryKey[]>;
  readonly settings: SectionReading<InventorySettings>;
  readonly users: SectionReading<readonly InventoryUser[]>;
  readonly credential: SectionReading<CredentialFacts>;
}

/** Why a section is missing: `devices not read: the credential lacks the devices:core:read scope`, or offline. */
export function unreadReason(section: InventorySection, reading: SectionReading<unknown>): string | undefined {
  if (reading.state === 'refused') return `${section} not read: the credential lacks the ${reading.scope} scope`;
  return reading.state === 'offline' ? `${section} not read: needs the live API` : undefined;
}

/** A report from a policy file alone: every other section offline. */
export const OFFLINE_INVENTORY: TailnetInventory = {
  devices: { state: 'offline' },
  keys: { state: 'offline' },
  settings: { state: 'offline' },
  users: { state: 'offline' },
  credential: { state: 'offline' },
};

/** Who owns a device: its tags when tagged, else the user who registered it. */
export function deviceOwner(device: InventoryDevice): string {
  return device.tags.length > 0 ? device.tags.join(', ') : (device.user ?? 'unknown');
}

/** How the report names a key's kind. */
export function keyKind(key: InventoryKey): string {
  switch (key.keyType) {
    case 'auth':
      return 'auth key';
    case 'api':
      return 'API access token';
    case 'client':
      return 'OAuth client';
    case 'federated':
      return 'federated identity';
    default:
      return key.capabilities === undefined ? 'key' : 'auth key';
  }
}

/** A key's state at `now`: revoked (or marked invalid), expired, expiring within 14 days, or active. */
export type KeyState = 'revoked' | 'expired' | 'expiring' | 'active';

export function keyState(key: InventoryKey, now: Date): KeyState {
  if (key.revoked !== undefined) return 'revoked';
  if (key.expires !== undefined && Date.parse(key.expires) <= now.getTime()) return 'expired';
  // The API marks a revoked or expired key invalid; one that is neither by its dates was revoked.
  if (key.invalid) return 'revoked';
  return key.expires !== undefined && daysLeftIfSoon(key.expires, now) !== undefined ? 'expiring' : 'active';
}
