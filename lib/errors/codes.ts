/**
 * Every error code symtail raises, once: the HTTP status an edge answers it with, and what it means. The status's
 * class is its kind: a 4xx is a **rejection** (the caller's to fix; audited `rejected`, nothing was written), a 5xx a
 * **failure** (ours or a dependency's; audited `failed`). Codes only the CLI or synth raise carry the status they
 * would have at an edge, so no code is without one. README.md's table of error codes is generated from this one
 * (`npm run readme-tables`), and a test fails when the two differ.
 *
 *   new RequestError('already-decided', …).httpStatus → 409; auditOutcomeOf('already-decided') → 'rejected'
 *   new RequestError('alredy-decided', …) → does not compile
 */
export const ERROR_CODES = {
  // The requests API and the direct events: what was asked.
  'not-a-json-post': { status: 400, meaning: 'the requests API was called with a method other than POST, or a body that is not JSON' },
  'invalid-event': { status: 400, meaning: 'an event or a requests-API body is not one of the accepted shapes; the message names the field' },
  'input-too-large': { status: 400, meaning: 'a body, Slack payload or event is larger than the input limit (16 KB)' },
  'input-too-deep': { status: 400, meaning: 'a body, Slack payload or event nests arrays and objects deeper than the input limit (32 levels)' },
  'unknown-flow': { status: 400, meaning: 'no flow of that name is offered (in Slack: none that posts to Slack)' },
  'unknown-target': { status: 400, meaning: 'the flow has no target of that name' },
  'invalid-request': { status: 400, meaning: "a request's duration or reason is not what its flow allows (or what break-glass allows)" },
  'invalid-duration': { status: 400, meaning: 'a duration is not a whole number and one unit, such as 30s, 10m, 1h or 1d' },
  'invalid-email': { status: 400, meaning: 'an email is not one address of printable ASCII (other letters could fold into another address)' },
  'invalid-login': { status: 400, meaning: 'the tailnet login an email maps to (itself, or an identity override) cannot go into a policy file' },
  'invalid-policy-argument': { status: 400, meaning: 'a group name, request id, expiry or sweep setting given to a policy edit is not valid' },
  'authenticated-request-required': { status: 403, meaning: 'a direct escalate or deescalate names its own requester, which this runtime does not trust' },

  // Who is calling.
  'identity-proof-invalid': { status: 403, meaning: 'the x-symtail-identity proof is missing or malformed, does not fit this call, or STS refused it' },
  'identity-proof-replayed': { status: 403, meaning: 'the identity proof was used before; each call needs a fresh one' },
  'unknown-caller': { status: 403, meaning: "the caller's ARN is not mapped to an email by the runtime's principal rules" },
  'not-identity-center': { status: 403, meaning: "a session named like Identity Center's whose role IAM does not show under Identity Center's path" },
  'identity-unavailable': { status: 503, meaning: 'STS or IAM could not be asked who the caller is; nothing was decided, so try again' },

  // Who may do what to a request.
  denied: { status: 403, meaning: 'the requester is not an allowed requester of the flow' },
  'not-an-approver': { status: 403, meaning: 'the caller is not an approver of the flow (listed, or a standing member of an approver group)' },
  'self-approval': { status: 403, meaning: 'a requester may not approve their own request unless the flow allows self-approval' },
  'not-the-requester': { status: 403, meaning: 'only the requester may do this (cancel, extend)' },
  'not-allowed': { status: 403, meaning: 'only its requester or an approver may revoke a request' },
  'revoke-not-allowed': { status: 403, meaning: 'the flow does not allow revoking (allowRevoke is false); the grant ends at its expiry' },
  'break-glass-not-allowed': { status: 403, meaning: 'the flow does not allow break-glass requests' },
  'extension-too-long': { status: 403, meaning: "the extension would take the grant past the flow's selfExtension.maxTotal" },

  // The request's state.
  'unknown-request': { status: 404, meaning: 'no request has that id' },
  'already-decided': { status: 409, meaning: 'the request is no longer in a state that allows this' },
  'already-approved': { status: 409, meaning: 'the approver has already approved this request' },
  'past-deadline': { status: 409, meaning: "the request's approval window has closed" },
  tampered: { status: 409, meaning: "the stored record's MAC does not verify: the request is failed and never acted on" },
  'approval-no-longer-valid': { status: 409, meaning: "the approvals no longer satisfy the flow's rules as deployed now: the request is failed" },
  'not-under-review': { status: 409, meaning: 'the request is not a break-glass request awaiting review' },
  'not-extendable': { status: 409, meaning: 'the request is not a live grant that an extension would lengthen' },

  // The runtime's own parts and AWS.
  'record-key-missing': { status: 500, meaning: 'the function has a requests table but no SYMTAIL_RECORD_KEY (a misdeployment)' },
  'record-key-unavailable': { status: 503, meaning: 'KMS refused the record key or could not be reached' },
  'store-conflict': { status: 502, meaning: 'a write to the requests table lost to another writer, again and again, or its item already exists' },
  'events-unpublished': { status: 502, meaning: 'EventBridge refused or could not take some request events; the sweep sends them again' },
  'on-call-unavailable': { status: 502, meaning: 'PagerDuty could not say who is on call in time; the request goes to people' },
  'notification-failed': { status: 502, meaning: 'a Slack message about a request could not be posted or updated; the transition stood' },
  'credential-unavailable': { status: 502, meaning: 'a credential secret could not be read, or its value is malformed' },
  'credential-not-set': { status: 502, meaning: 'a credential secret has no value yet: set it with aws secretsmanager put-secret-value' },
  'sweep-incomplete': { status: 502, meaning: 'the sweep could not finish on every tailnet; the invocation fails so Lambda retries it' },
  'sweep-record-failed': { status: 502, meaning: 'the sweep could not note its run in the requests table' },
  'internal-error': { status: 500, meaning: 'an error symtail does not know; the message is its own' },

  // Slack.
  'slack-signature-invalid': { status: 401, meaning: "a Slack delivery's signature is missing or does not match its body under the signing secret" },
  'slack-timestamp-stale': { status: 401, meaning: 'a Slack delivery was signed more than five minutes from now' },
  'slack-payload-invalid': { status: 400, meaning: 'a Slack payload is not one symtail reads; the message names the field' },
  'slack-foreign-workspace': { status: 403, meaning: "a Slack delivery from a workspace other than the runtime's" },
  'slack-foreign-organization': { status: 403, meaning: "a Slack delivery from an Enterprise Grid organization other than the runtime's" },
  'slack-foreign-app': { status: 403, meaning: "a Slack delivery for an app other than the runtime's" },
  'slack-user-refused': { status: 403, meaning: 'the Slack user is a bot, deleted, a guest, of another workspace, or has no email' },
  'slack-not-configured': { status: 500, meaning: 'a Slack delivery reached a runtime with no Slack app in its manifest' },
  'slack-api-failed': { status: 502, meaning: "Slack's Web API refused a call or could not be reached" },

  // The policy file.
  'policy-unparseable': { status: 502, meaning: 'the policy file is not HuJSON; the message names the line and column' },
  'policy-invalid': { status: 502, meaning: "the policy file's access sections do not have the shape Tailscale gives them; names the field and line" },
  'policy-edit-failed': { status: 502, meaning: "the policy file cannot take the edit: the group is missing, or the file is not a policy's shape" },
  'other-member-changed': {
    status: 502,
    meaning: "the edit would change another member's entries once formatted as Tailscale stores the file; nothing was written",
  },

  // The Tailscale API.
  'invalid-argument': { status: 502, meaning: 'a Tailscale call refused before it was sent: a bad tailnet name, ETag or option' },
  'credential-refused': { status: 502, meaning: 'Tailscale answered 401: the API key, OAuth client or token was not accepted' },
  forbidden: { status: 502, meaning: 'Tailscale answered 403: the credential lacks the scope (policy_file:read, policy_file)' },
  'not-found': { status: 502, meaning: 'Tailscale answered 404: an unknown tailnet or path' },
  'policy-refused': { status: 502, meaning: 'Tailscale answered 400: an invalid policy or a failing tests entry; apiMessage and data say why' },
  'precondition-failed': { status: 502, meaning: 'Tailscale answered 412: the policy file changed since it was read' },
  'too-many-conflicts': { status: 502, meaning: 'Tailscale answered 412 to write after write: the read-modify-write gave up' },
  'rate-limited': { status: 502, meaning: 'Tailscale answered 429' },
  'server-error': { status: 502, meaning: 'Tailscale answered 5xx' },
  'unexpected-status': { status: 502, meaning: 'Tailscale answered a status symtail does not expect' },
  network: { status: 502, meaning: 'the connection to Tailscale was refused, reset or hung up' },
  timeout: { status: 502, meaning: 'one request to Tailscale ran out of time' },
  'deadline-exceeded': { status: 502, meaning: "a Tailscale operation's overall time budget ran out" },
  'bad-response': { status: 502, meaning: 'Tailscale answered success with something unusable (no ETag, not HuJSON, …)' },

  // The command line and synth.
  usage: { status: 400, meaning: 'the command line is wrong (exit 2)' },
  'bad-input': { status: 400, meaning: "the command's input cannot be used: a policy file that does not parse, a group it lacks (exit 2)" },
  'command-failed': { status: 500, meaning: 'a command failed while it ran (exit 1); the message is the cause' },
  'not-json': { status: 502, meaning: 'the function answered the CLI with something that is not JSON' },
  'invalid-construct': { status: 400, meaning: "a construct's props cannot work; each problem names the construct's path and the prop" },
  'invalid-manifest': { status: 400, meaning: 'the strategy manifest fails its schema or its cross-references' },
  'peer-dependency-missing': { status: 500, meaning: 'symtail was imported without cdktf or cdktn and its AWS provider installed' },
} as const satisfies Readonly<Record<string, { readonly status: HttpStatus; readonly meaning: string }>>;

/** A code symtail raises: nothing else can be given to an error, so every code has its status and meaning. */
export type ErrorCode = keyof typeof ERROR_CODES;

/** The statuses symtail answers errors with. */
export type HttpStatus = 400 | 401 | 403 | 404 | 409 | 500 | 502 | 503;

/** `rejection`: the caller's to fix (4xx); `failure`: ours or a dependency's (5xx). */
export type ErrorKind = 'rejection' | 'failure';

/** The HTTP status of a code. */
export function httpStatusOf<Code extends ErrorCode>(code: Code): (typeof ERROR_CODES)[Code]['status'] {
  return ERROR_CODES[code].status;
}

export function errorKindOf(code: ErrorCode): ErrorKind {
  return ERROR_CODES[code].status < 500 ? 'rejection' : 'failure';
}

/** How an audit line records an action that ended with this code. */
export function auditOutcomeOf(code: ErrorCode): 'rejected' | 'failed' {
  return errorKindOf(code) === 'rejection' ? 'rejected' : 'failed';
}

/**
 * The codes of rejections, for an answer read from elsewhere (a deployed function's, whose code is only a string):
 * a code this version does not know is not a rejection.
 */
export const REJECTION_CODES: ReadonlySet<string> = new Set((Object.keys(ERROR_CODES) as ErrorCode[]).filter((code) => errorKindOf(code) === 'rejection'));
