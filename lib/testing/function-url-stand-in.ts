import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { credentialLookup, StandInCredential } from './aws-credentials';
import { FUNCTION_ACCOUNT } from './function-url-events';
import { closeServer, listenOnLoopback, send } from './http-io';
import { sigV4RequestOf, verifySigV4 } from './sigv4';

export interface FunctionUrlStandInOptions {
  /** The credentials IAM knows; each signs as its `arn`. */
  readonly credentials: readonly StandInCredential[];
  /** Runs the function on a function URL event (in-process, or in a process of its own) and answers its result. */
  readonly target: (event: object) => Promise<unknown>;
  /** The stand-in's clock for the signature's time. Default: the real one. */
  readonly now?: () => Date;
}

const MAX_BODY = 6 * 1024 * 1024;
const TEXT_TYPES = /^(?:text\/|application\/(?:json|xml|javascript)\b)/;

/**
 * A Lambda function URL with `AWS_IAM` auth, on loopback: it checks each request's SigV4 signature (service `lambda`)
 * as Lambda does, by recomputing it with the secret of the key it names, answers a bad one 403 `{"Message":"Forbidden"}`
 * without running the function, and hands the rest to the function as function URL events (payload format 2.0)
 * whose `requestContext.authorizer.iam.userArn` is the signer's ARN. The function's `{statusCode, headers, body}` is
 * the HTTP answer.
 */
export class FunctionUrlStandIn {
  /** Requests refused for their signature. */
  refused = 0;
  /** Events handed to the function. */
  readonly events: object[] = [];
  private origin = '';
  private readonly now: () => Date;

  private constructor(
    private readonly server: Server,
    private readonly options: FunctionUrlStandInOptions,
  ) {
    this.now = options.now ?? (() => new Date());
  }

  static async start(options: FunctionUrlStandInOptions): Promise<FunctionUrlStandIn> {
    let standIn!: FunctionUrlStandIn;
    const server = createServer((req, res) => {
      void standIn.handle(req, res).catch((error: Error) => send(res, 502, JSON.stringify({ Message: error.message }), { 'Content-Type': 'application/json' }));
    });
    standIn = new FunctionUrlStandIn(server, options);
    standIn.origin = `${await listenOnLoopback(server)}/`;
    return standIn;
  }

  /** The function URL, for `symtail … --url`. */
  get url(): string {
    return this.origin;
  }

  async stop(): Promise<void> {
    await closeServer(this.server);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const bytes = Buffer.concat(chunks);
    const request = bytes.length <= MAX_BODY ? sigV4RequestOf(req, bytes) : undefined;
    const verdict = request && verifySigV4(request, credentialLookup(this.options.credentials), { service: 'lambda', now: this.now() });
    if (request === undefined || verdict === undefined || !verdict.ok) {
      this.refused++;
      send(res, 403, JSON.stringify({ Message: 'Forbidden' }), { 'Content-Type': 'application/json', 'x-amzn-ErrorType': 'AccessDeniedException' });
      return;
    }
    const event = this.eventOf(req, request.path, bytes, verdict.credential);
    this.events.push(event);
    const result = (await this.options.target(event)) as { statusCode?: number; headers?: Record<string, string>; body?: string } | null;
    if (result !== null && typeof result === 'object' && typeof result.statusCode === 'number') {
      send(res, result.statusCode, result.body ?? '', { ...result.headers });
    } else {
      send(res, 200, JSON.stringify(result), { 'Content-Type': 'application/json' });
    }
  }

  /** The event Lambda builds for a request whose signature IAM accepted. */
  private eventOf(req: IncomingMessage, path: string, bytes: Buffer, credential: StandInCredential): object {
    const headers = Object.fromEntries(Object.entries(req.headersDistinct).map(([name, values]) => [name, (values ?? []).join(',')]));
    const text = TEXT_TYPES.test(headers['content-type'] ?? '');
    const now = this.now();
    const target = req.url ?? '/';
    const account = credential.arn.split(':')[4];
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: path,
      rawQueryString: target.includes('?') ? target.slice(target.indexOf('?') + 1) : '',
      headers,
      requestContext: {
        accountId: FUNCTION_ACCOUNT,
        apiId: 'example-url-id',
        authorizer: { iam: { accessKey: credential.accessKeyId, accountId: account, callerId: 'AIDAEXAMPLE', userArn: credential.arn, userId: 'AIDAEXAMPLE' } },
        domainName: headers.host,
        http: { method: req.method, path, protocol: `HTTP/${req.httpVersion}`, sourceIp: req.socket.remoteAddress, userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: now.toISOString(),
        timeEpoch: now.getTime(),
      },
      body: text ? bytes.toString('utf8') : bytes.toString('base64'),
      isBase64Encoded: !text,
    };
  }
}
