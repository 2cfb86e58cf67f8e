import { createServer, Server } from 'node:http';
import { FUNCTION_ACCOUNT } from './function-url-events';
import { closeServer, listenOnLoopback, readBody, send } from './http-io';

/** One `Invoke` as the stand-in received it. */
export interface RecordedInvocation {
  /** As named in the call: a function name or ARN. */
  readonly functionName: string;
  /** `Event` (asynchronous) or `RequestResponse`. */
  readonly invocationType: string;
  readonly payload: unknown;
}

/** What runs an invocation: the function's handler, wherever it lives (in-process, or in a process of its own). */
export type InvokeTarget = (functionName: string, payload: unknown) => Promise<unknown>;

export interface LambdaStandInOptions {
  /** The function URL of each function, by name, for `GetFunctionUrlConfig`. */
  readonly functionUrls?: Readonly<Record<string, string>>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const URL_CONFIG_PATH = /^\/2021-10-31\/functions\/([^/?]+)\/url(?:\?.*)?$/;
const MAX_PAYLOAD = 256 * 1024;

/**
 * A local stand-in for Lambda's `Invoke` and `GetFunctionUrlConfig` APIs, for the AWS SDK pointed here with
 * `AWS_ENDPOINT_URL_LAMBDA`. An `Event` invocation is answered 202 at once and run afterwards, as Lambda does;
 * `settled()` waits for every run so far. Every invocation and URL lookup is recorded.
 */
export class LambdaStandIn {
  readonly invocations: RecordedInvocation[] = [];
  /** The function names `GetFunctionUrlConfig` was asked about, in order. */
  readonly urlLookups: string[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private origin = '';

  private constructor(
    private readonly server: Server,
    private readonly target: InvokeTarget,
    private readonly options: LambdaStandInOptions,
  ) {}

  static async start(target: InvokeTarget, options: LambdaStandInOptions = {}): Promise<LambdaStandIn> {
    let standIn!: LambdaStandIn;
    const server = createServer((req, res) => {
      void standIn.handle(req, res);
    });
    standIn = new LambdaStandIn(server, target, options);
    standIn.origin = await listenOnLoopback(server);
    return standIn;
  }

  get url(): string {
    return this.origin;
  }

  /** Resolves once every invocation started so far has finished; a run's failure is recorded, not thrown here. */
  async settled(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }

  async stop(): Promise<void> {
    await this.settled();
    await closeServer(this.server);
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const urlConfig = URL_CONFIG_PATH.exec(req.url ?? '');
    if (req.method === 'GET' && urlConfig !== null) return this.urlConfig(decodeURIComponent(urlConfig[1]), res);
    const match = INVOKE_PATH.exec(req.url ?? '');
    const read = await readBody(req, MAX_PAYLOAD);
    if (req.method !== 'POST' || match === null || read.kind !== 'text') {
      send(res, 400, JSON.stringify({ Type: 'User', message: 'not an Invoke call' }), { 'Content-Type': 'application/json' });
      return;
    }
    const functionName = decodeURIComponent(match[1]);
    const invocationType = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
    const payload: unknown = read.text === '' ? {} : JSON.parse(read.text);
    this.invocations.push({ functionName, invocationType, payload });
    const run = this.target(functionName, payload);
    this.running.add(run);
    void run.catch(() => undefined).finally(() => this.running.delete(run));
    if (invocationType === 'Event') {
      send(res, 202, '', {});
      return;
    }
    const result = await run.catch((error: Error) => ({ errorMessage: error.message }));
    send(res, 200, JSON.stringify(result ?? null), { 'Content-Type': 'application/json' });
  }

  /** `GetFunctionUrlConfig`: the configured URL, or Lambda's 404 for a function that has none. */
  private urlConfig(functionName: string, res: import('node:http').ServerResponse): void {
    this.urlLookups.push(functionName);
    const url = this.options.functionUrls?.[functionName];
    if (url === undefined) {
      send(res, 404, JSON.stringify({ Type: 'User', Message: `The resource you requested does not exist.` }), {
        'Content-Type': 'application/json',
        'x-amzn-ErrorType': 'ResourceNotFoundException',
      });
      return;
    }
    const arn = `arn:aws:lambda:us-east-1:${FUNCTION_ACCOUNT}:function:${functionName}`;
    const body = {
      FunctionUrl: url,
      FunctionArn: arn,
      AuthType: 'AWS_IAM',
      CreationTime: '2026-01-01T00:00:00.000Z',
      LastModifiedTime: '2026-01-01T00:00:00.000Z',
      InvokeMode: 'BUFFERED',
    };
    send(res, 200, JSON.stringify(body), { 'Content-Type': 'application/json' });
  }
}
