import { escapeInvisible, escapeInvisibleInJson } from '../errors';
import { HistoryActor, ReadRequest, REQUEST_STATES } from '../requests';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, LeafCommand, defineCommand } from './command';
import { UsageError } from './errors';
import { atMostOneOf, flag } from './flags';
import { CliIo } from './io';
import { jsonOutput } from './output';
import { regionOfFunctionUrl, signedPost } from './signed-fetch';

/** The flags every requests command takes. */
const API_FLAGS = {
  url: flag.string({ value: 'U', help: 'the requests API: the function URL (Terraform output requests_url)', required: true }),
  region: flag.string({ value: 'R', help: "the AWS region to sign for (default: the URL's, else AWS_REGION)" }),
} as const;

/** `--json`, last on every requests command: the API's answer as it came. */
const ANSWER_OUTPUT = jsonOutput('the answer');

const NOTES = `Signs with SigV4 using the AWS SDK's default credentials (environment, profile, SSO, instance role), and proves
who you are with a presigned sts:GetCallerIdentity request bound to this call (for the region's STS endpoint, or
AWS_ENDPOINT_URL_STS); the API asks STS and maps the ARN it answers to an email. Exit 0 when the API answers ok, 2
when it refused (bad input, not allowed, unknown request, already decided), 1 when it could not be reached or failed.`;

type ApiFlags = { url: string; region: string | undefined; json: boolean };

function who(actor: HistoryActor): string {
  return actor.kind === 'system' ? `symtail ${actor.name}` : actor.email;
}

/**
 * A request as people read it: one line of what and where it stands, then its history. Every line is escaped whole:
 * reasons, details, emails and ids come from other people, and a control or bidi character in one could move the
 * cursor or reorder the line into something the request never said.
 */
export function describeRequest(r: ReadRequest): string {
  const lines = [
    `${r.id}  ${r.state}  ${r.flow}/${r.target}  ${r.requester.email} (${r.login})  ${r.duration}${r.until ? `  until ${r.until}` : ''}`,
    ...(r.tampered ? ['  TAMPERED: its stored record does not carry a valid MAC (written or changed outside the runtime); nothing below is to be believed'] : []),
    ...(r.reason ? [`  reason: ${r.reason}`] : []),
    ...(r.extends ? [`  extends ${r.extends} (a grant since ${r.grantedSince})`] : []),
    ...(r.needsReview ? ['  BREAK-GLASS: approved by its requester in an emergency; an approver must review it (symtail review)'] : []),
    ...(r.state === 'pending' ? [`  waiting for approval until ${r.deadline}; approvals: ${r.approvals.map((a) => (a.actor.kind === 'system' ? who(a.actor) : a.actor.email)).join(', ') || 'none yet'}`] : []),
    ...r.history.map((h) => `  ${h.at}  ${h.action.padEnd(17)} ${who(h.actor)}${h.detail ? `  ${h.detail}` : ''}`),
  ];
  return lines.map((l) => `${escapeInvisible(l)}\n`).join('');
}

async function callApi(f: ApiFlags, io: CliIo, command: string, body: Record<string, unknown>): Promise<number> {
  let url: URL;
  try {
    url = new URL(f.url);
  } catch {
    throw new UsageError(`--url: expected the function URL, e.g. https://abc123.lambda-url.eu-west-1.on.aws/, got ${JSON.stringify(f.url)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--url: expected an https URL, got ${JSON.stringify(f.url)}`);
  const region = f.region ?? regionOfFunctionUrl(url) ?? io.env.AWS_REGION;
  if (region === undefined) throw new UsageError('--region: expected an AWS region; pass --region, or set AWS_REGION');
  let answer: { status: number; body: unknown };
  try {
    answer = await signedPost(url, region, body, io.env);
  } catch (error) {
    io.stderr.write(`symtail ${command}: ${(error as Error).message}\n`);
    return EXIT_FAILURE;
  }
  const result = answer.body as { ok?: boolean; request?: ReadRequest; requests?: ReadRequest[]; escalationError?: { message: string }; error?: { code: string; message: string } };
  if (f.json) io.stdout.write(`${escapeInvisibleInJson(JSON.stringify(result, null, 2))}\n`);
  if (result.ok !== true) {
    io.stderr.write(`${escapeInvisible(`symtail ${command}: ${result.error?.message ?? `HTTP ${answer.status}`}${result.error ? ` (${result.error.code})` : ''}`)}\n`);
    return answer.status >= 400 && answer.status < 500 ? EXIT_USAGE : EXIT_FAILURE;
  }
  if (!f.json) {
    if (result.request !== undefined) io.stdout.write(describeRequest(result.request));
    for (const r of result.requests ?? []) io.stdout.write(describeRequest(r));
    if (result.requests?.length === 0) io.stdout.write('no requests\n');
  }
  if (result.escalationError !== undefined) {
    io.stderr.write(`${escapeInvisible(`symtail ${command}: approved, but the grant is not written yet (${result.escalationError.message}); the minute sweep retries it`)}\n`);
  }
  return EXIT_OK;
}

/** One command on one request: `symtail approve --url U --id R`, and so on. */
function onRequest(name: 'approve' | 'cancel' | 'revoke', summary: string): LeafCommand {
  return defineCommand({
    name,
    summary,
    flags: { ...API_FLAGS, id: flag.string({ value: 'R', help: 'the request id, e.g. r-4f9c2a1b7d3e5f60', required: true }), ...ANSWER_OUTPUT },
    notes: NOTES,
    run: (f, io) => callApi(f, io, name, { action: name, requestId: f.id }),
  });
}

export const requestCommand = defineCommand({
  name: 'request',
  summary: 'ask for access through a flow; someone else approves',
  description: 'Makes a request through the requests API as the AWS identity you are signed in with, and prints it and its state.',
  flags: {
    ...API_FLAGS,
    flow: flag.string({ value: 'F', help: 'the flow, e.g. tailscale-ssh-access', required: true }),
    target: flag.string({ value: 'T', help: 'the target, e.g. main-prod-access', required: true }),
    for: flag.string({ value: 'D', help: "how long: 30m, 1h, ... (default: the flow's first duration)" }),
    reason: flag.string({ value: 'R', help: 'why (most flows require it)' }),
    'break-glass': flag.boolean({ help: "an emergency: approve it yourself, within the flow's break-glass limit (needs --reason; loud, and reviewed later)" }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) =>
    callApi(f, io, 'request', {
      action: 'request',
      flow: f.flow,
      target: f.target,
      ...(f.for === undefined ? {} : { duration: f.for }),
      ...(f.reason === undefined ? {} : { reason: f.reason }),
      ...(f['break-glass'] && { breakGlass: true }),
    }),
});

export const reviewCommand = defineCommand({
  name: 'review',
  summary: 'mark a break-glass request reviewed (an approver, not its requester)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the request id', required: true }),
    note: flag.string({ value: 'N', help: 'what you checked, for the audit trail' }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'review', { action: 'review', requestId: f.id, ...(f.note === undefined ? {} : { note: f.note }) }),
});

export const extendCommand = defineCommand({
  name: 'extend',
  summary: 'ask for more time on your own escalated request (a new request, linked to it)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the escalated request to extend (yours)', required: true }),
    for: flag.string({ value: 'D', help: "how long from now (past the grant's current end): 30m, 1h, ...", required: true }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'extend', { action: 'extend', requestId: f.id, duration: f.for }),
});

export const approveCommand = onRequest('approve', 'approve a request; the approval that completes the quorum grants it');
export const cancelCommand = onRequest('cancel', 'withdraw your own pending request');
export const revokeCommand = onRequest('revoke', 'end granted access early (its requester or an approver)');

export const denyCommand = defineCommand({
  name: 'deny',
  summary: 'refuse a pending request (an approver)',
  flags: {
    ...API_FLAGS,
    id: flag.string({ value: 'R', help: 'the request id', required: true }),
    reason: flag.string({ value: 'R', help: 'why, for the requester and the audit trail' }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'deny', { action: 'deny', requestId: f.id, ...(f.reason === undefined ? {} : { reason: f.reason }) }),
});

export const requestsCommand = defineCommand({
  name: 'requests',
  summary: 'list requests (newest first), or show one with --id',
  flags: {
    ...API_FLAGS,
    ...atMostOneOf({
      state: flag.string({ value: 'S', help: `only requests in this state: ${REQUEST_STATES.join(', ')}`, options: REQUEST_STATES }),
      id: flag.string({ value: 'R', help: 'show this one request' }),
    }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'requests', f.id !== undefined ? { action: 'get', requestId: f.id } : { action: 'requests', ...(f.state === undefined ? {} : { state: f.state }) }),
});

export const REQUEST_COMMANDS: readonly LeafCommand[] = [requestCommand, approveCommand, denyCommand, cancelCommand, revokeCommand, reviewCommand, extendCommand, requestsCommand];
