import { escapeInvisible, escapeInvisibleInJson } from '../errors';
import { DURATION_PATTERN, NAME_PATTERN } from '../manifest';
import { REQUEST_ID_PATTERN } from '../policy';
import { HistoryActor, ReadRequest, REQUEST_STATES } from '../requests';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, LeafCommand, defineCommand } from './command';
import { UsageError } from './errors';
import { atMostOneOf, AWS_REGION, flag, REASON_TEXT, ValueRule } from './flags';
import { CliIo } from './io';
import { csv } from './csv';
import { jsonOutput, OutputFormat, outputFormat, tableOutput } from './output';
import { regionOfFunctionUrl, signedPost } from './signed-fetch';

/** What the requests API takes, checked before the call so that a refusal names the flag rather than a body field. */
const NAME: ValueRule = { pattern: NAME_PATTERN, expected: 'a name of letters, digits, ".", "_" or "-" (at most 128, starting with a letter or digit)' };
const REQUEST_ID: ValueRule = { pattern: REQUEST_ID_PATTERN, expected: 'a request id of 1 to 128 letters, digits, ".", "_", ":" or "-"' };
const DURATION: ValueRule = { pattern: DURATION_PATTERN, expected: 'a duration such as "30m", "1h" or "1d"' };

/** The flags every requests command takes. */
const API_FLAGS = {
  url: flag.string({ value: 'U', help: 'the requests API: the function URL (Terraform output requests_url)', required: true }),
  region: flag.string({ value: 'R', help: "the AWS region to sign for (default: the URL's, else AWS_REGION)", accepts: AWS_REGION }),
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
    ...(r.tampered
      ? ['  TAMPERED: its stored record does not carry a valid MAC (written or changed outside the runtime); nothing below is to be believed']
      : []),
    ...(r.reason ? [`  reason: ${r.reason}`] : []),
    ...(r.extends ? [`  extends ${r.extends} (a grant since ${r.grantedSince})`] : []),
    ...(r.needsReview ? ['  BREAK-GLASS: approved by its requester in an emergency; an approver must review it (symtail review)'] : []),
    ...(r.state === 'pending'
      ? [
          `  waiting for approval until ${r.deadline}; approvals: ${r.approvals.map((a) => (a.actor.kind === 'system' ? who(a.actor) : a.actor.email)).join(', ') || 'none yet'}`,
        ]
      : []),
    ...r.history.map((h) => `  ${h.at}  ${h.action.padEnd(17)} ${who(h.actor)}${h.detail ? `  ${h.detail}` : ''}`),
  ];
  return lines.map((l) => `${escapeInvisible(l)}\n`).join('');
}

type ApiAnswer = {
  ok?: boolean;
  request?: ReadRequest;
  requests?: ReadRequest[];
  nextCursor?: string;
  escalationError?: { message: string };
  error?: { code: string; message: string };
};

/** Where the calls go: `--url`, checked, and the region to sign for. */
interface Endpoint {
  readonly url: URL;
  readonly region: string;
}

function endpoint(f: Pick<ApiFlags, 'url' | 'region'>, io: CliIo): Endpoint {
  let url: URL;
  try {
    url = new URL(f.url);
  } catch {
    throw new UsageError(`--url: expected the function URL, e.g. https://abc123.lambda-url.eu-west-1.on.aws/, got ${JSON.stringify(f.url)}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new UsageError(`--url: expected an https URL, got ${JSON.stringify(f.url)}`);
  const region = f.region ?? regionOfFunctionUrl(url) ?? io.env.AWS_REGION;
  if (region === undefined) throw new UsageError('--region: expected an AWS region; pass --region, or set AWS_REGION');
  return { url, region };
}

/** One signed and proven call: its status and answer, or undefined (said on stderr) when the API could not be reached. */
async function send(command: string, at: Endpoint, body: Record<string, unknown>, io: CliIo): Promise<{ status: number; answer: ApiAnswer } | undefined> {
  try {
    const { status, body: answer } = await signedPost(at.url, at.region, body, io.env);
    return { status, answer: answer as ApiAnswer };
  } catch (error) {
    io.stderr.write(`symtail ${command}: ${(error as Error).message}
`);
    return undefined;
  }
}

/** Says on stderr why the API did not answer ok; exit 2 when it refused the call (4xx), 1 when it failed. */
function refused(command: string, { status, answer }: { status: number; answer: ApiAnswer }, io: CliIo): number {
  io.stderr.write(`${escapeInvisible(`symtail ${command}: ${answer.error?.message ?? `HTTP ${status}`}${answer.error ? ` (${answer.error.code})` : ''}`)}\n`);
  return status >= 400 && status < 500 ? EXIT_USAGE : EXIT_FAILURE;
}

async function callApi(f: ApiFlags, io: CliIo, command: string, body: Record<string, unknown>): Promise<number> {
  const sent = await send(command, endpoint(f, io), body, io);
  if (sent === undefined) return EXIT_FAILURE;
  const result = sent.answer;
  if (f.json) io.stdout.write(`${escapeInvisibleInJson(JSON.stringify(result, null, 2))}\n`);
  if (result.ok !== true) return refused(command, sent, io);
  if (!f.json) {
    if (result.request !== undefined) io.stdout.write(describeRequest(result.request));
    for (const r of result.requests ?? []) io.stdout.write(describeRequest(r));
    if (result.requests?.length === 0) io.stdout.write('no requests\n');
  }
  if (result.escalationError !== undefined) {
    io.stderr.write(
      `${escapeInvisible(`symtail ${command}: approved, but the grant is not written yet (${result.escalationError.message}); the minute sweep retries it`)}\n`,
    );
  }
  return EXIT_OK;
}

/** One command on one request: `symtail approve --url U --id R`, and so on. */
function onRequest(name: 'approve' | 'cancel' | 'revoke', summary: string): LeafCommand {
  return defineCommand({
    name,
    summary,
    flags: {
      ...API_FLAGS,
      id: flag.string({ value: 'R', help: 'the request id, e.g. r-4f9c2a1b7d3e5f60', required: true, accepts: REQUEST_ID }),
      ...ANSWER_OUTPUT,
    },
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
    flow: flag.string({ value: 'F', help: 'the flow, e.g. tailscale-ssh-access', required: true, accepts: NAME }),
    target: flag.string({ value: 'T', help: 'the target, e.g. main-prod-access', required: true, accepts: NAME }),
    for: flag.string({ value: 'D', help: "how long: 30m, 1h, ... (default: the flow's first duration)", accepts: DURATION }),
    reason: flag.string({ value: 'R', help: 'why (most flows require it)', accepts: REASON_TEXT }),
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
    id: flag.string({ value: 'R', help: 'the request id', required: true, accepts: REQUEST_ID }),
    note: flag.string({ value: 'N', help: 'what you checked, for the audit trail', accepts: REASON_TEXT }),
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
    id: flag.string({ value: 'R', help: 'the escalated request to extend (yours)', required: true, accepts: REQUEST_ID }),
    for: flag.string({ value: 'D', help: "how long from now (past the grant's current end): 30m, 1h, ...", required: true, accepts: DURATION }),
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
    id: flag.string({ value: 'R', help: 'the request id', required: true, accepts: REQUEST_ID }),
    reason: flag.string({ value: 'R', help: 'why, for the requester and the audit trail', accepts: REASON_TEXT }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) => callApi(f, io, 'deny', { action: 'deny', requestId: f.id, ...(f.reason === undefined ? {} : { reason: f.reason }) }),
});

const STATE_FLAG = flag.string({ value: 'S', help: `only requests in this state: ${REQUEST_STATES.join(', ')}`, options: REQUEST_STATES });

/** The columns of `requests export --csv`: what a reviewer filters on; the history stays in the JSON. */
const EXPORT_COLUMNS = [
  'id',
  'state',
  'flow',
  'target',
  'requester',
  'login',
  'duration',
  'created_at',
  'until',
  'approvers',
  'reason',
  'break_glass',
  'needs_review',
  'extends',
  'tampered',
];

function exportRow(r: ReadRequest): string[] {
  const approvers = r.approvals.map((a) => (a.actor.kind === 'system' ? who(a.actor) : a.actor.email)).join(' ');
  const yes = (b: boolean | undefined) => (b === true ? 'yes' : '');
  return [
    r.id,
    r.state,
    r.flow,
    r.target,
    r.requester.email,
    r.login,
    r.duration,
    r.createdAt,
    r.until ?? '',
    approvers,
    r.reason ?? '',
    yes(r.breakGlass),
    yes(r.needsReview),
    r.extends ?? '',
    yes(r.tampered),
  ];
}

/** Writes one request as the output flags ask: its lines, one JSON object a line, or one CSV record. */
function writeExported(io: CliIo, format: OutputFormat, r: ReadRequest): void {
  if (format === 'json') io.stdout.write(`${escapeInvisibleInJson(JSON.stringify(r))}\n`);
  else if (format === 'csv') io.stdout.write(csv([exportRow(r)]));
  else io.stdout.write(describeRequest(r));
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'write every request (newest first), reading the API a page at a time',
  description: `Asks the requests API for every request, newest first, 100 at a time: each answer's nextCursor asks for the
page after it, until the last. Each request is written as soon as its page arrives.`,
  flags: {
    ...API_FLAGS,
    state: STATE_FLAG,
    ...tableOutput({ json: 'each request on a line of its own', csv: 'one record per request (its history stays in the JSON)' }),
  },
  notes: `A request made while the export runs is left out, being newer than the pages already read. If a page fails, the
requests written before it stand, stderr says how many, and the exit code is the failure's.

${NOTES}`,
  async run(f, io) {
    const at = endpoint(f, io);
    const format = outputFormat(f);
    if (format === 'csv') io.stdout.write(csv([EXPORT_COLUMNS]));
    let written = 0;
    let cursor: string | undefined;
    const stopped = (code: number) => {
      io.stderr.write(`symtail requests export: stopped after ${written} request${written === 1 ? '' : 's'}\n`);
      return code;
    };
    do {
      const sent = await send(
        'requests export',
        at,
        { action: 'requests', ...(f.state === undefined ? {} : { state: f.state }), ...(cursor === undefined ? {} : { cursor }) },
        io,
      );
      if (sent === undefined) return stopped(EXIT_FAILURE);
      if (sent.answer.ok !== true) return stopped(refused('requests export', sent, io));
      for (const r of sent.answer.requests ?? []) writeExported(io, format, r);
      written += sent.answer.requests?.length ?? 0;
      // An answer that sends the export back where it was would never end.
      if (sent.answer.nextCursor !== undefined && sent.answer.nextCursor === cursor) {
        io.stderr.write('symtail requests export: the API answered the cursor it was sent; not asking again\n');
        return stopped(EXIT_FAILURE);
      }
      cursor = sent.answer.nextCursor;
    } while (cursor !== undefined);
    if (format === 'text' && written === 0) io.stdout.write('no requests\n');
    return EXIT_OK;
  },
});

export const requestsCommand = defineCommand({
  name: 'requests',
  summary: 'list requests (newest first), or show one with --id; export writes them all',
  description: 'Lists the newest 100 requests (symtail requests export writes every one), or shows one request with --id.',
  flags: {
    ...API_FLAGS,
    ...atMostOneOf({
      state: STATE_FLAG,
      id: flag.string({ value: 'R', help: 'show this one request', accepts: REQUEST_ID }),
    }),
    ...ANSWER_OUTPUT,
  },
  notes: NOTES,
  run: (f, io) =>
    callApi(
      f,
      io,
      'requests',
      f.id !== undefined ? { action: 'get', requestId: f.id } : { action: 'requests', ...(f.state === undefined ? {} : { state: f.state }) },
    ),
  subcommands: [exportCommand],
});

export const REQUEST_COMMANDS: readonly LeafCommand[] = [
  requestCommand,
  approveCommand,
  denyCommand,
  cancelCommand,
  revokeCommand,
  reviewCommand,
  extendCommand,
  requestsCommand,
];
