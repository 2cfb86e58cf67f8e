import { randomBytes } from 'node:crypto';
import { FlowManifest, Manifest } from '../../manifest';
import { AccessSummary, assessGroupAccess } from '../../access';
import { formatExpiry, grant, listLedger, revoke } from '../../policy';
import { applyEdit } from '../apply-edit';
import { KeyExpiryCache } from '../credential-expiry';
import { RequestRejectedError } from '../errors';
import { DeescalateEvent, EscalateEvent, RuntimeEvent, StatusEvent, SweepEvent } from '../events';
import { loginFor } from '../identity';
import { PolicyEdit } from '../tailnet-access';
import { EngineCore } from './engine-core';
import { checkDuration, checkReason, checkRequester, expiryAfter, flowNamed, integrationOfFlow, resolveRequest } from './request-rules';
import { AccessEngineOptions, AccessResult, ApprovedRequest, EngineResult, Resolved, StatusResult, SweepResult } from './results';
import { statusOf } from './status';
import { sweepGrants } from './sweep';

/**
 * Executes the strategy manifest: resolves flow → strategy → integration + target, checks the request, and edits the
 * tailnet policy file through one coalescing access object per tailnet and credential. Every action emits exactly one
 * audit event. Grants are written and removed here; the sweep (`sweep.ts`), the status (`status.ts`) and the request
 * rules (`request-rules.ts`) are verbs of their own.
 */
export class AccessEngine {
  private readonly core: EngineCore;
  private readonly keyExpiry = new KeyExpiryCache();
  /** The engine's clock. */
  readonly now: () => Date;
  private readonly newRequestId: () => string;

  constructor(options: AccessEngineOptions) {
    this.core = new EngineCore(options);
    this.now = this.core.now;
    this.newRequestId = options.newRequestId ?? (() => `r-${randomBytes(8).toString('hex')}`);
  }

  get manifest(): Manifest {
    return this.core.manifest;
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

  /** A direct escalate event (automation the runtime trusts): the grant it asks for, with what the group grants. */
  async escalate(event: EscalateEvent): Promise<AccessResult> {
    const requestId = event.requestId ?? this.newRequestId();
    const base = { action: 'escalate' as const, ...directEventFields(event, requestId) };
    return this.core.audited(base, async (note) => {
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
      const result = await this.core.run(r, edit, event.dryRun === true, { action: 'escalate', login, until: formatExpiry(until), requestId }, note);
      return impact === undefined ? result : { ...result, impact };
    });
  }

  /** A request for access checked against its flow as an escalation is: the login and duration it would grant. */
  checkAccess(
    flow: string,
    target: string,
    email: string,
    duration?: string,
    reason?: string,
  ): { resolved: Resolved; login: string; duration: string; seconds: number } {
    const resolved = resolveRequest(this.manifest, flow, target);
    checkRequester(resolved.flow, email);
    checkReason(resolved.flow, reason);
    const chosen = checkDuration(resolved, duration);
    return { resolved, login: loginFor(resolved.integration, email), ...chosen };
  }

  /** The tailnet login of an email in the flow's tailnet: the integration's identity overrides, else the email. */
  loginIn(flow: string, email: string): string {
    return loginFor(integrationOfFlow(this.manifest, flow), email);
  }

  /** Whether the target's group holds an unexpired grant annotated with the request's id, read now. */
  async holdsGrant(request: ApprovedRequest): Promise<boolean> {
    const r = resolveRequest(this.manifest, request.flow, request.target);
    const { text } = await (await this.core.accessFor(r.integration)).read();
    return listLedger(text, this.now()).active.some((g) => g.group === r.target.groupName && g.requestId === request.id);
  }

  /** The group's standing members (no grant annotation) in the flow's tailnet, read now. */
  async standingMembers(flow: string, group: string): Promise<string[]> {
    const { text } = await (await this.core.accessFor(integrationOfFlow(this.manifest, flow))).read();
    return listLedger(text, this.now())
      .standing.filter((s) => s.group === group)
      .map((s) => s.member);
  }

  /**
   * Writes an approved request's grant, `req=<id>`, until `now` + its duration, in one If-Match write. A grant that
   * already carries the id (written before its store update was lost) is kept as it is and its expiry returned.
   */
  async grantRequest(request: ApprovedRequest, now: Date): Promise<{ until: string; coveredBy?: string }> {
    const base = {
      action: 'escalate' as const,
      flow: request.flow,
      target: request.target,
      requester: request.requesterEmail,
      reason: request.reason,
      requestId: request.id,
    };
    const result = await this.core.audited(base, async (note) => {
      const r = resolveRequest(this.manifest, request.flow, request.target);
      const { seconds } = checkDuration(r, request.duration);
      const until = expiryAfter(now, seconds);
      let granted = formatExpiry(until);
      let coveredBy: string | undefined;
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login: request.login, until: granted });
      const edit: PolicyEdit = (text) => {
        const held = listLedger(text, now).active.find((g) => g.group === r.target.groupName && g.requestId === request.id);
        if (held !== undefined) {
          granted = held.until;
          return {
            text,
            changed: false,
            changes: [{ kind: 'unchanged', group: held.group, member: held.member, until: held.until, requestId: request.id }],
            warnings: [],
          };
        }
        const result = grant(text, { group: r.target.groupName, member: request.login, until, requestId: request.id, createGroup: r.target.createGroup });
        const change = result.changes.find((c) => c.kind === 'added' || c.kind === 'extended' || c.kind === 'unchanged');
        if (change?.until !== undefined) granted = change.until;
        // The member already holds a grant of another request lasting at least as long: nothing is written.
        coveredBy = change?.kind === 'unchanged' ? (change.requestId ?? 'an earlier grant') : undefined;
        return result;
      };
      const applied = await this.core.run(
        r,
        edit,
        false,
        { action: 'escalate', login: request.login, until: formatExpiry(until), requestId: request.id },
        note,
      );
      note({ until: granted });
      return { ...applied, until: granted, coveredBy };
    });
    return { until: result.until!, ...(result.coveredBy !== undefined && { coveredBy: result.coveredBy }) };
  }

  /** Removes a request's grant: only where the member's annotation carries its id. */
  async revokeRequest(request: ApprovedRequest): Promise<void> {
    const base = { action: 'deescalate' as const, flow: request.flow, target: request.target, requester: request.requesterEmail, requestId: request.id };
    await this.core.audited(base, async (note) => {
      const r = resolveRequest(this.manifest, request.flow, request.target);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login: request.login });
      const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: request.login, requestId: request.id });
      return this.core.run(r, edit, false, { action: 'deescalate', login: request.login, requestId: request.id }, note);
    });
  }

  /**
   * Removes every grant annotated with `requestId`, in each tailnet of the manifest, whichever group and member holds
   * it: the sweep's way to take back a grant whose request record cannot be trusted to say where it is.
   */
  async revokeGrantsOf(requestId: string): Promise<void> {
    await this.core.audited({ action: 'deescalate' as const, requestId }, async (note) => {
      const changes = [];
      for (const integration of Object.values(this.manifest.integrations)) {
        const access = await this.core.accessFor(integration);
        const listed = listLedger((await access.read()).text, this.now());
        for (const held of [...listed.active, ...listed.overdue].filter((g) => g.requestId === requestId)) {
          note({ tailnet: integration.externalId, group: held.group, login: held.member });
          const edit: PolicyEdit = (text) => revoke(text, { group: held.group, member: held.member, requestId });
          changes.push(...(await applyEdit(access, edit, false, true)).changes);
        }
      }
      return { changes, outcome: changes.length > 0 ? ('success' as const) : ('noop' as const) };
    });
  }

  /** A direct deescalate event: removes the requester's member, if the flow allows revoking. */
  async deescalate(event: DeescalateEvent): Promise<AccessResult> {
    const requestId = event.requestId ?? this.newRequestId();
    const base = { action: 'deescalate' as const, ...directEventFields(event, requestId) };
    return this.core.audited(base, async (note) => {
      const r = resolveRequest(this.manifest, event.flow, event.target);
      if (!r.flow.allowRevoke) {
        throw new RequestRejectedError('revoke-not-allowed', `flow "${r.flow.name}" does not allow revoking access (allowRevoke is false)`);
      }
      checkRequester(r.flow, event.requester.email);
      const login = loginFor(r.integration, event.requester.email);
      note({ tailnet: r.integration.externalId, group: r.target.groupName, login });
      const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: login });
      return this.core.run(r, edit, event.dryRun === true, { action: 'deescalate', login, requestId }, note);
    });
  }

  /** The grant sweep, then the key-expiry check (`sweep.ts`). */
  sweep(event: SweepEvent): Promise<SweepResult> {
    return sweepGrants(this.core, this.keyExpiry, event);
  }

  status(event: StatusEvent): Promise<StatusResult> {
    return statusOf(this.core, event);
  }

  /** What joining the target's group grants, from the policy file as it is now; undefined when its shape hides it. */
  async impact(flowName: string, targetName: string): Promise<AccessSummary | undefined> {
    const r = resolveRequest(this.manifest, flowName, targetName);
    const { text } = await (await this.core.accessFor(r.integration)).read();
    return assessGroupAccess(text, `group:${r.target.groupName}`).summary;
  }

  /** The flow named so, or a rejection listing the known flows. */
  flow(name: string): FlowManifest {
    return flowNamed(this.manifest, name);
  }
}

/** What the audit line of a direct escalate or deescalate event says of it: what it asks, for whom, as which request. */
function directEventFields(event: EscalateEvent | DeescalateEvent, requestId: string) {
  return { flow: event.flow, target: event.target, requester: event.requester.email, reason: event.reason, requestId, dryRun: event.dryRun };
}
