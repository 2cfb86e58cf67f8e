import { escapeInvisible, escapeInvisibleInJson } from '../errors';
import { HistoryActor, ReadRequest, REQUEST_STATES } from '../requests';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE } from './command';
import { UsageError } from './errors';
import { AWS_REGION, flag } from './flags';
import { CliIo } from './io';
import { regionOfFunctionUrl, signedPost } from './signed-fetch';

// Calling the requests API from the command line: the flags every requests command takes, one signed and proven
// call, what its answer means for the exit code, and a request as people read it.

/** The flags every requests command takes. */
export const API_FLAGS = {
  url: flag.string({ value: 'U', help: 'the requests API: the function URL (Terraform output requests_url)', required: true }),
  region: flag.string({ value: 'R', help: "the AWS region to sign for (default: the URL's, else AWS_REGION)", accepts: AWS_REGION }),
} as const;

export const NOTES = `Signs with SigV4 using the AWS SDK's default credentials (environment, profile, SSO, instance role), and proves
who you are with a presigned sts:GetCallerIdentity request bound to this call (for the region's STS endpoint, or
AWS_ENDPOINT_URL_STS); the API asks STS and maps the ARN it answers to an email. Exit 0 when the API answers ok, 2
when it refused (bad input, not allowed, unknown request, already decided), 1 when it could not be reached or failed.`;

export const STATE_FLAG = flag.string({ value: 'S', help: `only requests in this state: ${REQUEST_STATES.join(', ')}`, options: REQUEST_STATES });

export type ApiFlags = { url: string; region: string | undefined; json: boolean };

export function who(actor: HistoryActor): string {
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
export interface Endpoint {
  readonly url: URL;
  readonly region: string;
}

export function endpoint(f: Pick<ApiFlags, 'url' | 'region'>, io: CliIo): Endpoint {
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
export async function send(
  command: string,
  at: Endpoint,
  body: Record<string, unknown>,
  io: CliIo,
): Promise<{ status: number; answer: ApiAnswer } | undefined> {
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
export function refused(command: string, { status, answer }: { status: number; answer: ApiAnswer }, io: CliIo): number {
  io.stderr.write(`${escapeInvisible(`symtail ${command}: ${answer.error?.message ?? `HTTP ${status}`}${answer.error ? ` (${answer.error.code})` : ''}`)}\n`);
  return status >= 400 && status < 500 ? EXIT_USAGE : EXIT_FAILURE;
}

export async function callApi(f: ApiFlags, io: CliIo, command: string, body: Record<string, unknown>): Promise<number> {
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
