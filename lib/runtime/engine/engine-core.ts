import { randomBytes } from 'node:crypto';
import { IntegrationManifest, Manifest } from '../../manifest';
import { auditOutcomeOf } from '../../errors';
import { TailscaleClient, TailscaleCredential } from '../../tailscale';
import { AuditEvent, AuditSink, stdoutAuditSink } from '../audit';
import { applyEdit } from '../apply-edit';
import { describeError } from '../errors';
import { PolicyEdit, TailnetAccess } from '../tailnet-access';
import { AccessEngineOptions, AccessResult, Resolved } from './results';

/** Adds fields to the audit line of the action under way. */
export type Note = (fields: Partial<AuditEvent>) => void;

/**
 * What the engine's verbs share: the manifest, the clock, the audit sink, the ids of direct events, and one coalescing
 * access object per tailnet and credential (replaced when the secret is rotated, so the new key is used).
 */
export class EngineCore {
  readonly now: () => Date;
  readonly audit: AuditSink;
  /** The id of a direct event that names none. */
  readonly newRequestId: () => string;
  private readonly accesses = new Map<string, { credential: TailscaleCredential; access: TailnetAccess }>();

  constructor(readonly options: AccessEngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.audit = options.audit ?? stdoutAuditSink;
    this.newRequestId = options.newRequestId ?? (() => `r-${randomBytes(8).toString('hex')}`);
  }

  get manifest(): Manifest {
    return this.options.manifest;
  }

  /** The access object of an integration's tailnet, with its credential as the secret holds it now. */
  async accessFor(integration: IntegrationManifest): Promise<TailnetAccess> {
    const credential = await this.options.credentials.get(integration.credential);
    const cached = this.accesses.get(integration.name);
    if (cached && sameCredential(cached.credential, credential)) return cached.access;
    const client = new TailscaleClient({ ...this.options.clientOptions, apiBaseUrl: integration.apiBaseUrl, credential });
    const access = new TailnetAccess(client, integration.externalId);
    this.accesses.set(integration.name, { credential, access });
    return access;
  }

  /** Applies one grant or revocation to the resolved target's tailnet, and answers what it did. */
  async run(
    r: Resolved,
    edit: PolicyEdit,
    dryRun: boolean,
    fields: { action: 'escalate' | 'deescalate'; login: string; until?: string; requestId: string },
    note: Note,
  ): Promise<AccessResult & { outcome: AuditEvent['outcome'] }> {
    const access = await this.accessFor(r.integration);
    const common = { ok: true as const, ...fields, flow: r.flow.name, target: r.target.name, tailnet: r.integration.externalId, group: r.target.groupName };
    // A grant or a revocation may be written on the text the client kept from its last read or write: If-Match
    // decides, and only a write the tailnet accepted is taken from it (a refusal or a no-op is judged on a fresh read).
    const outcome = await applyEdit(access, edit, dryRun, true);
    const { changed, roundTrips, cached, ...shown } = outcome;
    if (roundTrips !== undefined) note({ roundTrips, cached });
    return { ...common, ...shown, outcome: changed ? 'success' : 'noop' };
  }

  /** Runs an action and emits its one audit event, whatever the outcome; rethrows failures. */
  async audited<T extends object>(
    base: Omit<AuditEvent, 'type' | 'time' | 'outcome'>,
    body: (note: Note) => Promise<T & { outcome?: AuditEvent['outcome'] }>,
  ): Promise<T> {
    let noted: Partial<AuditEvent> = {};
    const note: Note = (fields) => {
      noted = { ...noted, ...fields };
    };
    const emit = (outcome: AuditEvent['outcome'], extra: Partial<AuditEvent>) =>
      this.audit({ type: 'symtail.audit', time: this.now().toISOString(), ...base, ...noted, ...extra, outcome });
    let result;
    try {
      result = await body(note);
    } catch (error) {
      const described = describeError(error);
      emit(auditOutcomeOf(described.code), { error: described });
      throw error;
    }
    const { outcome, ...rest } = result;
    const r = rest as Partial<AccessResult>;
    emit(outcome ?? 'success', {
      ...(r.etagBefore !== undefined ? { etagBefore: r.etagBefore } : {}),
      ...(r.etagAfter !== undefined ? { etagAfter: r.etagAfter } : {}),
      ...(r.changes !== undefined ? { changes: r.changes } : {}),
      ...(r.warnings !== undefined && r.warnings.length > 0 ? { warnings: r.warnings } : {}),
    });
    return rest as T;
  }
}

function sameCredential(a: TailscaleCredential, b: TailscaleCredential): boolean {
  if (a.kind === 'apiKey' && b.kind === 'apiKey') return a.apiKey === b.apiKey;
  if (a.kind === 'oauthClient' && b.kind === 'oauthClient') return a.clientId === b.clientId && a.clientSecret === b.clientSecret;
  return false;
}
