import { randomBytes } from 'node:crypto';
import {
  CredentialRef,
  FlowManifest,
  IntegrationManifest,
  Manifest,
  StrategyManifest,
  TargetManifest,
  parseDuration,
} from '../manifest';
import { AccessSummary, assessGroupAccess, daysLeftIfSoon } from '../access';
import { auditOutcomeOf, DescribedError, quoteForMessage } from '../errors';
import { EditResult, LedgerEntry, formatExpiry, grant, listLedger, requestIdsHeld, revoke, sweep } from '../policy';
import { TailscaleClient, TailscaleClientOptions, TailscaleCredential, apiKeyId } from '../tailscale';
import { AuditEvent, AuditSink, stdoutAuditSink } from './audit';
import { CredentialNotSetError } from './credentials';
import { EditOutcome, applyEdit } from './apply-edit';
import { KeyExpiryCache, expiryWarning } from './credential-expiry';
import { RequestRejectedError, SweepIncompleteError, describeError } from './errors';
import { DeescalateEvent, EscalateEvent, RuntimeEvent, StatusEvent, SweepEvent } from './events';
import { checkAsciiEmail, loginFor } from './identity';
import { isAllowedRequester } from '../requests';
import { PolicyEdit, TailnetAccess } from './tailnet-access';

export interface CredentialProvider {
  get(ref: CredentialRef): Promise<TailscaleCredential>;
}

export interface AccessEngineOptions {
  readonly manifest: Manifest;
  readonly credentials: CredentialProvider;
  /** Extra client settings (deadline, retry, injected sleep); the base URL and credential come from the manifest. */
  readonly clientOptions?: Omit<TailscaleClientOptions, 'credential' | 'apiBaseUrl'>;
  readonly now?: () => Date;
  readonly audit?: AuditSink;
  readonly newRequestId?: () => string;
}

/** What the engine answers for escalate and deescalate: the request, resolved, and what its edit did. */
export interface AccessResult extends Omit<EditOutcome, 'changed'> {
  readonly ok: true;
  readonly action: 'escalate' | 'deescalate';
  readonly flow: string;
  readonly target: string;
  readonly tailnet: string;
  readonly group: string;
  readonly login: string;
  readonly until?: string;
  readonly requestId: string;
  /** Escalation only: what membership of the group grants, and its flagged dangers (also among `warnings`). */
  readonly impact?: AccessSummary;
}

export interface SweepResult {
  readonly ok: true;
  readonly action: 'sweep';
  readonly dryRun: boolean;
  readonly tailnets: readonly {
    readonly tailnet: string;
    readonly groups: readonly string[];
    readonly written: boolean;
    readonly removed: EditResult['changes'];
    readonly warnings: readonly string[];
    /** The request ids whose grants the file holds after the sweep: the requests sweep removes those of closed requests. */
    readonly requestsHeld: readonly string[];
    readonly diff?: string;
    /** Set when this tailnet could not be swept; the others were swept all the same. */
    readonly error?: DescribedError;
  }[];
  /**
   * Credentials that need someone, one line each: a secret with no value yet (its tailnet was not swept, and
   * could hold no grant of the runtime's), or an API key within 14 days of its expiry (or past it). Absent when none.
   */
  readonly credentialWarnings?: readonly string[];
}

export interface StatusEntry {
  readonly member: string;
  readonly until: string;
  readonly requestId?: string;
}

export interface StatusResult {
  readonly ok: true;
  readonly action: 'status';
  readonly targets: readonly {
    readonly target: string;
    readonly label: string;
    readonly tailnet: string;
    readonly group: string;
    /** Just-in-time members whose expiry is ahead. */
    readonly active: readonly StatusEntry[];
    /** Members whose expiry has passed and who are still present: the sweep failed or never ran for them. */
    readonly overdue: readonly StatusEntry[];
    readonly standing: readonly string[];
    /** The flagged dangers of membership (`line 26 tag-owner: …`), from the policy file as it is now. */
    readonly dangers: readonly string[];
  }[];
  readonly warnings: readonly string[];
}

/** What the engine needs of a stored request to write or remove its grant. */
export interface ApprovedRequest {
  readonly id: string;
  readonly flow: string;
  readonly target: string;
  readonly login: string;
  readonly duration: string;
  readonly requesterEmail: string;
  readonly reason?: string;
}

export type EngineResult = AccessResult | SweepResult | StatusResult;

export interface Resolved {
  readonly flow: FlowManifest;
  readonly strategy: StrategyManifest;
  readonly integration: IntegrationManifest;
  readonly target: TargetManifest;
}

/**
 * Executes the strategy manifest: resolves flow → strategy → integration + target, checks the request,
 * and edits the tailnet policy file through one coalescing access object per tailnet and credential.
 * Every action emits exactly one audit event.
 */
export class AccessEngine {
  private readonly accesses = new Map<string, { credential: TailscaleCredential; access: TailnetAccess }>();
  private readonly keyExpiry = new KeyExpiryCache();
  /** The engine's clock. */
  readonly now: () => Date;
  private readonly audit: AuditSink;
  private readonly newRequestId: () => string;

  constructor(private readonly options: AccessEngineOptions) {
    this.now = options.now ?? (() => new Date());
    this.audit = options.audit ?? stdoutAuditSink;
    this.newRequestId = options.newRequestId ?? (() => `r-${randomBytes(8).toString('hex')}`);
  }

  get manifest(): Manifest {
    return this.options.manifest;
  }

  handle(event: RuntimeEvent): Promise<EngineResult> {
    switch (event.action) {
      case 'escalate':
        return this.escalate(event);
      case 'deescalate':
        return this.deescalate(event);
      case 'sweep':
        return this.sweep(event);
      case 'status':
        return this.status(event);
    }
  }

  async escalate(event: EscalateEvent): Promise<AccessResult> {
    const requestId = event.requestId ?? this.newRequestId();
    const base = { action: 'escalate' as const, flow: event.flow, target: event.target, requester: event.requester.email, reason: event.reason, requestId, dryRun: event.dryRun };
    return this.audited(base, async (note) => {
      const { resolved: r, login, seconds } = this.checkAccess(event.flow, event.target, event.requester.email, event.duration, event.reason);
      const until = expiryAfter(this.now(), seconds);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login, until: formatExpiry(until) });
      let impact: AccessSummary | undefined;
      // The grant's warnings carry the group's flagged dangers, so the answer and the audit line both name them.
      const edit: PolicyEdit = (text) => {
        const result = grant(text, { group: r.target.groupName, member: login, until, requestId, createGroup: r.target.createGroup });
        const assessment = assessGroupAccess(text, `group:${r.target.groupName}`);
        impact = assessment.summary;
        return { ...result, warnings: [...result.warnings, ...assessment.warnings] };
      };
      const result = await this.run(r, edit, event.dryRun === true, { action: 'escalate', login, until: formatExpiry(until), requestId }, note);
      return impact === undefined ? result : { ...result, impact };
    });
  }

  /** A request for access checked against its flow as an escalation is: the login and duration it would grant. */
  checkAccess(flow: string, target: string, email: string, duration?: string, reason?: string): { resolved: Resolved; login: string; duration: string; seconds: number } {
    const resolved = this.resolve(flow, target);
    this.checkRequester(resolved.flow, email);
    this.checkReason(resolved.flow, reason);
    const chosen = this.checkDuration(resolved, duration);
    return { resolved, login: loginFor(resolved.integration, email), ...chosen };
  }

  /** The tailnet login of an email in the flow's tailnet: the integration's identity overrides, else the email. */
  loginIn(flow: string, email: string): string {
    return loginFor(this.integrationOf(flow), email);
  }

  /** Whether the target's group holds an unexpired grant annotated with the request's id, read now. */
  async holdsGrant(request: ApprovedRequest): Promise<boolean> {
    const r = this.resolve(request.flow, request.target);
    const { text } = await (await this.accessFor(r.integration)).read();
    return listLedger(text, this.now()).active.some((g) => g.group === r.target.groupName && g.requestId === request.id);
  }

  /** The group's standing members (no grant annotation) in the flow's tailnet, read now. */
  async standingMembers(flow: string, group: string): Promise<string[]> {
    const { text } = await (await this.accessFor(this.integrationOf(flow))).read();
    return listLedger(text, this.now()).standing.filter((s) => s.group === group).map((s) => s.member);
  }

  /**
   * Writes an approved request's grant, `req=<id>`, until `now` + its duration, in one If-Match write. A grant that
   * already carries the id (written before its store update was lost) is kept as it is and its expiry returned.
   */
  async grantRequest(request: ApprovedRequest, now: Date): Promise<{ until: string }> {
    const base = { action: 'escalate' as const, flow: request.flow, target: request.target, requester: request.requesterEmail, reason: request.reason, requestId: request.id };
    const result = await this.audited(base, async (note) => {
      const r = this.resolve(request.flow, request.target);
      const { seconds } = this.checkDuration(r, request.duration);
      const until = expiryAfter(now, seconds);
      let granted = formatExpiry(until);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login: request.login, until: granted });
      const edit: PolicyEdit = (text) => {
        const held = listLedger(text, now).active.find((g) => g.group === r.target.groupName && g.requestId === request.id);
        if (held !== undefined) {
          granted = held.until;
          return { text, changed: false, changes: [{ kind: 'unchanged', group: held.group, member: held.member, until: held.until, requestId: request.id }], warnings: [] };
        }
        const result = grant(text, { group: r.target.groupName, member: request.login, until, requestId: request.id, createGroup: r.target.createGroup });
        const change = result.changes.find((c) => c.kind === 'added' || c.kind === 'extended' || c.kind === 'unchanged');
        if (change?.until !== undefined) granted = change.until;
        return result;
      };
      const applied = await this.run(r, edit, false, { action: 'escalate', login: request.login, until: formatExpiry(until), requestId: request.id }, note);
      note({ until: granted });
      return { ...applied, until: granted };
    });
    return { until: result.until! };
  }

  /** Removes a request's grant: only where the member's annotation carries its id. */
  async revokeRequest(request: ApprovedRequest): Promise<void> {
    const base = { action: 'deescalate' as const, flow: request.flow, target: request.target, requester: request.requesterEmail, requestId: request.id };
    await this.audited(base, async (note) => {
      const r = this.resolve(request.flow, request.target);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login: request.login });
      const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: request.login, requestId: request.id });
      return this.run(r, edit, false, { action: 'deescalate', login: request.login, requestId: request.id }, note);
    });
  }

  async deescalate(event: DeescalateEvent): Promise<AccessResult> {
    const requestId = event.requestId ?? this.newRequestId();
    const base = { action: 'deescalate' as const, flow: event.flow, target: event.target, requester: event.requester.email, reason: event.reason, requestId, dryRun: event.dryRun };
    return this.audited(base, async (note) => {
      const r = this.resolve(event.flow, event.target);
      if (!r.flow.allowRevoke) {
        throw new RequestRejectedError('revoke-not-allowed', `flow "${r.flow.name}" does not allow revoking access (allowRevoke is false)`);
      }
      this.checkRequester(r.flow, event.requester.email);
      const login = loginFor(r.integration, event.requester.email);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login });
      const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: login });
      return this.run(r, edit, event.dryRun === true, { action: 'deescalate', login, requestId }, note);
    });
  }

  /**
   * Removes expired grants, then warns of API keys close to their expiry, which would stop every later sweep. A sweep
   * that could not finish fails without the check: its own failure is what alarms then.
   */
  async sweep(event: SweepEvent): Promise<SweepResult> {
    const notSet: string[] = [];
    const swept = await this.sweepGrants(event, notSet);
    const credentialWarnings = [...notSet, ...(await this.checkKeyExpiry())];
    return credentialWarnings.length === 0 ? swept : { ...swept, credentialWarnings };
  }

  /**
   * Sweeps each tailnet on its own. One whose secret has no value yet is passed over with a `credential-check` line of
   * outcome `not-set` (and a line in `notSet`), not failed: the runtime can have granted nothing there, and a fresh
   * deploy whose secrets are still to be set should not fail every minute. Any other failure fails the sweep.
   */
  private async sweepGrants(event: SweepEvent, notSet: string[]): Promise<SweepResult> {
    const dryRun = event.dryRun === true;
    return this.audited({ action: 'sweep', dryRun }, async (note) => {
      const now = this.now();
      const tailnets: SweepResult['tailnets'][number][] = [];
      const failures: string[] = [];
      let roundTrips = 0;
      // Each tailnet on its own: one broken integration must not keep expired grants alive on the others.
      for (const [integrationName, groups] of this.sweptGroups()) {
        const integration = this.manifest.integrations[integrationName];
        const entry = { tailnet: integration.externalId, groups: groups.all };
        try {
          const access = await this.accessFor(integration);
          let requestsHeld: string[] = [];
          const edit: PolicyEdit = (text) => {
            const result = sweep(text, { now, groups: groups.all, exclusiveGroups: groups.exclusive, longestSeconds: groups.longest });
            requestsHeld = requestIdsHeld(result.text);
            return result;
          };
          // Never on a kept copy: what the sweep removes, and what it finds overdue, must be of the live file.
          const { written, changes, warnings, diff, roundTrips: trips } = await applyEdit(access, edit, dryRun);
          roundTrips += trips ?? 0;
          tailnets.push({ ...entry, written, removed: changes, warnings, requestsHeld, ...(diff === undefined ? {} : { diff }) });
        } catch (error) {
          const described = describeError(error);
          tailnets.push({ ...entry, written: false, removed: [], warnings: [], requestsHeld: [], error: described });
          const line = `integration "${integrationName}" (tailnet ${integration.externalId}): ${described.message}`;
          if (error instanceof CredentialNotSetError) {
            notSet.push(line);
            this.audit({ ...this.credentialCheckLine(integration), outcome: 'not-set', error: described });
          } else {
            failures.push(line);
          }
        }
      }
      const removed = tailnets.flatMap((t) => t.removed);
      note({ changes: removed, warnings: tailnets.flatMap((t) => t.warnings), ...(dryRun ? {} : { roundTrips, cached: false }) });
      if (failures.length > 0) throw new SweepIncompleteError(failures);
      return { ok: true as const, action: 'sweep' as const, dryRun, tailnets, outcome: removed.length > 0 ? 'success' : 'noop' };
    });
  }

  async status(event: StatusEvent): Promise<StatusResult> {
    return this.audited({ action: 'status', flow: event.flow }, async () => {
      const targets: { integration: IntegrationManifest; target: TargetManifest }[] = [];
      const flows = event.flow === undefined ? Object.values(this.manifest.flows) : [this.flow(event.flow)];
      for (const flow of flows) {
        const strategy = this.manifest.strategies[flow.strategy];
        for (const t of strategy.targets) {
          if (!targets.some((x) => x.target.name === t)) {
            targets.push({ integration: this.manifest.integrations[strategy.integration], target: this.manifest.targets[t] });
          }
        }
      }
      const texts = new Map<string, Promise<string>>();
      const report = [];
      const warnings: string[] = [];
      const now = this.now();
      for (const { integration, target } of targets) {
        if (!texts.has(integration.name)) {
          texts.set(integration.name, this.accessFor(integration).then((a) => a.read()).then((p) => p.text));
        }
        const text = await texts.get(integration.name)!;
        const listed = listLedger(text, now);
        const assessment = assessGroupAccess(text, `group:${target.groupName}`);
        if (assessment.summary === undefined) warnings.push(...assessment.warnings);
        const inGroup = <T extends { group: string }>(xs: readonly T[]) => xs.filter((x) => x.group === target.groupName);
        const entries = (xs: readonly LedgerEntry[]) => inGroup(xs).map(({ group: _, ...entry }) => entry);
        warnings.push(...listed.warnings);
        report.push({
          target: target.name,
          label: target.label,
          tailnet: integration.externalId,
          group: target.groupName,
          active: entries(listed.active),
          overdue: entries(listed.overdue),
          standing: inGroup(listed.standing).map((s) => s.member),
          dangers: assessment.summary?.dangers ?? [],
        });
      }
      return { ok: true as const, action: 'status' as const, targets: report, warnings: [...new Set(warnings)] };
    });
  }

  /** What joining the target's group grants, from the policy file as it is now; undefined when its shape hides it. */
  async impact(flowName: string, targetName: string): Promise<AccessSummary | undefined> {
    const r = this.resolve(flowName, targetName);
    const { text } = await (await this.accessFor(r.integration)).read();
    return assessGroupAccess(text, `group:${r.target.groupName}`).summary;
  }

  /**
   * Groups the sweep may touch, per integration: those of targets reached by a flow that schedules de-escalation;
   * and per group the longest grant any flow can give there (the flow's and the target's maximum, whichever is shorter).
   */
  private sweptGroups(): Map<string, { all: string[]; exclusive: string[]; longest: Record<string, number> }> {
    const out = new Map<string, { all: string[]; exclusive: string[]; longest: Record<string, number> }>();
    const longest = new Map<string, number>();
    for (const flow of Object.values(this.manifest.flows)) {
      const strategy = this.manifest.strategies[flow.strategy];
      for (const t of strategy.targets) {
        const target = this.manifest.targets[t];
        const seconds = Math.min(parseDuration(flow.maxDuration), target.maxDuration === undefined ? Infinity : parseDuration(target.maxDuration));
        const key = `${strategy.integration}\u0000${target.groupName}`;
        longest.set(key, Math.max(longest.get(key) ?? 0, seconds));
      }
    }
    for (const flow of Object.values(this.manifest.flows)) {
      if (!flow.scheduleDeescalation) continue;
      const strategy = this.manifest.strategies[flow.strategy];
      const entry = out.get(strategy.integration) ?? { all: [], exclusive: [], longest: {} };
      out.set(strategy.integration, entry);
      for (const t of strategy.targets) {
        const target = this.manifest.targets[t];
        if (!entry.all.includes(target.groupName)) entry.all.push(target.groupName);
        if (target.exclusive && !entry.exclusive.includes(target.groupName)) entry.exclusive.push(target.groupName);
        entry.longest[target.groupName] = longest.get(`${strategy.integration}\u0000${target.groupName}`)!;
      }
    }
    return out;
  }

  private async run(
    r: Resolved,
    edit: PolicyEdit,
    dryRun: boolean,
    fields: { action: 'escalate' | 'deescalate'; login: string; until?: string; requestId: string },
    note: (fields: Partial<AuditEvent>) => void,
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
  private async audited<T extends object>(
    base: Omit<AuditEvent, 'type' | 'time' | 'outcome'>,
    body: (note: (fields: Partial<AuditEvent>) => void) => Promise<T & { outcome?: AuditEvent['outcome'] }>,
  ): Promise<T> {
    let noted: Partial<AuditEvent> = {};
    const note = (fields: Partial<AuditEvent>) => {
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

  /** The integration whose tailnet a flow's strategy edits. */
  private integrationOf(flow: string): IntegrationManifest {
    return this.manifest.integrations[this.manifest.strategies[this.flow(flow).strategy].integration];
  }

  /** The flow named so, or a rejection listing the known flows. */
  flow(name: string): FlowManifest {
    const flow = Object.prototype.hasOwnProperty.call(this.manifest.flows, name) ? this.manifest.flows[name] : undefined;
    if (!flow) {
      throw new RequestRejectedError('unknown-flow', `flow: no flow named ${quoteForMessage(name)}; known flows: ${Object.keys(this.manifest.flows).join(', ')}`);
    }
    return flow;
  }

  private resolve(flowName: string, targetName: string): Resolved {
    const flow = this.flow(flowName);
    const strategy = this.manifest.strategies[flow.strategy];
    if (!strategy.targets.includes(targetName)) {
      throw new RequestRejectedError('unknown-target', `target: flow "${flow.name}" has no target named ${quoteForMessage(targetName)}; its targets: ${strategy.targets.join(', ')}`);
    }
    return { flow, strategy, integration: this.manifest.integrations[strategy.integration], target: this.manifest.targets[targetName] };
  }

  private checkRequester(flow: FlowManifest, email: string): void {
    checkAsciiEmail(email);
    if (!isAllowedRequester(flow.allowedRequesters, email)) {
      throw new RequestRejectedError('denied', `requester.email: ${email} is not an allowed requester of flow "${flow.name}"`);
    }
  }

  private checkReason(flow: FlowManifest, reason: string | undefined): void {
    if (flow.reasonRequired && (reason === undefined || reason.trim() === '')) {
      throw new RequestRejectedError('invalid-request', `reason: flow "${flow.name}" requires a reason`);
    }
  }

  private checkDuration(r: Resolved, requested: string | undefined): { duration: string; seconds: number } {
    const { flow, target } = r;
    const chosen = requested ?? flow.durations[0] ?? flow.maxDuration;
    if (flow.durations.length > 0 && !flow.durations.includes(chosen)) {
      throw new RequestRejectedError('invalid-request', `duration: flow "${flow.name}" allows ${flow.durations.join(' or ')}, got "${chosen}"`);
    }
    const seconds = parseDuration(chosen, 'duration');
    const limits = [{ what: `flow "${flow.name}"`, max: flow.maxDuration }];
    if (target.maxDuration !== undefined) limits.push({ what: `target "${target.name}"`, max: target.maxDuration });
    for (const limit of limits) {
      if (seconds > parseDuration(limit.max)) {
        throw new RequestRejectedError('invalid-request', `duration: "${chosen}" is longer than the ${limit.what} allows (${limit.max})`);
      }
    }
    return { duration: chosen, seconds };
  }

  /**
   * Per API-key integration, the key's expiry (read at most once an hour, see {@link KeyExpiryCache}): within 14 days,
   * a `credential-check` audit line with outcome `warning` on every sweep, for the alarm. Advisory: a failed read is
   * audited and never fails the sweep. OAuth clients do not expire, and a key whose text carries no id cannot be asked.
   */
  private async checkKeyExpiry(): Promise<string[]> {
    const warnings: string[] = [];
    const now = this.now();
    for (const integration of Object.values(this.manifest.integrations)) {
      if (integration.credential.kind !== 'apiKey') continue;
      const line = this.credentialCheckLine(integration);
      try {
        const credential = await this.options.credentials.get(integration.credential);
        const keyId = credential.kind === 'apiKey' ? apiKeyId(credential.apiKey) : undefined;
        if (keyId === undefined) continue;
        const access = await this.accessFor(integration);
        const reading = await this.keyExpiry.read(`${integration.name}\u0000${keyId}`, now.getTime(), async () => (await access.client.getKey(integration.externalId, keyId)).expires);
        if ('error' in reading) {
          if (reading.fresh) this.audit({ ...line, outcome: 'failed', error: describeError(reading.error) });
          continue;
        }
        // A key the API says never expires (no `expires`, or Go's zero time) needs no warning.
        if (reading.expires === undefined) continue;
        const daysLeft = daysLeftIfSoon(reading.expires, now);
        if (daysLeft === undefined) continue;
        const warning = expiryWarning(integration.name, integration.externalId, reading.expires, daysLeft);
        warnings.push(warning);
        this.audit({ ...line, outcome: 'warning', expires: reading.expires, daysLeft, warnings: [warning] });
      } catch (error) {
        // A secret with no value yet has had its own line from the sweep. Any other unreadable secret: the sweep
        // meets the same error and fails on it.
        if (!(error instanceof CredentialNotSetError)) this.audit({ ...line, outcome: 'failed', error: describeError(error) });
      }
    }
    return warnings;
  }

  /** The start of a `credential-check` audit line of `integration`, at the engine's time. */
  private credentialCheckLine(integration: IntegrationManifest) {
    return {
      type: 'symtail.audit' as const,
      time: this.now().toISOString(),
      action: 'credential-check' as const,
      integration: integration.name,
      tailnet: integration.externalId,
    };
  }

  /** One access object per integration; replaced when the secret is rotated, so the new key is used. */
  private async accessFor(integration: IntegrationManifest): Promise<TailnetAccess> {
    const credential = await this.options.credentials.get(integration.credential);
    const cached = this.accesses.get(integration.name);
    if (cached && sameCredential(cached.credential, credential)) return cached.access;
    const client = new TailscaleClient({ ...this.options.clientOptions, apiBaseUrl: integration.apiBaseUrl, credential });
    const access = new TailnetAccess(client, integration.externalId);
    this.accesses.set(integration.name, { credential, access });
    return access;
  }
}

function sameCredential(a: TailscaleCredential, b: TailscaleCredential): boolean {
  if (a.kind === 'apiKey' && b.kind === 'apiKey') return a.apiKey === b.apiKey;
  if (a.kind === 'oauthClient' && b.kind === 'oauthClient') return a.clientId === b.clientId && a.clientSecret === b.clientSecret;
  return false;
}

/** The expiry of a grant of `seconds` from `now`, on a whole second: annotations carry no fractions. */
function expiryAfter(now: Date, seconds: number): Date {
  return new Date(Math.floor(now.getTime() / 1000) * 1000 + seconds * 1000);
}
