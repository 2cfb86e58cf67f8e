import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { RaceJob, RaceJobResult, READY } from './race-protocol';

const STDERR_KEPT = 2000;

/** A race worker process (`revoke-race-worker.js`): one runtime container taking actions over stdin. */
export class RaceWorker {
  readonly ready: Promise<void>;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting = new Map<string, { resolve: (r: RaceJobResult) => void; reject: (e: Error) => void }>();
  private readonly closed: Promise<void>;

  constructor(script: string, args: readonly string[]) {
    this.child = spawn(process.execPath, [script, ...args], { stdio: 'pipe' });
    let stderr = '';
    this.child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_KEPT);
    });
    let announced!: () => void;
    let failed!: (error: Error) => void;
    this.ready = new Promise((resolve, reject) => {
      announced = resolve;
      failed = reject;
    });
    // Whoever awaits it sees a failure; an early one must not surface as an unhandled rejection meanwhile.
    this.ready.catch(() => undefined);
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      if (line === READY) return announced();
      const result = JSON.parse(line) as RaceJobResult;
      const key = keyOf(result);
      this.waiting.get(key)?.resolve(result);
      this.waiting.delete(key);
    });
    this.closed = new Promise((resolve) => {
      // 'close' comes after stdout has been read to its end, so no answer printed before exiting is lost.
      this.child.once('close', (code, signal) => {
        const error = new Error(`race worker ended (${signal ?? `exit ${code}`}): ${stderr.trim() || 'no stderr'}`);
        failed(error);
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
        resolve();
      });
    });
  }

  /** Sends one action; resolves with its answer. */
  run(job: RaceJob): Promise<RaceJobResult> {
    return new Promise((resolve, reject) => {
      this.waiting.set(keyOf(job), { resolve, reject });
      this.child.stdin.write(`${JSON.stringify(job)}\n`);
    });
  }

  /** No more actions: the worker answers those in flight and exits. */
  end(): Promise<void> {
    this.child.stdin.end();
    return this.closed;
  }

  stop(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

function keyOf(x: { id: string; role: string }): string {
  return `${x.role} ${x.id}`;
}

/** One request of the storm and who asked for it (who revokes it). */
export interface StormTrial {
  readonly id: string;
  readonly requester: string;
}

export interface StormOptions {
  readonly approver: string;
  /** Trials in flight at once; each waits for both its answers before the next starts in its place. */
  readonly window: number;
  /** Each action waits a random time below this before acting. */
  readonly jitterMs: number;
  /** Random numbers in [0, 1). */
  readonly random: () => number;
}

/**
 * Races, for each trial, its approval in one worker against its revoke in another, each after its own jitter. A
 * closed loop: at most `window` trials run at once, so the storm keeps pace with the machine instead of queueing up.
 */
export async function revokeStorm(workers: readonly RaceWorker[], trials: readonly StormTrial[], options: StormOptions): Promise<RaceJobResult[]> {
  if (workers.length < 2) throw new Error('revokeStorm: expected at least two workers, so approval and revoke race across processes');
  const results: RaceJobResult[] = [];
  let next = 0;
  const lane = async () => {
    while (next < trials.length) {
      const i = next++;
      const { id, requester } = trials[i];
      const jitter = () => Math.floor(options.random() * options.jitterMs);
      const approver = i % workers.length;
      const revoker = (approver + 1 + Math.floor(options.random() * (workers.length - 1))) % workers.length;
      results.push(
        ...(await Promise.all([
          workers[approver].run({ id, role: 'approve', email: options.approver, jitterMs: jitter() }),
          workers[revoker].run({ id, role: 'revoke', email: requester, jitterMs: jitter() }),
        ])),
      );
    }
  };
  await Promise.all(Array.from({ length: options.window }, lane));
  return results;
}
