import { execFile, execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { SourceMap } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';
import { addsOnly, makeOffline, offlineTerraform, TERRAFORM_MIRROR } from '../support/terraform';

/**
 * The published package as a consumer gets it: `npm pack` of the built tree, unpacked into a throwaway project's
 * node_modules beside links to this repository's dependencies, then type-checked under each module resolution a CDKTF
 * project may use, and, on each `@cdktf/provider-aws` major of the peer range, type-checked and run to synthesize a
 * stack. Then the same tarball in a cdktn project, installed by npm with cdktn's family, through `symtail/cdktn`. The
 * provider majors this repository does not install and cdktn's family come from the npm registry (or npm's cache):
 * nothing else does.
 */
const ROOT = path.resolve(__dirname, '../..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  peerDependencies: Record<string, string>;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const SUBPATHS = Object.keys(PKG.exports).filter((s) => s !== './package.json');
/** The subpaths a cdktf project imports: all but the cdktn entry, whose types need cdktn (its project checks them). */
const CDKTF_SUBPATHS = SUBPATHS.filter((s) => s !== './cdktn');
const specifier = (subpath: string) => (subpath === '.' ? PKG.name : `${PKG.name}/${subpath.slice(2)}`);

/** The three ways a TypeScript project resolves packages: `cdktf init`'s CommonJS, Node's own, and bundlers'. */
const RESOLUTIONS = {
  node10: { module: 'commonjs', moduleResolution: 'node10' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;

/**
 * The `@cdktf/provider-aws` majors the peer range takes, each tested as a consumer on it gets it: the repository's own
 * install for the one it develops against, and for the others `npm install @cdktf/provider-aws@<major>` (npm adds the
 * `cdktf` and `constructs` that major asks for as peers: 0.20 for 19, 0.21 for 20 and 21) into a folder of its own,
 * once per run. Each pins the AWS provider version it was generated from in `required_providers`.
 */
const PROVIDER_MAJORS = [
  { major: 19, installed: false, awsProvider: /^5\.\d+\.\d+$/ },
  { major: 20, installed: false, awsProvider: /^5\.\d+\.\d+$/ },
  { major: 21, installed: true, awsProvider: /^6\.\d+\.\d+$/ },
] as const;

/** What each major synthesized, less what names the major or the folder (see {@link comparable}). */
const synthesizedOn = new Map<number, unknown>();

/** A stack's JSON without the cdktf version, the pinned AWS provider version and the local state path. */
function comparable(text: string): unknown {
  const json = JSON.parse(text) as { '//'?: unknown; terraform: { required_providers: { aws: { version?: string } }; backend?: unknown } };
  delete json['//'];
  delete json.terraform.required_providers.aws.version;
  delete json.terraform.backend;
  return json;
}

/** The node_modules of each provider major being installed. */
const installs = new Map<number, Promise<string>>();
const execFileAsync = promisify(execFile);

let work: string;
let tarball: string;
let files: string[];
let consumer: string;
/** The cdktn project and what npm warned while installing it; the install runs beside the cdktf project's checks. */
let cdktnInstall: Promise<{ app: string; warnings: string }>;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-consumer-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })) as [
    { filename: string; files: { path: string }[] },
  ];
  files = packed[0].files.map((f) => f.path).sort();
  tarball = path.join(work, packed[0].filename);

  consumer = path.join(work, 'app');
  makeConsumer(consumer, path.join(ROOT, 'node_modules'));
  if (CDKTN_REACHABLE) {
    // Started now, it downloads and unpacks while the cdktf project is checked.
    cdktnInstall = installCdktnProject(path.join(work, 'cdktn-app'));
    cdktnInstall.catch(() => undefined);
  }
  // The majors not installed here are fetched at once, side by side, while the other tests run.
  for (const { major } of PROVIDER_MAJORS.filter((m) => !m.installed)) {
    const installing = installProviderMajor(major);
    installing.catch(() => undefined); // reported by the tests of that major, which await it
    installs.set(major, installing);
  }
}, 60_000);

/** `@cdktf/provider-aws@<major>` with the peers npm picks for it, in a folder of its own; resolves to its node_modules. */
async function installProviderMajor(major: number): Promise<string> {
  const dir = path.join(work, `provider-aws-${major}`);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `provider-aws-${major}`, private: true }));
  const args = ['install', '--no-save', '--no-package-lock', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', `@cdktf/provider-aws@${major}`];
  try {
    await execFileAsync('npm', args, { cwd: dir, encoding: 'utf8' });
  } catch (e) {
    throw new Error(
      `npm install @cdktf/provider-aws@${major} failed (this test needs the npm registry or npm's cache): ${(e as { stderr?: string }).stderr ?? e}`,
    );
  }
  return path.join(dir, 'node_modules');
}

/**
 * A throwaway project whose node_modules holds the unpacked package and, linked, `cdktf`, `constructs` and `@cdktf/*`
 * from `cdktfModules`; the repository's other dependencies stand in for what npm would install from the registry.
 */
function makeConsumer(dir: string, cdktfModules: string): void {
  const modules = path.join(dir, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  const unpacked = fs.mkdtempSync(path.join(work, 'unpacked-'));
  execFileSync('tar', ['-xzf', tarball, '-C', unpacked]);
  fs.renameSync(path.join(unpacked, 'package'), path.join(modules, PKG.name));
  const fromCdktf = new Set(['cdktf', 'constructs', '@cdktf']);
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name === PKG.name || name.startsWith('.')) continue;
    fs.symlinkSync(path.join(fromCdktf.has(name) ? cdktfModules : path.join(ROOT, 'node_modules'), name), path.join(modules, name));
  }
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * Runs the repository's tsc on a consumer project, or on several as one build (`tsc -b`, which reads each shared
 * declaration file once); a failure carries tsc's own diagnostics.
 */
function tsc(dir: string, ...more: string[]): void {
  const args = more.length === 0 ? ['-p', dir] : ['-b', dir, ...more];
  try {
    execFileSync(process.execPath, [TSC, ...args], { cwd: consumer, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`tsc ${args.map((a) => path.basename(a)).join(' ')} failed:\n${(e as { stdout?: string }).stdout ?? e}`);
  }
}

test('the tarball holds the library, the handler bundle, the CLI, types and a LICENSE, and nothing else', () => {
  const outside = files.filter((f) => !/^dist\/(lib|cdktn)\/.*\.(js|d\.ts|js\.map)$/.test(f) && !/^dist\/[\w-]+-bundle\//.test(f));
  expect(outside).toEqual(['LICENSE', 'README.md', 'bin/symtail.js', 'package.json']);
  expect(files).toContain('dist/runtime-bundle/index.js');
  expect(files.filter((f) => /^(dist\/)?(scripts|examples|test)\//.test(f))).toEqual([]);
  for (const subpath of SUBPATHS) expect(files).toContain((PKG.exports[subpath] as { types: string }).types.slice(2));
  expect(fs.readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toMatch(/^\s*Apache License\s+Version 2\.0, January 2004/);
});

test('every source map carries its sources, since the .ts files are not shipped', () => {
  const maps = files.filter((f) => f.endsWith('.js.map'));
  expect(maps.length).toBeGreaterThan(0);
  const without = maps.filter((f) => {
    const map = JSON.parse(fs.readFileSync(path.join(consumer, 'node_modules', PKG.name, f), 'utf8')) as { sources: string[]; sourcesContent?: unknown[] };
    return map.sourcesContent?.length !== map.sources.length;
  });
  expect(without).toEqual([]);
});

test('typesVersions maps every subpath of exports, for node10 resolution', () => {
  const mapped = Object.fromEntries(SUBPATHS.filter((s) => s !== '.').map((s) => [s.slice(2), [(PKG.exports[s] as { types: string }).types.slice(2)]]));
  expect(PKG.typesVersions).toEqual({ '*': mapped });
});

test.each(Object.keys(RESOLUTIONS) as (keyof typeof RESOLUTIONS)[])(
  'every subpath type-checks under %s resolution',
  (resolution) => {
    const dir = path.join(consumer, resolution);
    fs.mkdirSync(dir, { recursive: true });
    const imports = CDKTF_SUBPATHS.map((s, i) => `import * as m${i} from '${specifier(s)}';`);
    fs.writeFileSync(
      path.join(dir, 'index.ts'),
      [
        ...imports,
        "import { TailnetEmulator } from 'symtail/testing';",
        "import { SymRuntime } from 'symtail';",
        `export const loaded: object[] = [${CDKTF_SUBPATHS.map((_, i) => `m${i}`).join(', ')}];`,
        'export type Started = Awaited<ReturnType<typeof TailnetEmulator.start>>;',
        'export type Runtime = SymRuntime;',
        '',
      ].join('\n'),
    );
    const compilerOptions = {
      ...RESOLUTIONS[resolution],
      target: 'ES2022',
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [path.join(consumer, 'node_modules/@types')],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
    tsc(dir);
  },
  60_000,
);

describe.each(PROVIDER_MAJORS)('on @cdktf/provider-aws $major', ({ major, installed, awsProvider }) => {
  let app: string;
  beforeAll(async () => {
    const cdktfModules = installed ? path.join(ROOT, 'node_modules') : await installs.get(major)!;
    app = path.join(work, `app-provider-aws-${major}`);
    makeConsumer(app, cdktfModules);
  }, 180_000);

  test('an app type-checks against its classes and synthesizes a stack with an aliased provider and Slack', () => {
    const dir = path.join(app, 'synth');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'main.ts'),
      `import { App, TerraformStack } from 'cdktf';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymSlackIntegration, SymStrategy, SymTarget } from 'symtail';

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, 'access');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
const secrets = new SymSecrets(stack, 'this', { name: 'main-sym-secrets', environment: 'main', provider: west });
const apiKey = new SymSecret(stack, 'tailscale_api_key', { source: secrets, path: 'tailscale-api-key' });
const tailscale = new SymIntegration(stack, 'tailscale', { type: 'tailscale', name: 'main-tailscale-integration', externalId: 'example.com', settings: { apiTokenSecret: apiKey } });
const prod = new SymTarget(stack, 'prod', { type: 'tailscale_group', name: 'main-prod-access', label: 'Prod SSH Access', settings: { groupName: 'prod' } });
const strategy = new SymStrategy(stack, 'strategy', { type: 'tailscale', name: 'main-tailscale-strategy', integration: tailscale, targets: [prod] });
const slack = new SymSlackIntegration(stack, 'slack', {
  name: 'main-slack', externalId: 'T0123ABCD',
  settings: { appId: 'A0123ABCD', signingSecret: new SymSecret(stack, 'signing', { source: secrets, path: 'slack-signing-secret' }), botTokenSecret: new SymSecret(stack, 'bot', { source: secrets, path: 'slack-bot-token' }) },
});
const flow = new SymFlow(stack, 'flow', { name: 'tailscale-ssh-access', label: 'Tailscale SSH Access', params: { strategy, durations: ['30m', '1h'], approvers: ['bob@example.com'], requestsChannel: 'C0456EFGH' } });
const runtime = new SymRuntime(stack, 'runtime', { environment: 'main', flows: [flow], provider: west, slack, alarmTopic: true, principals: [{ identityCenter: { permissionSets: ['Engineers'] } }] });
runtime.grantRequest(new IamRole(stack, 'caller', { name: 'caller', assumeRolePolicy: runtime.requestPolicy, provider: west }));
app.synth();
`,
    );
    const compilerOptions = {
      ...RESOLUTIONS.node10,
      target: 'ES2022',
      strict: true,
      skipLibCheck: true,
      outDir: 'out',
      types: ['node'],
      typeRoots: [path.join(app, 'node_modules/@types')],
    };
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
    tsc(dir);
    const outdir = path.join(dir, 'cdktf.out');
    execFileSync(process.execPath, [path.join(dir, 'out/main.js'), outdir], { cwd: dir, encoding: 'utf8' });

    const text = fs.readFileSync(path.join(outdir, 'stacks/access/cdk.tf.json'), 'utf8');
    const stack = JSON.parse(text) as {
      resource: Record<string, Record<string, { provider?: string; filename?: string; function_name?: string }>>;
      terraform: { required_providers: { aws: { version: string } } };
      output: Record<string, unknown>;
    };
    synthesizedOn.set(major, comparable(text));
    // The major under test is the one that synthesized: its classes pin the AWS provider they were generated from.
    expect(stack.terraform.required_providers.aws.version).toMatch(awsProvider);
    expect(JSON.parse(fs.readFileSync(path.join(app, 'node_modules/@cdktf/provider-aws/package.json'), 'utf8')).version).toMatch(new RegExp(`^${major}\\.`));
    const functions = Object.values(stack.resource.aws_lambda_function);
    expect(functions.map((f) => f.provider)).toEqual(['aws.west', 'aws.west']);
    expect(Object.values(stack.resource.aws_secretsmanager_secret)[0].provider).toBe('aws.west');
    for (const fn of functions) expect(fs.statSync(path.resolve(outdir, 'stacks/access', fn.filename!)).size).toBeGreaterThan(0);
    // Every resource type the constructs make, in this major's classes.
    expect(Object.keys(stack.resource).sort()).toEqual([
      'aws_cloudwatch_event_rule',
      'aws_cloudwatch_event_target',
      'aws_cloudwatch_log_group',
      'aws_cloudwatch_log_metric_filter',
      'aws_cloudwatch_metric_alarm',
      'aws_dynamodb_resource_policy',
      'aws_dynamodb_table',
      'aws_iam_role',
      'aws_iam_role_policy',
      'aws_kms_key',
      'aws_lambda_function',
      'aws_lambda_function_event_invoke_config',
      'aws_lambda_function_url',
      'aws_lambda_permission',
      'aws_secretsmanager_secret',
      'aws_sns_topic',
      'aws_sqs_queue',
      'aws_sqs_queue_policy',
    ]);
    expect(Object.keys(stack.output).sort()).toEqual(['function_arn', 'function_name', 'manifest_hash', 'requests_url', 'slack_request_url']);
  }, 120_000);
});

test('the peer range takes exactly the provider majors tested here', () => {
  const majors = PKG.peerDependencies['@cdktf/provider-aws'].split('||').map((range) => Number(/^\s*\^(\d+)\./.exec(range)?.[1]));
  expect(majors).toEqual(PROVIDER_MAJORS.map((m) => m.major));
});

test('every major synthesizes the same Terraform JSON as the one this repository builds against, so no prop is dropped', () => {
  // A class of another major silently leaves out a prop it does not know; a difference here would show it.
  const reference = synthesizedOn.get(21);
  expect(reference).toBeDefined();
  for (const { major } of PROVIDER_MAJORS) expect({ major, json: synthesizedOn.get(major) }).toEqual({ major, json: reference });
});

test('the installed CLI runs', () => {
  const out = execFileSync(process.execPath, [path.join(consumer, 'node_modules', PKG.name, 'bin/symtail.js'), '--version'], { encoding: 'utf8' });
  expect(out).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
});

test('symtail/runtime offers the handler factory, the engine, the events, the answers and the audit lines, and no internals', () => {
  const script = `process.stdout.write(JSON.stringify(Object.keys(require('symtail/runtime')).sort()))`;
  const names = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: consumer, encoding: 'utf8' })) as string[];
  // Values only: the types beside them (events, results, audit lines, request events) are checked by the type-check above.
  expect(names).toEqual(['AccessEngine', 'EventError', 'createHandler', 'loadManifest', 'parseEvent', 'stdoutAuditSink']);
});

/** What a failed import says: the error's code and its message (one line, when symtail explains it). */
function importFailure(dir: string, entry: string): { code?: string; message: string } {
  const script = `try { require(${JSON.stringify(entry)}); } catch (e) { process.stdout.write(JSON.stringify({ code: e.code, message: e.message })); }`;
  const out = execFileSync(process.execPath, ['-e', script], { cwd: dir, encoding: 'utf8' });
  if (out === '') throw new Error(`${entry} loaded in ${dir}`);
  return JSON.parse(out) as { code?: string; message: string };
}

test('a cdktf project that imports symtail/cdktn is told, in one line, to install cdktn and @cdktn/provider-aws', () => {
  expect(importFailure(consumer, 'symtail/cdktn')).toEqual({
    code: 'peer-dependency-missing',
    message:
      'symtail needs cdktn and @cdktn/provider-aws, which are not installed: npm install cdktn @cdktn/provider-aws (import symtail with cdktf, symtail/cdktn with cdktn)',
  });
});

/** Each character of a compiled file that its source map maps exactly, with the source position it maps to. */
function mappedCharacters(jsFile: string): string[] {
  const map = new SourceMap(JSON.parse(fs.readFileSync(`${jsFile}.map`, 'utf8')));
  return fs
    .readFileSync(jsFile, 'utf8')
    .split('\n')
    .flatMap((line, l) =>
      [...line].flatMap((char, c) => {
        const entry = map.findEntry(l, c) as { generatedLine?: number; generatedColumn?: number; originalLine?: number; originalColumn?: number };
        return entry.generatedLine === l && entry.generatedColumn === c ? [`${char} ${entry.originalLine}:${entry.originalColumn}`] : [];
      }),
    );
}

test("every module of symtail/cdktn maps each character of its code to the same place in the source as symtail's does", () => {
  const copies = files.filter((f) => /^dist\/cdktn\/.*\.js$/.test(f));
  expect(copies).toContain('dist/cdktn/constructs/sym-runtime.js');
  const installed = (f: string) => path.join(consumer, 'node_modules', PKG.name, f);
  const differing = copies.filter(
    (f) => JSON.stringify(mappedCharacters(installed(f))) !== JSON.stringify(mappedCharacters(installed(f.replace(/^dist\/cdktn\//, 'dist/lib/')))),
  );
  expect(differing).toEqual([]);
});

/**
 * cdktn, the maintained fork of cdktf, as its users install it: the versions this package is tested with, and
 * constructs in cdktn's own peer range (which excludes the 10.8 this repository builds with).
 */
const CDKTN_FAMILY = ['cdktn@0.24.0', '@cdktn/provider-aws@25.7.0', 'constructs@>=10.6.0 <10.8.0'];
/** Where a cdktn project imports what the README's stack imports: the same module of the fork; undefined for anything else. */
function cdktnImport(from: string): string | undefined {
  if (from === 'cdktf') return 'cdktn';
  if (from === 'symtail') return 'symtail/cdktn';
  if (from.startsWith('@cdktf/provider-aws/lib/')) return `@cdktn/provider-aws/lib/${from.slice('@cdktf/provider-aws/lib/'.length)}`;
  return from === 'constructs' ? from : undefined;
}
const runFile = promisify(execFile);

/** Whether npm can get cdktn, from the registry or its cache: the one thing this suite downloads. */
function npmReaches(spec: string): boolean {
  try {
    execFileSync('npm', ['view', spec, 'version', '--prefer-offline', '--fetch-retries=0'], { stdio: 'ignore', timeout: 30_000 });
    return true;
  } catch {
    return false;
  }
}
/** Set by CI, which has the registry (it ran `npm ci`): there the cdktn project is checked, never skipped. */
const REQUIRE_CDKTN_VARIABLE = 'SYMTAIL_REQUIRE_CDKTN';
const CDKTN_REACHABLE = npmReaches(CDKTN_FAMILY[0]);
if (!CDKTN_REACHABLE && process.env[REQUIRE_CDKTN_VARIABLE] === '1') {
  throw new Error(`${REQUIRE_CDKTN_VARIABLE}=1 but npm cannot get ${CDKTN_FAMILY[0]} (no registry, nothing cached): the cdktn project cannot be checked`);
}
if (!CDKTN_REACHABLE) process.stderr.write(`the cdktn project not checked: npm cannot get ${CDKTN_FAMILY[0]} (no registry, nothing cached)\n`);

/** A project holding the packed package, installed by npm with cdktn's family (the one download of this suite). */
async function installCdktnProject(app: string): Promise<{ app: string; warnings: string }> {
  fs.mkdirSync(app);
  fs.writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'cdktn-consumer', private: true }));
  const { stderr } = await runFile('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', tarball, ...CDKTN_FAMILY], { cwd: app, encoding: 'utf8' });
  return { app, warnings: stderr };
}

/** The first example of the README (under "Using the constructs"): the stack a reader copies. */
function readmeStack(): string {
  const code = /## Using the constructs\n+```ts\n([\s\S]*?)```/.exec(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))?.[1];
  if (code === undefined) throw new Error('README.md has no ts example under "## Using the constructs"');
  return code;
}

/** The README's stack with its imports moved to cdktn's; fails when the README imports anything else. */
function readmeStackForCdktn(): string {
  return readmeStack().replace(/ from '([^']+)';/g, (_, from: string) => {
    const moved = cdktnImport(from);
    if (moved === undefined) throw new Error(`the README's stack imports ${from}, which has no cdktn counterpart here`);
    return ` from '${moved}';`;
  });
}

/** Runs a TypeScript app (transpiled, as ts-node would) in `dir`; returns the stack it synthesizes to cdktf.out. */
function synthesize(dir: string, code: string): Record<string, unknown> {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'main.js'),
    ts.transpileModule(code, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText,
  );
  execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' });
  return JSON.parse(fs.readFileSync(path.join(dir, 'cdktf.out/stacks/access/cdk.tf.json'), 'utf8')) as Record<string, unknown>;
}

/** A value less its `//` metadata (which names the toolchain that wrote it), at every depth. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(Object.entries(value).flatMap(([key, v]) => (key === '//' ? [] : [[key, withoutMetadata(v)]])));
}

/** What a stack declares, less the `terraform` block (the provider's pin and source address, the local state path). */
const declared = (stack: Record<string, unknown>) => withoutMetadata(Object.fromEntries(Object.entries(stack).filter(([key]) => key !== 'terraform')));

(CDKTN_REACHABLE ? describe : describe.skip)('a cdktn project', () => {
  let app: string;
  let installWarnings: string;

  beforeAll(async () => {
    ({ app, warnings: installWarnings } = await cdktnInstall);
  }, 300_000);

  test('npm installs the package beside cdktn without a word about peer dependencies', () => {
    expect(installWarnings.split('\n').filter((line) => /peer|ERESOLVE/i.test(line))).toEqual([]);
    expect(fs.existsSync(path.join(app, 'node_modules/cdktf'))).toBe(false);
  });

  test('importing symtail without cdktf says, in one line, to install cdktf and @cdktf/provider-aws', () => {
    expect(importFailure(app, 'symtail')).toEqual({
      code: 'peer-dependency-missing',
      message:
        'symtail needs cdktf and @cdktf/provider-aws, which are not installed: npm install cdktf @cdktf/provider-aws (import symtail with cdktf, symtail/cdktn with cdktn)',
    });
  });

  // One build of four projects: the README's stack under each resolution, and the constructs' own source with cdktf's
  // specifiers mapped to cdktn's packages, so a provider class or prop the fork renamed or dropped fails with the
  // line that uses it.
  test("cdktn's types accept the README's stack through symtail/cdktn (node10, node16, bundler) and every call the constructs make", () => {
    const typeRoots = [path.join(ROOT, 'node_modules/@types')];
    const projects = Object.entries(RESOLUTIONS).map(([resolution, options]) => {
      const dir = path.join(app, resolution);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'main.ts'), readmeStackForCdktn());
      const compilerOptions = { ...options, target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots };
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
      return dir;
    });
    const sources = path.join(app, 'sources');
    fs.mkdirSync(sources);
    const modules = path.join(app, 'node_modules');
    const paths = {
      cdktf: [path.join(modules, 'cdktn')],
      '@cdktf/provider-aws/*': [path.join(modules, '@cdktn/provider-aws/*')],
      constructs: [path.join(modules, 'constructs')],
    };
    const compilerOptions = { noEmit: true, types: ['node'], typeRoots, paths };
    fs.writeFileSync(
      path.join(sources, 'tsconfig.json'),
      JSON.stringify({ extends: path.join(ROOT, 'tsconfig.json'), compilerOptions, include: [], files: [path.join(ROOT, 'lib/constructs/index.ts')] }),
    );
    tsc(sources, ...projects);
  }, 60_000);

  describe("the README's stack, synthesized through symtail/cdktn", () => {
    let dir: string;
    let stack: Record<string, unknown>;

    beforeAll(() => {
      dir = path.join(app, 'synth');
      stack = synthesize(dir, readmeStackForCdktn());
    }, 60_000);

    test('is what symtail synthesizes with cdktf, resource for resource and attribute for attribute', () => {
      const withCdktf = synthesize(path.join(consumer, 'readme'), readmeStack());
      expect(declared(stack)).toEqual(declared(withCdktf));
      expect(Object.keys(stack.resource as object).length).toBeGreaterThan(10);
    }, 60_000);

    const withMirror = TERRAFORM_MIRROR === undefined ? describe.skip : describe;
    if (TERRAFORM_MIRROR === undefined && CDKTN_REACHABLE) {
      process.stderr.write(
        "terraform validate/plan of the cdktn project's stack not run: set SYMTAIL_TERRAFORM_MIRROR to a Terraform plugin mirror to run it\n",
      );
    }
    withMirror('with the AWS provider of the Terraform plugin mirror', () => {
      let resources: number;
      let validated: string;
      let planned: string;

      // validate and plan read the same initialized folder and write nothing, so they run side by side.
      beforeAll(async () => {
        const stackDir = path.join(dir, 'cdktf.out/stacks/access');
        resources = makeOffline(stackDir, TERRAFORM_MIRROR!);
        const terraform = offlineTerraform(app, TERRAFORM_MIRROR!);
        await terraform(stackDir, 'init', '-input=false', '-backend=false');
        [{ stdout: validated }, { stdout: planned }] = await Promise.all([
          terraform(stackDir, 'validate'),
          terraform(stackDir, 'plan', '-refresh=false', '-input=false', '-lock=false'),
        ]);
      }, 120_000);

      test('terraform validate accepts it', () => {
        expect(validated).toContain('Success! The configuration is valid.');
      });

      test('terraform plan adds every resource, and changes or destroys nothing', () => {
        expect(/Plan: .*/.exec(planned)?.[0]).toBe(addsOnly(resources));
      });
    });
  });
});
