import { AccessSummary, assessGroupAccess } from '../../access';
import { formatExpiry, grant, listLedger, revoke } from '../../policy';
import { RequestRejectedError } from '../errors';
import { DeescalateEvent, EscalateEvent } from '../events';
import { loginFor } from '../identity';
import { PolicyEdit } from '../tailnet-access';
import { EngineCore } from './engine-core';
import { checkAccess, checkDuration, checkRequester, expiryAfter, integrationOfFlow, resolveRequest } from './request-rules';
import { AccessResult, ApprovedRequest } from './results';
import { applyEdit } from '../apply-edit';

// Grants written and removed: those of direct events (automation the runtime trusts) and those of stored requests
// (`req=<id>`), and the two reads of the group's ledger the requests core asks for. Each write or removal emits
// exactly one audit line.

/** A direct escalate event: the grant it asks for, with what the group grants. */
export function escalate(core: EngineCore, event: EscalateEvent): Promise<AccessResult> {
  const requestId = event.requestId ?? core.newRequestId();
  const base = { action: 'escalate' as const, ...directEventFields(event, requestId) };
  return core.audited(base, async (note) => {
    const { resolved: r, login, seconds } = checkAccess(core.manifest, event.flow, event.target, event.requester.email, event.duration, event.reason);
    const until = expiryAfter(core.now(), seconds);
    note({ tailnet: r.integration.externalId, group: r.target.groupName, login, until: formatExpiry(until) });
    let impact: AccessSummary | undefined;
    // The grant's warnings carry the group's flagged dangers, so the answer and the audit line both name them.
    const edit: PolicyEdit = (text) => {
      const result = grant(text, { group: r.target.groupName, member: login, until, requestId, createGroup: r.target.createGroup });
      const assessment = assessGroupAccess(text, `group:${r.target.groupName}`);
      impact = assessment.summary;
      return { ...result, warnings: [...result.warnings, ...assessment.warnings] };
    };
    const result = await core.run(r, edit, event.dryRun === true, { action: 'escalate', login, until: formatExpiry(until), requestId }, note);
    return impact === undefined ? result : { ...result, impact };
  });
}

/** A direct deescalate event: removes the requester's member, if the flow allows revoking. */
export function deescalate(core: EngineCore, event: DeescalateEvent): Promise<AccessResult> {
  const requestId = event.requestId ?? core.newRequestId();
  const base = { action: 'deescalate' as const, ...directEventFields(event, requestId) };
  return core.audited(base, async (note) => {
    const r = resolveRequest(core.manifest, event.flow, event.target);
    if (!r.flow.allowRevoke) {
      throw new RequestRejectedError('revoke-not-allowed', `flow "${r.flow.name}" does not allow revoking access (allowRevoke is false)`);
    }
    checkRequester(r.flow, event.requester.email);
    const login = loginFor(r.integration, event.requester.email);
    note({ tailnet: r.integration.externalId, group: r.target.groupName, login });
    const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: login });
    return core.run(r, edit, event.dryRun === true, { action: 'deescalate', login, requestId }, note);
  });
}

/**
 * Writes an approved request's grant, `req=<id>`, until `now` + its duration, in one If-Match write. A grant that
 * already carries the id (written before its store update was lost) is kept as it is and its expiry returned.
 */
export async function grantRequest(core: EngineCore, request: ApprovedRequest, now: Date): Promise<{ until: string; coveredBy?: string }> {
  const base = {
    action: 'escalate' as const,
    flow: request.flow,
    target: request.target,
    requester: request.requesterEmail,
    reason: request.reason,
    requestId: request.id,
  };
  const result = await core.audited(base, async (note) => {
    const r = resolveRequest(core.manifest, request.flow, request.target);
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
    const applied = await core.run(r, edit, false, { action: 'escalate', login: request.login, until: formatExpiry(until), requestId: request.id }, note);
    note({ until: granted });
    return { ...applied, until: granted, coveredBy };
  });
  return { until: result.until!, ...(result.coveredBy !== undefined && { coveredBy: result.coveredBy }) };
}

/**
 * Removes every grant annotated with `requestId`, in each tailnet of the manifest, whichever group and member holds
 * it: the sweep's way to take back a grant whose request record cannot be trusted to say where it is.
 */
export async function revokeGrantsOf(core: EngineCore, requestId: string): Promise<void> {
  await core.audited({ action: 'deescalate' as const, requestId }, async (note) => {
    const changes = [];
    for (const integration of Object.values(core.manifest.integrations)) {
      const access = await core.accessFor(integration);
      const listed = listLedger((await access.read()).text, core.now());
      for (const held of [...listed.active, ...listed.overdue].filter((g) => g.requestId === requestId)) {
        note({ tailnet: integration.externalId, group: held.group, login: held.member });
        const edit: PolicyEdit = (text) => revoke(text, { group: held.group, member: held.member, requestId });
        changes.push(...(await applyEdit(access, edit, false, true)).changes);
      }
    }
    return { changes, outcome: changes.length > 0 ? ('success' as const) : ('noop' as const) };
  });
}

/** Removes a request's grant: only where the member's annotation carries its id. */
export async function revokeRequest(core: EngineCore, request: ApprovedRequest): Promise<void> {
  const base = { action: 'deescalate' as const, flow: request.flow, target: request.target, requester: request.requesterEmail, requestId: request.id };
  await core.audited(base, async (note) => {
    const r = resolveRequest(core.manifest, request.flow, request.target);
    note({ tailnet: r.integration.externalId, group: r.target.groupName, login: request.login });
    const edit: PolicyEdit = (text) => revoke(text, { group: r.target.groupName, member: request.login, requestId: request.id });
    return core.run(r, edit, false, { action: 'deescalate', login: request.login, requestId: request.id }, note);
  });
}

/** Whether the target's group holds an unexpired grant annotated with the request's id, read now. */
export async function holdsGrant(core: EngineCore, request: ApprovedRequest): Promise<boolean> {
  const r = resolveRequest(core.manifest, request.flow, request.target);
  const { text } = await (await core.accessFor(r.integration)).read();
  return listLedger(text, core.now()).active.some((g) => g.group === r.target.groupName && g.requestId === request.id);
}

/**
 * The group's standing members (no grant annotation) in the flow's tailnet, read now: the same ledger listing as
 * {@link holdsGrant}, from the other side (the approver groups' members).
 */
export async function standingMembers(core: EngineCore, flow: string, group: string): Promise<string[]> {
  const { text } = await (await core.accessFor(integrationOfFlow(core.manifest, flow))).read();
  return listLedger(text, core.now())
    .standing.filter((s) => s.group === group)
    .map((s) => s.member);
}

/** What the audit line of a direct escalate or deescalate event says of it: what it asks, for whom, as which request. */
function directEventFields(event: EscalateEvent | DeescalateEvent, requestId: string) {
  return { flow: event.flow, target: event.target, requester: event.requester.email, reason: event.reason, requestId, dryRun: event.dryRun };
}
