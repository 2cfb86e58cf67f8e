import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBody, send } from './http-io';

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

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const MAX_PAYLOAD = 256 * 1024;

/**
 * A local stand-in for Lambda's `Invoke` API, for the AWS SDK pointed here with `AWS_ENDPOINT_URL_LAMBDA`. An `Event`
 * invocation is answered 202 at once and run afterwards, as Lambda does; `settled()` waits for every run so far.
 * Every call is recorded.
 */
export class LambdaStandIn {
  readonly invocations: RecordedInvocation[] = [];
  private readonly running = new Set<Promise<unknown>>();
  private origin = '';

  private constructor(
    private readonly server: Server,
    private readonly target: InvokeTarget,
  ) {}

  static async start(target: InvokeTarget): Promise<LambdaStandIn> {
    let standIn!: LambdaStandIn;
    const server = createServer((req, res) => {
      void standIn.handle(req, res);
    });
    standIn = new LambdaStandIn(server, target);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
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
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
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
}
