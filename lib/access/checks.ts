// Longer than most files: two tables of checks, a check a row with its control, fix and judge read together, and the
// short runner over both; the inventory, expiry and dangers they read are files of their own.
import { DangerKind } from './dangers';
import {
  CredentialFacts,
  deviceOwner,
  InventoryDevice,
  InventoryKey,
  InventorySection,
  InventorySettings,
  InventoryUser,
  keyKind,
  keyState,
  TailnetInventory,
  unreadReason,
} from './inventory';
import { daysLeftIfSoon, EXPIRY_WARNING_DAYS } from './expiry';
import { AccessPolicy } from './model';
import { AccessReport } from './report';

/** `ok`, `alarm` or `skip` (a section the check needs was not read), as Steampipe's controls answer. */
export type CheckStatus = 'ok' | 'alarm' | 'skip';

/** One check of the tailnet: what it found, the offending resources when it alarms, and what to do. */
export interface TailnetCheck {
  readonly id: string;
  readonly title: string;
  /** The Steampipe Tailscale compliance control this check answers; absent for symtail's own checks. */
  readonly control?: string;
  readonly status: CheckStatus;
  /** One sentence: what was found, or why the check could not run. */
  readonly reason: string;
  /** What made it alarm, one line each. */
  readonly resources: readonly string[];
  readonly fix: string;
}

/** Everything a check may read; a section a check does not declare it needs may be empty. */
interface Facts {
  readonly policy: AccessPolicy;
  readonly report: AccessReport;
  readonly devices: readonly InventoryDevice[];
  readonly keys: readonly InventoryKey[];
  readonly settings: InventorySettings;
  readonly users: readonly InventoryUser[];
  readonly credential: CredentialFacts;
  readonly now: Date;
}

type Verdict = { readonly resources: readonly string[]; readonly reason: string } | { readonly skip: string };

interface CheckDefinition {
  readonly id: string;
  readonly title: string;
  readonly control?: string;
  /** The sections besides the policy file the check reads; unread, the check is skipped. */
  readonly needs: readonly InventorySection[];
  readonly fix: string;
  /** Alarms exactly when it names resources. */
  judge(facts: Facts): Verdict;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** Devices of this tailnet: shared-in devices are another tailnet's to manage. */
const members = (facts: Facts) => facts.devices.filter((d) => !d.isExternal);
const deviceLine = (d: InventoryDevice, what: string) => `${d.name} (${deviceOwner(d)}): ${what}`;
/** A `src` entry naming one person: a login has an `@` and no selector prefix (`group:`, `tag:`, `autogroup:`). */
const isLogin = (entry: string) => entry.includes('@') && !entry.includes(':');

/**
 * The nine controls of the Steampipe Tailscale compliance mod's "security best practices" benchmark as it stood in
 * 2022 (turbot/steampipe-mod-tailscale-compliance, security_best_practices.sp at 1b26386; its v0.1 release kept
 * seven, dropping the network-boundary and unused-key controls), after Tailscale's security hardening guide
 * (tailscale.com/kb/1196). Where the mod's query judged something symtail reads better, the check says how it differs.
 */
const STEAMPIPE_CHECKS: readonly CheckDefinition[] = [
  {
    id: 'acl-groups-used',
    title: 'Use groups in ACLs',
    control: 'tailscale_tailnet_acl_groups_used',
    needs: [],
    fix: 'Define groups by job function in "groups" and name them in each rule\'s src instead of single logins, so a change of role is one membership edit.',
    // The mod alarms only on a file without groups; a rule that names a person in `src` defeats groups the same way.
    judge: ({ policy }) => {
      const rules = [
        ...policy.acls.map((r) => ({ section: 'acls', ...r })),
        ...policy.grants.map((r) => ({ section: 'grants', ...r })),
        ...policy.ssh.map((r) => ({ section: 'ssh', ...r })),
      ].sort((a, b) => a.line - b.line);
      const resources = [
        ...(policy.groups.length === 0 ? ['the policy file defines no groups'] : []),
        ...rules.flatMap((r) => r.src.filter(isLogin).map((login) => `line ${r.line} ${r.section}: src ${login}`)),
      ];
      return {
        resources,
        reason:
          resources.length === 0 ? `${plural(policy.groups.length, 'group')}; no rule names a single login in src` : 'rules name people instead of groups',
      };
    },
  },
  {
    id: 'acl-tags-used',
    title: 'Use tags in ACLs',
    control: 'tailscale_tailnet_acl_tags_used',
    needs: ['devices'],
    fix: 'Define tag owners ("tagOwners") and tag servers and shared devices (tailscale up --advertise-tags=tag:…, or an auth key with tags), so access follows purpose rather than whoever registered the device.',
    // The mod's first query asked for tag owners; its v0.1 alarms on every untagged device, people's laptops included.
    judge: (facts) => {
      const devices = members(facts);
      const tagged = devices.filter((d) => d.tags.length > 0).length;
      const resources = [
        ...(facts.policy.tagOwners.length === 0 ? ['the policy file defines no tagOwners'] : []),
        ...(devices.length > 0 && tagged === 0 ? [`none of the ${plural(devices.length, 'device')} carries a tag`] : []),
      ];
      return { resources, reason: `${plural(facts.policy.tagOwners.length, 'tag owner')}; ${tagged} of ${plural(devices.length, 'device')} tagged` };
    },
  },
  {
    id: 'admin-roles-assigned',
    title: 'Assign admin roles',
    control: 'tailscale_acl_ssh_admin_roles_assigned',
    needs: ['users'],
    fix: 'Give each administrator the narrowest role their job needs — Network admin (policy file, DNS), IT admin (users, devices), Billing admin, Auditor (read only) — and keep Admin for few (admin console, Users, Edit role).',
    // The mod looked for role-like group names among SSH users; the users' own roles are what Tailscale enforces.
    judge: ({ users }) => {
      const active = users.filter((u) => u.status !== 'suspended');
      const admins = active.filter((u) => u.role === 'admin');
      const scoped = active.filter((u) => SCOPED_ADMIN_ROLES.includes(u.role));
      const resources = admins.length > 0 && scoped.length === 0 ? admins.map((u) => `${u.loginName}: Admin`) : [];
      const roles = [...new Set(scoped.map((u) => u.role))].join(', ');
      return {
        resources,
        reason:
          resources.length > 0
            ? `every administrator besides the Owner is a full Admin (${admins.length}); no narrower admin role is assigned`
            : scoped.length > 0
              ? `narrower admin roles assigned: ${roles}`
              : 'no Admin besides the Owner',
      };
    },
  },
  {
    id: 'ssh-check-mode',
    title: 'Use check mode for Tailscale SSH',
    control: 'tailscale_acl_ssh_check_mode_enabled',
    needs: [],
    fix: 'Set "action": "check" (with a "checkPeriod") on ssh rules that let people in as root, so a root session asks the person to sign in again.',
    // The mod alarms unless some root rule is in check mode, even with no ssh rules at all; here only an accepting root rule does.
    judge: ({ policy }) => {
      const root = policy.ssh.filter((r) => r.users.includes('root'));
      const resources = root
        .filter((r) => r.action === 'accept')
        .map((r) => `line ${r.line} ssh: accept as root from ${r.src.join(', ')} to ${r.dst.map((d) => d.host).join(', ')}`);
      return {
        resources,
        reason:
          root.length === 0
            ? 'no ssh rule lets anyone in as root'
            : `${plural(root.length - resources.length, 'root ssh rule')} in check mode, ${resources.length} accepting`,
      };
    },
  },
  {
    id: 'device-authorization',
    title: 'Enable device authorization',
    control: 'tailscale_device_authorization_enabled',
    needs: ['settings', 'devices'],
    fix: 'Keep device approval on (admin console, Settings, Device management, Manually approve new devices) and approve or remove the devices waiting for it.',
    // The mod reads each device's `authorized`; the tailnet setting is what makes new devices wait for review.
    judge: (facts) => {
      const waiting = members(facts).filter((d) => !d.authorized);
      const resources = [
        ...(facts.settings.devicesApprovalOn ? [] : ['tailnet setting devicesApprovalOn is off: new devices join without review']),
        ...waiting.map((d) => deviceLine(d, 'not authorized')),
      ];
      return { resources, reason: `device approval ${facts.settings.devicesApprovalOn ? 'on' : 'off'}; ${plural(waiting.length, 'device')} not authorized` };
    },
  },
  {
    id: 'device-key-expiry',
    title: 'Customize node key expiration',
    control: 'tailscale_device_key_expire',
    needs: ['devices'],
    fix: 'Re-enable key expiry on these devices (admin console, Machines, Enable key expiry) so their node keys rotate when their owners sign in again.',
    judge: (facts) => {
      const resources = members(facts)
        .filter((d) => d.keyExpiryDisabled)
        .map((d) => deviceLine(d, 'key expiry disabled'));
      return { resources, reason: `${plural(resources.length, 'device')} with key expiry disabled` };
    },
  },
  {
    id: 'network-boundary',
    title: 'Protect your network boundary',
    control: 'tailscale_device_network_boundary_protected',
    needs: ['devices'],
    fix: "Block incoming connections on people's devices that serve nothing (tailscale set --shields-up, or Allow incoming connections off in the client); tag the servers that must accept them.",
    // The mod alarms on every device that accepts connections; a tagged device is a server, there to accept them.
    judge: (facts) => {
      const resources = members(facts)
        .filter((d) => d.tags.length === 0 && !d.blocksIncomingConnections)
        .map((d) => deviceLine(d, 'accepts incoming connections'));
      return { resources, reason: `${plural(resources.length, 'untagged device')} accepting incoming connections (tagged devices are servers, exempt)` };
    },
  },
  {
    id: 'unused-keys',
    title: 'Remove unused API keys',
    control: 'tailscale_tailnet_key_unused',
    needs: ['keys'],
    fix: 'Delete keys no longer needed (admin console, Settings, Keys, Revoke; or DELETE /api/v2/tailnet/{tailnet}/keys/{keyId}): a leaked auth key adds devices to the tailnet.',
    judge: ({ keys, now }) => {
      const resources = keys.flatMap((k) => {
        const state = keyState(k, now);
        if (state === 'revoked') return [`${keyLine(k)}: revoked${k.revoked === undefined ? '' : ` ${k.revoked}`}`];
        return state === 'expired' ? [`${keyLine(k)}: expired ${k.expires}`] : [];
      });
      return { resources, reason: `${plural(keys.length, 'key')} listed, ${resources.length} expired or revoked` };
    },
  },
  {
    id: 'client-updates',
    title: 'Upgrade Tailscale clients in a timely manner',
    control: 'tailscale_device_upgrade_clients_in_timely_manner',
    needs: ['devices'],
    fix: 'Update Tailscale on these devices, or turn on auto-updates (admin console, Settings, Device management, Auto-update Tailscale).',
    judge: (facts) => {
      const resources = members(facts)
        .filter((d) => d.updateAvailable)
        .map((d) => deviceLine(d, `update available${d.clientVersion === undefined ? '' : ` (runs ${d.clientVersion})`}`));
      return { resources, reason: `${plural(resources.length, 'device')} with a client update available` };
    },
  },
];

const SCOPED_ADMIN_ROLES = ['network-admin', 'it-admin', 'billing-admin', 'auditor'];

/** Dangers that last beyond a grant or reach everything: who holds them for good could hold them for a while. */
const STANDING_DANGERS: readonly DangerKind[] = ['tag-owner', 'all-destinations'];

const keyLine = (k: InventoryKey) => `${k.id} (${keyKind(k)}${k.description === undefined ? '' : `, "${k.description}"`})`;

/** What only symtail knows: who could be just-in-time instead, who outstayed a grant, and its own credential. */
const SYMTAIL_CHECKS: readonly CheckDefinition[] = [
  {
    id: 'standing-access',
    title: 'Standing members of groups that own tags or reach every destination',
    needs: [],
    fix: 'Make them just-in-time: take them out of the group and let them request it for a while (symtail request, or symtail escalate --for 1h).',
    judge: ({ report }) => {
      const resources = report.groups
        .filter((g) => g.managed)
        .flatMap((g) => {
          const dangers = g.dangers.filter((d) => STANDING_DANGERS.includes(d.kind));
          if (dangers.length === 0) return [];
          const why = dangers.map((d) => `${d.kind} line ${d.line}`).join('; ');
          return g.standing.map((member) => `${member} in ${g.group} (${why})`);
        });
      return {
        resources,
        reason:
          resources.length === 0
            ? 'no standing member of a managed group that owns a tag or reaches every destination'
            : `${plural(resources.length, 'standing membership')} could be just-in-time`,
      };
    },
  },
  {
    id: 'overdue-grants',
    title: 'Just-in-time members past their expiry',
    needs: [],
    fix: "Run a sweep (symtail sweep --tailnet T) and find why the scheduled one did not remove them (the runtime's sweep alarms and audit lines).",
    judge: ({ report }) => {
      const resources = report.groups.flatMap((g) =>
        g.overdue.map((m) => `${m.member} in ${g.group} until ${m.until}${m.requestId === undefined ? '' : ` (request ${m.requestId})`}`),
      );
      return {
        resources,
        reason: resources.length === 0 ? 'no member past the grant' : `${plural(resources.length, 'member')} still present after the grant expired`,
      };
    },
  },
  {
    id: 'credential-expiry',
    title: "The report's own credential expires",
    needs: ['credential'],
    fix: 'Put a new API key in place before this one expires, or move to an OAuth client, which does not expire.',
    judge: ({ credential, now }) => {
      if (credential.kind === 'oauth-client') return { resources: [], reason: 'an OAuth client, which does not expire' };
      if (credential.keyId === undefined) return { skip: 'the API key has no id in its text, so its expiry cannot be asked for' };
      // The API leaves `expires` out (or writes Go's zero time) for a key that does not expire.
      if (credential.expires === undefined) return { resources: [], reason: `API key ${credential.keyId} does not expire` };
      const daysLeft = daysLeftIfSoon(credential.expires, now);
      const resources = daysLeft === undefined ? [] : [`API key ${credential.keyId}: ${daysLeft < 0 ? 'expired' : 'expires'} ${credential.expires}`];
      return {
        resources,
        reason:
          resources.length === 0
            ? `API key ${credential.keyId} expires ${credential.expires}, more than ${EXPIRY_WARNING_DAYS} days ahead`
            : `the API key expires within ${EXPIRY_WARNING_DAYS} days`,
      };
    },
  },
];

/** Why a check could not run: the first section it needs that was not read. */
function unread(inventory: TailnetInventory, needs: readonly InventorySection[]): string | undefined {
  return needs.map((section) => unreadReason(section, inventory[section])).find((reason) => reason !== undefined);
}

const valueOf = <T>(reading: TailnetInventory[InventorySection], empty: T): T => (reading.state === 'read' ? (reading.value as T) : empty);

/** Every check of the tailnet, the Steampipe controls first, in a fixed order. */
export function tailnetChecks(policy: AccessPolicy, report: AccessReport, inventory: TailnetInventory, now: Date): TailnetCheck[] {
  const facts: Facts = {
    policy,
    report,
    devices: valueOf(inventory.devices, []),
    keys: valueOf(inventory.keys, []),
    settings: valueOf(inventory.settings, { devicesApprovalOn: false, devicesAutoUpdatesOn: false }),
    users: valueOf(inventory.users, []),
    credential: valueOf<CredentialFacts>(inventory.credential, { kind: 'oauth-client' }),
    now,
  };
  return [...STEAMPIPE_CHECKS, ...SYMTAIL_CHECKS].map((def): TailnetCheck => {
    const head = { id: def.id, title: def.title, ...(def.control === undefined ? {} : { control: def.control }) };
    const missing = unread(inventory, def.needs);
    const verdict: Verdict = missing === undefined ? def.judge(facts) : { skip: missing };
    if ('skip' in verdict) return { ...head, status: 'skip', reason: verdict.skip, resources: [], fix: def.fix };
    return { ...head, status: verdict.resources.length > 0 ? 'alarm' : 'ok', reason: verdict.reason, resources: verdict.resources, fix: def.fix };
  });
}
