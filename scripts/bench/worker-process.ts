import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

const READY = 'ready';
const GO = 'go';
const STDERR_KEPT = 2000;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: Error) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Whoever awaits it sees the failure; an early one must not surface as an unhandled rejection meanwhile.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/**
 * A child process that loads, says `ready`, waits for `go` on stdin, then prints one result line and exits.
 * The start signal lets the parent time only the work, not each child's module loading. Killed after
 * `timeoutMs` whatever it is doing, and by `stop()`.
 */
export class WorkerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly readyLine = deferred<void>();
  private readonly resultLine = deferred<string>();
  private readonly timer: NodeJS.Timeout;

  constructor(script: string, args: readonly string[], timeoutMs: number) {
    this.child = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    let seen = 0;
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      seen++;
      if (seen === 1 && line === READY) this.readyLine.resolve();
      else if (seen === 1) this.readyLine.reject(new Error(`worker ${script}: expected "${READY}", got ${JSON.stringify(line.slice(0, 200))}`));
      else if (seen === 2) this.resultLine.resolve(line);
    });
    const fail = (error: Error) => {
      this.readyLine.reject(error);
      this.resultLine.reject(error);
    };
    this.child.once('error', fail);
    // 'close' comes after stdout has been read to its end, so a result printed just before exiting is never lost.
    this.child.once('close', (code, signal) => {
      clearTimeout(this.timer);
      fail(new Error(`worker ${script} ended (${signal ?? `exit ${code}`}) before reporting: ${stderr.trim() || 'no stderr'}`));
    });
    this.timer = setTimeout(() => this.stop(), timeoutMs);
  }

  get ready(): Promise<void> {
    return this.readyLine.promise;
  }

  /** Starts the work; resolves with the result line. */
  go(): Promise<string> {
    this.child.stdin.end(`${GO}\n`);
    return this.resultLine.promise;
  }

  stop(): void {
    clearTimeout(this.timer);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** The child's side: announce readiness, then run `work` once `go` arrives and print its result as JSON. */
export function serveOnce(work: () => Promise<unknown>): void {
  process.stdout.write(`${READY}\n`);
  const input = createInterface({ input: process.stdin });
  input.once('line', (line) => {
    input.close();
    if (line !== GO) {
      process.stderr.write(`expected "${GO}" on stdin, got ${JSON.stringify(line.slice(0, 200))}\n`);
      process.exit(2);
    }
    work().then(
      (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      (error: Error) => {
        process.stderr.write(`${error.message}\n`);
        process.exit(1);
      },
    );
  });
}
