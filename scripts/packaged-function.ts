// The synthesized Lambda package, run as Lambda would run it: the zip synth wrote, unpacked, its handler required in
// a fresh Node process, the AWS SDK pointed at local stand-ins. Shared by the tests, the demo and the benchmarks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { App } from 'cdktf';
import { FUNCTION_ARN, localAwsEnvironment, OffsetClock, reapOnTeardown } from '../lib/testing';
import { REQUESTS_TABLE_VARIABLE } from '../lib/requests';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');
/** The Lambda runtime provides the AWS SDK; here the project's copy stands in for it. */
export const PACKAGED_NODE_PATH = path.join(ROOT, 'node_modules');

/**
 * An event made at the moment its step runs, on the run's clock: a function URL call whose identity proof must be
 * signed at that step's time (after an `advanceSeconds`, the function's clock and the STS stand-in's have moved).
 */
export type LateEvent = (now: Date) => unknown;
/** An event as it is, or one made when its step runs. */
export type StepEvent = unknown | LateEvent;

/** One step of a run: an event, several events at once, or the function's clock moved forward. */
export type Step = { readonly event: StepEvent } | { readonly concurrently: readonly StepEvent[] } | { readonly advanceSeconds: number };

/** Where the function's AWS calls go, and what else its environment holds (as the constructs would set it). */
export interface StandIns {
  readonly secretsManagerUrl: string;
  readonly dynamoDbUrl: string;
  readonly stsUrl?: string;
  readonly kmsUrl?: string;
  readonly iamUrl?: string;
  readonly lambdaUrl?: string;
  readonly eventBridgeUrl?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The time the stand-ins keep (give the STS stand-in the same clock). A run's function starts at it, and its
   * `advanceSeconds` move it, for the stand-ins and for every later run. Default: real time, for this run only.
   */
  readonly clock?: OffsetClock;
}

export interface RunOutput {
  /** One answer per step (an array of answers for `concurrently`, null for `advanceSeconds`); a thrown error as `{thrown}`. */
  readonly results: unknown[];
  /** The audit lines the function wrote. */
  readonly audit: Record<string, unknown>[];
}

interface TerraformJson {
  resource: Record<string, Record<string, Record<string, unknown>>>;
}

/** A synthesized stack's function, unpacked. */
export class PackagedFunction {
  private constructor(
    private readonly scratch: string,
    /** The unpacked package: `index.js` and `manifest.json`. */
    readonly dir: string,
    /** The synthesized stack, as Terraform reads it. */
    readonly terraform: TerraformJson,
    /** The size of the zip synth wrote. */
    readonly zipBytes: number,
  ) {}

  /** Synthesizes `build` into a scratch folder and unpacks the one Lambda zip it wrote. */
  static synthesize(build: (app: App) => unknown): PackagedFunction {
    const scratch = mkdtempSync(path.join(tmpdir(), 'symtail-package-'));
    const outdir = path.join(scratch, 'cdktf.out');
    const app = new App({ outdir });
    build(app);
    app.synth();
    const [stack] = readdirSync(path.join(outdir, 'stacks'));
    const stackDir = path.join(outdir, 'stacks', stack);
    const terraform = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
    // The runtime: the one function told its requests table (a stack with Slack also has the front door).
    const functions = Object.values(terraform.resource.aws_lambda_function) as { filename?: string; environment?: { variables?: Record<string, string> } }[];
    const fn = functions.find((f) => f.environment?.variables?.[REQUESTS_TABLE_VARIABLE] !== undefined) ?? functions[0];
    const zip = path.resolve(stackDir, fn.filename as string);
    const dir = path.join(scratch, 'task');
    new AdmZip(zip).extractAllTo(dir);
    return new PackagedFunction(scratch, dir, terraform, readFileSync(zip).length);
  }

  /** The requests table's name, as synthesized. */
  get requestsTable(): string {
    const [table] = Object.values(this.terraform.resource.aws_dynamodb_table);
    return table.name as string;
  }

  /** Points every integration of the packaged manifest at `apiBaseUrl` (a tailnet emulator). */
  pointAt(apiBaseUrl: string): this {
    return this.editManifest((manifest) => {
      for (const integration of Object.values(manifest.integrations) as { apiBaseUrl: string }[]) integration.apiBaseUrl = apiBaseUrl;
    });
  }

  /** Points every flow's on-call rule of the packaged manifest at `apiUrl` (a PagerDuty stand-in). */
  pointPagerDutyAt(apiUrl: string): this {
    return this.editManifest((manifest) => {
      for (const flow of Object.values(manifest.flows) as { onCall?: { pagerDuty: { apiUrl: string } } }[])
        if (flow.onCall) flow.onCall.pagerDuty.apiUrl = apiUrl;
    });
  }

  /** Points the packaged manifest's Slack app at `apiUrl` (a Slack stand-in's Web API). */
  pointSlackAt(apiUrl: string): this {
    return this.editManifest((manifest) => {
      if (manifest.slack !== undefined) manifest.slack.apiUrl = apiUrl;
    });
  }

  private editManifest(edit: (manifest: { integrations: object; flows: object; slack?: { apiUrl: string } }) => void): this {
    const file = path.join(this.dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    edit(manifest);
    writeFileSync(file, JSON.stringify(manifest));
    return this;
  }

  /**
   * Runs `steps` in one fresh Node process, one container's life: the handler is required once, then each step in
   * turn, handed over when the one before it has answered. `advanceSeconds` moves the process's clock (Date) forward,
   * as the hours of a demo pass, and `standIns.clock` with it; a {@link LateEvent} is made just before its step runs.
   */
  async run(steps: readonly Step[], standIns: StandIns): Promise<RunOutput> {
    const clock = standIns.clock ?? new OffsetClock();
    const script = `
      const RealDate = Date;
      let offset = ${clock.offsetMs};
      globalThis.Date = class extends RealDate {
        constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
        static now() { return RealDate.now() + offset; }
      };
      const { handler } = require(${JSON.stringify(path.join(this.dir, 'index.js'))});
      // What Lambda passes every invocation: the function's ARN (its account is the function's own) and the time left.
      const context = { invokedFunctionArn: ${JSON.stringify(FUNCTION_ARN)}, getRemainingTimeInMillis: () => 900000 };
      const settle = (p) => p.then((r) => r, (e) => ({ thrown: { name: e.name, code: e.code, message: e.message } }));
      process.on('message', async (step) => {
        if (step.done) process.exit(0);
        if ('advanceMs' in step) { offset += step.advanceMs; process.send({ result: null }); return; }
        const results = await Promise.all(step.events.map((e) => settle(handler(e, context))));
        process.send({ result: step.concurrently ? results : results[0] });
      });
      process.send({ ready: true });`;
    const child = reapOnTeardown(
      spawn(process.execPath, ['-e', script], {
        env: { PATH: process.env.PATH, NODE_PATH: PACKAGED_NODE_PATH, ...this.environment(standIns) },
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      }),
    );
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout?.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const failure = () => new Error(`the packaged function failed: ${Buffer.concat(stderr).toString('utf8').trim().slice(-2000) || 'it exited early'}`);
    const reply = () =>
      new Promise<{ ready?: boolean; result?: unknown }>((resolve, reject) => {
        const onExit = () => reject(failure());
        child.once('exit', onExit);
        child.once('message', (message: { ready?: boolean; result?: unknown }) => {
          child.off('exit', onExit);
          resolve(message);
        });
      });
    const made = (event: StepEvent) => (typeof event === 'function' ? (event as LateEvent)(clock.now()) : event);
    try {
      await reply();
      const results: unknown[] = [];
      for (const step of steps) {
        if ('advanceSeconds' in step) {
          clock.advance(step.advanceSeconds);
          child.send({ advanceMs: step.advanceSeconds * 1000 });
        } else if ('concurrently' in step) {
          child.send({ events: await Promise.all(step.concurrently.map(made)), concurrently: true });
        } else {
          child.send({ events: [await made(step.event)] });
        }
        results.push((await reply()).result);
      }
      child.send({ done: true });
      if ((await exited) !== 0) throw failure();
      const audit = Buffer.concat(stdout)
        .toString('utf8')
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>);
      return { results, audit };
    } finally {
      if (child.exitCode === null) child.kill();
    }
  }

  /** The function's environment with its AWS calls sent to `standIns`, as the constructs and Lambda would set it. */
  environment(standIns: StandIns): Record<string, string> {
    return {
      ...localAwsEnvironment({
        secretsManager: standIns.secretsManagerUrl,
        dynamoDb: standIns.dynamoDbUrl,
        sts: standIns.stsUrl,
        kms: standIns.kmsUrl,
        iam: standIns.iamUrl,
        lambda: standIns.lambdaUrl,
        eventBridge: standIns.eventBridgeUrl,
      }),
      ...standIns.env,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      [REQUESTS_TABLE_VARIABLE]: this.requestsTable,
    };
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
