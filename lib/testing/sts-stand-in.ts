import { createHash, randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { credentialLookup, StandInCredential } from './aws-credentials';
import { closeServer, listenOnLoopback, readBody, send } from './http-io';
import { sigV4RequestOf, verifySigV4 } from './sigv4';

/** One call as the stand-in received it, and what it answered: `ok`, or STS's error code. */
export interface RecordedStsCall {
  readonly accessKeyId?: string;
  readonly action?: string;
  readonly outcome: string;
}

export interface StsStandInOptions {
  /** The credentials STS knows; each signs as its `arn`. */
  readonly credentials?: readonly StandInCredential[];
  /** The stand-in's clock, against which a signature's `x-amz-date` must be within 15 minutes. Default: the real one. */
  readonly now?: () => Date;
}

const NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
const MAX_BODY = 64 * 1024;

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The account of an ARN and the `UserId` STS reports with it: an IAM user's id, or a role's id and the session name. */
function idsOf(arn: string): { account: string; userId: string } {
  const [, , , , account = '', resource = ''] = arn.split(':');
  const id = createHash('sha256').update(arn).digest('hex').slice(0, 17).toUpperCase();
  const role = /^assumed-role\/[^/]+\/(.+)$/.exec(resource);
  return { account, userId: role === null ? `AIDA${id}` : `AROA${id}:${role[1]}` };
}

/**
 * A local stand-in for AWS STS's `GetCallerIdentity`, for the AWS SDK pointed here with `AWS_ENDPOINT_URL_STS` and for
 * identity proofs made for it. It verifies each call's SigV4 signature as STS does (the key must be known and
 * presented with its own session token, the signature recomputed with its secret must match, `x-amz-date` must be
 * within 15 minutes of its clock) and answers with STS's XML: the caller's `Arn`, `UserId` and `Account`, or an
 * `ErrorResponse` (403 `InvalidClientTokenId`, `SignatureDoesNotMatch`, …). Every call is recorded.
 */
export class StsStandIn {
  readonly calls: RecordedStsCall[] = [];
  private readonly credentials: StandInCredential[];
  private readonly now: () => Date;
  private fault?: { status: number; code: string };
  private origin = '';

  private constructor(
    private readonly server: Server,
    options: StsStandInOptions,
  ) {
    this.credentials = [...(options.credentials ?? [])];
    this.now = options.now ?? (() => new Date());
  }

  static async start(options: StsStandInOptions = {}): Promise<StsStandIn> {
    let standIn!: StsStandIn;
    const server = createServer((req, res) => {
      void standIn
        .handle(req, res)
        .catch(() => standIn.error(res, 500, 'InternalFailure', 'The request processing has failed.', { outcome: 'InternalFailure' }));
    });
    standIn = new StsStandIn(server, options);
    standIn.origin = `${await listenOnLoopback(server)}/`;
    return standIn;
  }

  /** The endpoint, for `AWS_ENDPOINT_URL_STS`. */
  get url(): string {
    return this.origin;
  }

  /** Makes STS know another credential. */
  add(credential: StandInCredential): void {
    this.credentials.push(credential);
  }

  /** The next call is answered with this error, whatever it asks (STS throttling or failing). */
  failNext(status: number, code: string): void {
    this.fault = { status, code };
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const read = await readBody(req, MAX_BODY);
    if (this.fault !== undefined) {
      const { status, code } = this.fault;
      this.fault = undefined;
      return this.error(res, status, code, 'Rate exceeded or service failure (stand-in fault).', { outcome: code });
    }
    const request = read.kind === 'text' ? sigV4RequestOf(req, read.text) : undefined;
    if (read.kind !== 'text' || request === undefined)
      return this.error(res, 400, 'MalformedQueryString', 'The query string or body could not be read.', { outcome: 'MalformedQueryString' });
    const verdict = verifySigV4(request, credentialLookup(this.credentials), { service: 'sts', now: this.now() });
    if (!verdict.ok) return this.error(res, verdict.status, verdict.code, verdict.message, { outcome: verdict.code });
    const { accessKeyId } = verdict.authorization;
    const params = new URLSearchParams(req.method === 'GET' ? (req.url ?? '').replace(/^[^?]*\??/, '') : read.text);
    const action = params.get('Action') ?? undefined;
    if (action !== 'GetCallerIdentity' || params.get('Version') !== '2011-06-15') {
      return this.error(res, 400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version ${params.get('Version') ?? '(none)'}`, {
        accessKeyId,
        action,
        outcome: 'InvalidAction',
      });
    }
    const { arn } = verdict.credential;
    const { account, userId } = idsOf(arn);
    this.calls.push({ accessKeyId, action, outcome: 'ok' });
    const requestId = randomUUID();
    const body =
      `<GetCallerIdentityResponse xmlns="${NAMESPACE}">\n  <GetCallerIdentityResult>\n    <Arn>${xmlText(arn)}</Arn>\n    <UserId>${xmlText(userId)}</UserId>\n` +
      `    <Account>${account}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n`;
    send(res, 200, body, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId });
  }

  private error(res: ServerResponse, status: number, code: string, message: string, call: RecordedStsCall): void {
    this.calls.push(call);
    const requestId = randomUUID();
    const body =
      `<ErrorResponse xmlns="${NAMESPACE}">\n  <Error>\n    <Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type>\n    <Code>${code}</Code>\n` +
      `    <Message>${xmlText(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
    send(res, status, body, { 'Content-Type': 'text/xml', 'x-amzn-RequestId': requestId });
  }
}
