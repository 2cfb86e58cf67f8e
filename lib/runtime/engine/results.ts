import { CredentialRef, FlowManifest, IntegrationManifest, Manifest, StrategyManifest, TargetManifest } from '../../manifest';
import { AccessSummary } from '../../access';
import { DescribedError } from '../../errors';
import { EditResult } from '../../policy';
import { TailscaleClientOptions, TailscaleCredential } from '../../tailscale';
import { AuditSink } from '../audit';
import { EditOutcome } from '../apply-edit';

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

/** A request checked against its flow as an escalation is: resolved, with the login and duration it would grant. */
export interface CheckedAccess {
  readonly resolved: Resolved;
  readonly login: string;
  readonly duration: string;
  readonly seconds: number;
}

/** A flow's request resolved through the manifest: the flow, its strategy, the strategy's integration and the target. */
export interface Resolved {
  readonly flow: FlowManifest;
  readonly strategy: StrategyManifest;
  readonly integration: IntegrationManifest;
  readonly target: TargetManifest;
}
