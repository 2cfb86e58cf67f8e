import { FlowManifest, Manifest } from '../../manifest';
import { AccessSummary } from '../../access';
import { KeyExpiryCache } from '../credential-expiry';
import { DeescalateEvent, EscalateEvent, RuntimeEvent, StatusEvent, SweepEvent } from '../events';
import { loginFor } from '../identity';
import { EngineCore } from './engine-core';
import { deescalate, escalate, grantRequest, holdsGrant, revokeGrantsOf, revokeRequest, standingMembers } from './grants';
import { impactOf } from './impact';
import { checkAccess, flowNamed, integrationOfFlow } from './request-rules';
import { AccessEngineOptions, AccessResult, ApprovedRequest, CheckedAccess, EngineResult, StatusResult, SweepResult } from './results';
import { statusOf } from './status';
import { sweepGrants } from './sweep';

/**
 * Executes the strategy manifest: resolves flow → strategy → integration + target, checks the request, and edits the
 * tailnet policy file through one coalescing access object per tailnet and credential. Every action emits exactly one
 * audit event. The facade of the engine's verbs, each a file: grants (`grants.ts`), the sweep (`sweep.ts`), the status
 * (`status.ts`), the impact (`impact.ts`) and the request rules (`request-rules.ts`), over what they share
 * (`engine-core.ts`).
 */
export class AccessEngine {
  private readonly core: EngineCore;
  private readonly keyExpiry = new KeyExpiryCache();
  /** The engine's clock. */
  readonly now: () => Date;

  constructor(options: AccessEngineOptions) {
    this.core = new EngineCore(options);
    this.now = this.core.now;
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
  escalate(event: EscalateEvent): Promise<AccessResult> {
    return escalate(this.core, event);
  }

  /** A request for access checked against its flow as an escalation is: the login and duration it would grant. */
  checkAccess(flow: string, target: string, email: string, duration?: string, reason?: string): CheckedAccess {
    return checkAccess(this.manifest, flow, target, email, duration, reason);
  }

  /** The tailnet login of an email in the flow's tailnet: the integration's identity overrides, else the email. */
  loginIn(flow: string, email: string): string {
    return loginFor(integrationOfFlow(this.manifest, flow), email);
  }

  /** Whether the target's group holds an unexpired grant annotated with the request's id, read now. */
  holdsGrant(request: ApprovedRequest): Promise<boolean> {
    return holdsGrant(this.core, request);
  }

  /** The group's standing members (no grant annotation) in the flow's tailnet, read now. */
  standingMembers(flow: string, group: string): Promise<string[]> {
    return standingMembers(this.core, flow, group);
  }

  /**
   * Writes an approved request's grant, `req=<id>`, until `now` + its duration, in one If-Match write. A grant that
   * already carries the id (written before its store update was lost) is kept as it is and its expiry returned.
   */
  grantRequest(request: ApprovedRequest, now: Date): Promise<{ until: string; coveredBy?: string }> {
    return grantRequest(this.core, request, now);
  }

  /** Removes a request's grant: only where the member's annotation carries its id. */
  revokeRequest(request: ApprovedRequest): Promise<void> {
    return revokeRequest(this.core, request);
  }

  /** Removes every grant annotated with `requestId`, wherever it is (`grants.ts`). */
  revokeGrantsOf(requestId: string): Promise<void> {
    return revokeGrantsOf(this.core, requestId);
  }

  /** A direct deescalate event: removes the requester's member, if the flow allows revoking. */
  deescalate(event: DeescalateEvent): Promise<AccessResult> {
    return deescalate(this.core, event);
  }

  /** The grant sweep, then the key-expiry check (`sweep.ts`). */
  sweep(event: SweepEvent): Promise<SweepResult> {
    return sweepGrants(this.core, this.keyExpiry, event);
  }

  status(event: StatusEvent): Promise<StatusResult> {
    return statusOf(this.core, event);
  }

  /** What joining the target's group grants, from the policy file as it is now; undefined when its shape hides it. */
  impact(flowName: string, targetName: string): Promise<AccessSummary | undefined> {
    return impactOf(this.core, flowName, targetName);
  }

  /** The flow named so, or a rejection listing the known flows. */
  flow(name: string): FlowManifest {
    return flowNamed(this.manifest, name);
  }
}
