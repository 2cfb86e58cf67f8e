import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import { FUNCTION_ARN } from './function-url-events';
import { reapOnTeardown } from './live-children';

/** Node's side of a function process: loads the handler, then answers one IPC message per invocation. */
const CONTAINER = `
const started = process.hrtime.bigint();
const { handler } = require(process.env.SYMTAIL_HANDLER_FILE);
process.send({ loaded: Number(process.hrtime.bigint() - started) / 1e6 });
const context = { getRemainingTimeInMillis: () => Number(process.env.SYMTAIL_TIMEOUT_MS), invokedFunctionArn: process.env.SYMTAIL_INVOKED_FUNCTION_ARN };
process.on('message', async ({ id, event }) => {
  try {
    process.send({ id, result: (await handler(event, context)) ?? null });
  } catch (error) {
    process.send({ id, error: { name: error?.name, message: String(error?.message ?? error) } });
  }
});
`;

export interface LambdaProcessOptions {
  /** Folder holding the unpacked function package (`index.js`, and whatever else it reads). */
  readonly dir: string;
  /** The function's environment, beside `PATH` and `NODE_PATH`. */
  readonly env: Readonly<Record<string, string>>;
  /** Where the AWS SDK resolves from, as the Lambda runtime provides it. */
  readonly nodePath: string;
  /** What `context.getRemainingTimeInMillis()` answers. Default: 30000. */
  readonly timeoutMs?: number;
  /** What `context.invokedFunctionArn` answers. Default: `FUNCTION_ARN`. */
  readonly invokedFunctionArn?: string;
}

/**
 * An unpacked Lambda package run the way Lambda runs it: in a process of its own, loaded once (a cold start, whose
 * load time is `loadMs`), then invoked event after event (warm). Invocations are answered in order.
 */
export class LambdaProcess {
  /** Milliseconds the handler module took to load. */
  readonly loadMs: number;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

  private constructor(
    private readonly child: ChildProcess,
    loadMs: number,
    private readonly output: string[],
  ) {
    this.loadMs = loadMs;
    child.on('message', (message: { id: number; result?: unknown; error?: { name: string; message: string } }) => {
      const waiter = this.pending.get(message.id);
      if (waiter === undefined) return;
      this.pending.delete(message.id);
      if (message.error) waiter.reject(Object.assign(new Error(message.error.message), { name: message.error.name }));
      else waiter.resolve(message.result);
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`function process exited with ${code}`));
      this.pending.clear();
    });
  }

  static async start(options: LambdaProcessOptions): Promise<LambdaProcess> {
    const child = reapOnTeardown(
      spawn(process.execPath, ['-e', CONTAINER], {
        env: {
          PATH: process.env.PATH ?? '',
          NODE_PATH: options.nodePath,
          SYMTAIL_HANDLER_FILE: path.join(options.dir, 'index.js'),
          SYMTAIL_TIMEOUT_MS: String(options.timeoutMs ?? 30_000),
          SYMTAIL_INVOKED_FUNCTION_ARN: options.invokedFunctionArn ?? FUNCTION_ARN,
          ...options.env,
        },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    );
    const output: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString('utf8')));
    const loadMs = await new Promise<number>((resolve, reject) => {
      child.once('message', (m: { loaded?: number }) => resolve(m.loaded ?? 0));
      child.once('exit', (code) => reject(new Error(`function process exited with ${code} while loading: ${output.join('').slice(-2000)}`)));
    });
    return new LambdaProcess(child, loadMs, output);
  }

  invoke(event: unknown): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ id, event });
    });
  }

  /** The function's log lines that parse as JSON objects. */
  logLines(): Record<string, unknown>[] {
    return this.output
      .join('')
      .split('\n')
      .flatMap((line) => {
        try {
          const value: unknown = JSON.parse(line);
          return typeof value === 'object' && value !== null ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill();
    });
  }
}
