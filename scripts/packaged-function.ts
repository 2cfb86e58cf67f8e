// The synthesized Lambda package, run as Lambda would run it: the zip synth wrote, unpacked, its handler required in
// a fresh Node process, the AWS SDK pointed at local stand-ins. Shared by the tests, the demo and the benchmarks.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { App } from 'cdktf';
import { FUNCTION_ARN, localAwsEnvironment } from '../lib/testing';
import { REQUESTS_TABLE_VARIABLE } from '../lib/requests';

const ROOT = path.resolve(__dirname, __dirname.includes(`${path.sep}dist${path.sep}`) ? '../..' : '..');

/** One step of a run: an event, several events at once, or the function's clock moved forward. */
export type Step = { readonly event: unknown } | { readonly concurrently: readonly unknown[] } | { readonly advanceSeconds: number };

/** Where the function's AWS calls go, and what else its environment holds (as the constructs would set it). */
export interface StandIns {
  readonly secretsManagerUrl: string;
  readonly dynamoDbUrl: string;
  readonly stsUrl?: string;
  readonly kmsUrl?: string;
  readonly iamUrl?: string;
  readonly lambdaUrl?: string;
  readonly env?: Readonly<Record<string, string>>;
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
    const [fn] = Object.values(terraform.resource.aws_lambda_function);
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
    const file = path.join(this.dir, 'manifest.json');
    const manifest = JSON.parse(readFileSync(file, 'utf8'));
    for (const integration of Object.values(manifest.integrations) as { apiBaseUrl: string }[]) integration.apiBaseUrl = apiBaseUrl;
    writeFileSync(file, JSON.stringify(manifest));
    return this;
  }

  /**
   * Runs `steps` in one fresh Node process, one container's life: the handler is required once, then each step
   * in turn. `advanceSeconds` moves the process's clock (Date) forward, as the hours of a demo pass.
   */
  run(steps: readonly Step[], standIns: StandIns): Promise<RunOutput> {
    const resultsFile = path.join(this.scratch, `results-${process.hrtime.bigint()}.json`);
    const script = `
      const RealDate = Date;
      let offset = 0;
      globalThis.Date = class extends RealDate {
        constructor(...args) { if (args.length === 0) super(RealDate.now() + offset); else super(...args); }
        static now() { return RealDate.now() + offset; }
      };
      const { handler } = require(${JSON.stringify(path.join(this.dir, 'index.js'))});
      // What Lambda passes every invocation: the function's ARN (its account is the function's own) and the time left.
      const context = { invokedFunctionArn: ${JSON.stringify(FUNCTION_ARN)}, getRemainingTimeInMillis: () => 900000 };
      const settle = (p) => p.then((r) => r, (e) => ({ thrown: { name: e.name, code: e.code, message: e.message } }));
      (async () => {
        const results = [];
        for (const step of ${JSON.stringify(steps)}) {
          if ('advanceSeconds' in step) { offset += step.advanceSeconds * 1000; results.push(null); }
          else if ('concurrently' in step) results.push(await Promise.all(step.concurrently.map((e) => settle(handler(e, context)))));
          else results.push(await settle(handler(step.event, context)));
        }
        require('node:fs').writeFileSync(${JSON.stringify(resultsFile)}, JSON.stringify(results));
      })();`;
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        ['-e', script],
        {
          env: {
            PATH: process.env.PATH,
            // The Lambda runtime provides the AWS SDK; here the project's copy stands in for it.
            NODE_PATH: path.join(ROOT, 'node_modules'),
            ...localAwsEnvironment({
              secretsManager: standIns.secretsManagerUrl,
              dynamoDb: standIns.dynamoDbUrl,
              sts: standIns.stsUrl,
              kms: standIns.kmsUrl,
              iam: standIns.iamUrl,
              lambda: standIns.lambdaUrl,
            }),
            ...standIns.env,
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            [REQUESTS_TABLE_VARIABLE]: this.requestsTable,
          },
          maxBuffer: 64 * 1024 * 1024,
        },
        (error, stdout, stderr) => {
          if (error) return reject(new Error(`the packaged function failed: ${String(stderr).trim().slice(-2000) || error.message}`));
          const audit = String(stdout)
            .split('\n')
            .filter((line) => line.startsWith('{'))
            .map((line) => JSON.parse(line) as Record<string, unknown>);
          resolve({ results: JSON.parse(readFileSync(resultsFile, 'utf8')) as unknown[], audit });
        },
      );
    });
  }

  dispose(): void {
    rmSync(this.scratch, { recursive: true, force: true });
  }
}
