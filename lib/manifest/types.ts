/**
 * The strategy manifest: what synth writes into the Lambda's zip and what the runtime executes.
 * It names secrets (by Secrets Manager name or ARN), never their values.
 */
export const MANIFEST_VERSION = 1;

/** Where an integration's credential lives in Secrets Manager. */
export interface SecretRef {
  /** Secret id passed to `GetSecretValue`: the secret's name or ARN. */
  readonly secretId: string;
  /**
   * The region whose Secrets Manager holds the secret (the region of an imported ARN, or of the secret's provider),
   * so a runtime in another region still finds it. Absent: the runtime's own region.
   */
  readonly region?: string;
  /** When set, the secret value is JSON and the credential is this key of it. */
  readonly jsonKey?: string;
}

/** A Tailscale API key (Basic auth) or an OAuth client (`{client_id, client_secret}` JSON). */
export type CredentialRef = ({ readonly kind: 'apiKey' } & SecretRef) | ({ readonly kind: 'oauthClient' } & SecretRef);

export interface IntegrationManifest {
  readonly type: 'tailscale';
  readonly name: string;
  /** Tailnet name; `-` is the credential's default tailnet. */
  readonly externalId: string;
  /** API origin; the client appends `/api/v2/...`. */
  readonly apiBaseUrl: string;
  readonly credential: CredentialRef;
  /** Requester email (lower-case) → tailnet login, for users whose login differs from their email. */
  readonly identityOverrides: Readonly<Record<string, string>>;
}

export interface TargetManifest {
  readonly type: 'tailscale_group';
  readonly name: string;
  readonly label: string;
  /** Group name without the `group:` prefix. */
  readonly groupName: string;
  /** Longest grant this target allows, as a duration; absent = the flow's limit alone. */
  readonly maxDuration?: string;
  /** When true, the sweep also removes members that carry no grant annotation. */
  readonly exclusive: boolean;
  /** When true, escalation creates the group if the policy file lacks it. */
  readonly createGroup: boolean;
}

export interface StrategyManifest {
  readonly type: 'tailscale';
  readonly name: string;
  readonly integration: string;
  readonly targets: readonly string[];
}

export interface FlowManifest {
  readonly name: string;
  readonly label: string;
  readonly strategy: string;
  readonly allowRevoke: boolean;
  readonly scheduleDeescalation: boolean;
  /** Durations a requester may choose; empty = any duration up to `maxDuration`. */
  readonly durations: readonly string[];
  readonly maxDuration: string;
  readonly reasonRequired: boolean;
  /** Emails (`alice@example.com`) or whole domains (`@example.com`); empty = anyone. */
  readonly allowedRequesters: readonly string[];
  /** The Slack channel id (`C…`) where this flow's requests are posted; absent = the flow is not offered in Slack. */
  readonly requestsChannel?: string;
  readonly approval: ApprovalManifest;
  /** Requesters on call now are approved at once. Absent: no on-call rule. */
  readonly onCall?: OnCallManifest;
  /** Emergency requests the requester approves themself, loudly. Absent: none. */
  readonly breakGlass?: BreakGlassManifest;
  /** Extensions the requester makes without an approval, up to a total. Absent: extensions need approvals. */
  readonly selfExtension?: SelfExtensionManifest;
  /** Reminders in Slack, sent by the minute sweep. Synth always writes it (its defaults included); absent: none. */
  readonly reminders?: RemindersManifest;
}

/** A flow's reminders: each is sent at most once per request. */
export interface RemindersManifest {
  /** How long before a grant ends its requester is told, as a duration (synth keeps it shorter than `maxDuration`). Absent: never. */
  readonly beforeExpiry?: string;
  /** Whether approvers are nudged once a pending request has waited half its approval window. */
  readonly nudgeApprovers: boolean;
}

/** A flow's self-extension setting: the longest a grant may last in all, extended by its requester alone. */
export interface SelfExtensionManifest {
  readonly maxTotal: string;
}

/** A flow's break-glass setting: how long an emergency self-approved grant may last. */
export interface BreakGlassManifest {
  /** Longest break-glass grant, as a duration; at most the flow's `maxDuration`. */
  readonly maxDuration: string;
}

/** A flow's on-call rule: where on-call shifts are read, and which of them approve. */
export interface OnCallManifest {
  readonly pagerDuty: PagerDutyManifest;
}

/** PagerDuty's REST API, read with a read-only API token for the on-calls of the named schedules and policies. */
export interface PagerDutyManifest {
  /** API origin; the client appends `/oncalls`. */
  readonly apiUrl: string;
  /** The REST API token (`Authorization: Token token=…`). */
  readonly token: SecretRef;
  /** Schedule ids (`PI7DH85`); at least one of these and `escalationPolicies` is non-empty. */
  readonly schedules: readonly string[];
  /** Escalation policy ids (`PT20YPA`). */
  readonly escalationPolicies: readonly string[];
}

/** Who approves a flow's requests, and how many approvals grant access. */
export interface ApprovalManifest {
  /** Requests are granted at once, without anyone's approval (still recorded). */
  readonly autoApprove: boolean;
  /** Approver emails, lower-case. */
  readonly approvers: readonly string[];
  /** Tailnet groups (without `group:`) of the flow's tailnet whose standing members may approve. */
  readonly approverGroups: readonly string[];
  readonly requiredApprovals: number;
  readonly allowSelfApproval: boolean;
  /** How long a request waits for its approvals, as a duration. */
  readonly approvalWindow: string;
}

/** How a requests-API caller's IAM principal ARN maps to an email. */
export type PrincipalRule =
  /** Exactly this ARN is this person. */
  | { readonly kind: 'arn'; readonly arn: string; readonly email: string }
  /** IAM Identity Center sessions (`assumed-role/AWSReservedSSO_<set>_<hash>/<email>`) in these accounts (`own`: the
   * function's), of these permission sets (empty: any). */
  | { readonly kind: 'identityCenter'; readonly accounts: 'own' | readonly string[]; readonly permissionSets: readonly string[] };

/**
 * Where IAM Identity Center puts the roles of its permission sets (`/aws-reserved/sso.amazonaws.com/`, with the
 * Identity Center region after it outside us-east-1). Only Identity Center can create roles under it, so a role's path,
 * unlike its name, proves it is one: anyone may create a role named `AWSReservedSSO_…` elsewhere.
 */
export const IDENTITY_CENTER_ROLE_PATH = '/aws-reserved/sso.amazonaws.com/';

/** The requests API's settings. */
export interface RequestsManifest {
  readonly principals: readonly PrincipalRule[];
  /** Whether direct `escalate`/`deescalate` events, whose requester is a field of the event, are honoured. */
  readonly allowAssertedIdentity: boolean;
}

/** The Slack app the runtime answers: one workspace (or Enterprise Grid organization), one app, its two secrets. */
export interface SlackManifest {
  readonly type: 'slack';
  readonly name: string;
  /** Workspace id (`T0123ABCD`), or organization id (`E0123ABCD`) for an org-wide install; payloads from outside it are refused. */
  readonly externalId: string;
  /** The Slack app's id (`api_app_id`); payloads for any other app are refused. */
  readonly appId: string;
  /** Web API URL; the client appends the method name. */
  readonly apiUrl: string;
  /** The app's signing secret, which every request from Slack is checked against. */
  readonly signingSecret: SecretRef;
  /** The bot token (`xoxb-…`) the runtime calls the Web API with. */
  readonly botToken: SecretRef;
}

export interface Manifest {
  readonly version: typeof MANIFEST_VERSION;
  readonly environment: string;
  readonly requests: RequestsManifest;
  readonly integrations: Readonly<Record<string, IntegrationManifest>>;
  readonly targets: Readonly<Record<string, TargetManifest>>;
  readonly strategies: Readonly<Record<string, StrategyManifest>>;
  readonly flows: Readonly<Record<string, FlowManifest>>;
  /** Absent: no Slack app. */
  readonly slack?: SlackManifest;
}
