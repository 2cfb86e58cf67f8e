import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * The published package as a consumer gets it: `npm pack` of the built tree, unpacked into a throwaway project's
 * node_modules beside links to this repository's dependencies (no network, no registry), then type-checked under
 * each module resolution a CDKTF project may use, and run to synthesize a stack with an aliased provider.
 */
const ROOT = path.resolve(__dirname, '../..');
const PKG = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  exports: Record<string, unknown>;
  typesVersions: Record<string, Record<string, string[]>>;
};
const TSC = path.join(ROOT, 'node_modules/typescript/bin/tsc');
const SUBPATHS = Object.keys(PKG.exports).filter((s) => s !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? PKG.name : `${PKG.name}/${subpath.slice(2)}`);

/** The three ways a TypeScript project resolves packages: `cdktf init`'s CommonJS, Node's own, and bundlers'. */
const RESOLUTIONS = {
  node10: { module: 'commonjs', moduleResolution: 'node10' },
  node16: { module: 'node16', moduleResolution: 'node16' },
  bundler: { module: 'preserve', moduleResolution: 'bundler' },
} as const;

let work: string;
let files: string[];
let consumer: string;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-consumer-'));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' })) as [
    { filename: string; files: { path: string }[] },
  ];
  files = packed[0].files.map((f) => f.path).sort();

  consumer = path.join(work, 'app');
  const modules = path.join(consumer, 'node_modules');
  fs.mkdirSync(modules, { recursive: true });
  execFileSync('tar', ['-xzf', path.join(work, packed[0].filename), '-C', work]);
  fs.renameSync(path.join(work, 'package'), path.join(modules, PKG.name));
  // The repository's dependencies stand in for what npm would install from the registry.
  for (const name of fs.readdirSync(path.join(ROOT, 'node_modules'))) {
    if (name === PKG.name || name.startsWith('.')) continue;
    fs.symlinkSync(path.join(ROOT, 'node_modules', name), path.join(modules, name));
  }
  fs.writeFileSync(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true }));
}, 60_000);

afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Runs the repository's tsc on a consumer project; a failure carries tsc's own diagnostics. */
function tsc(dir: string): void {
  try {
    execFileSync(process.execPath, [TSC, '-p', dir], { cwd: consumer, encoding: 'utf8' });
  } catch (e) {
    throw new Error(`tsc -p ${path.basename(dir)} failed:\n${(e as { stdout?: string }).stdout ?? e}`);
  }
}

test('the tarball holds the library, the handler bundle, the CLI, types and a LICENSE, and nothing else', () => {
  const outside = files.filter((f) => !/^dist\/lib\/.*\.(js|d\.ts|js\.map)$/.test(f) && !/^dist\/[\w-]+-bundle\//.test(f));
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

test.each(Object.keys(RESOLUTIONS) as (keyof typeof RESOLUTIONS)[])('every subpath type-checks under %s resolution', (resolution) => {
  const dir = path.join(consumer, resolution);
  fs.mkdirSync(dir, { recursive: true });
  const imports = SUBPATHS.map((s, i) => `import * as m${i} from '${specifier(s)}';`);
  fs.writeFileSync(
    path.join(dir, 'index.ts'),
    [
      ...imports,
      "import { TailnetEmulator } from 'symtail/testing';",
      "import { SymRuntime } from 'symtail';",
      `export const loaded: object[] = [${SUBPATHS.map((_, i) => `m${i}`).join(', ')}];`,
      'export type Started = Awaited<ReturnType<typeof TailnetEmulator.start>>;',
      'export type Runtime = SymRuntime;',
      '',
    ].join('\n'),
  );
  const compilerOptions = { ...RESOLUTIONS[resolution], target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: ['node'], typeRoots: [path.join(consumer, 'node_modules/@types')] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['index.ts'] }));
  tsc(dir);
}, 60_000);

test('a CommonJS app synthesizes a stack with an aliased provider from the installed package', () => {
  const dir = path.join(consumer, 'synth');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'main.ts'),
    `import { App, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { SymFlow, SymIntegration, SymRuntime, SymSecret, SymSecrets, SymStrategy, SymTarget } from 'symtail';

const app = new App({ outdir: process.argv[2] });
const stack = new TerraformStack(app, 'access');
new AwsProvider(stack, 'aws', { region: 'us-east-1' });
const west = new AwsProvider(stack, 'west', { region: 'us-west-2', alias: 'west' });
const secrets = new SymSecrets(stack, 'this', { name: 'main-sym-secrets', environment: 'main', provider: west });
const apiKey = new SymSecret(stack, 'tailscale_api_key', { source: secrets, path: 'tailscale-api-key' });
const tailscale = new SymIntegration(stack, 'tailscale', { type: 'tailscale', name: 'main-tailscale-integration', externalId: 'example.com', settings: { apiTokenSecret: apiKey } });
const prod = new SymTarget(stack, 'prod', { type: 'tailscale_group', name: 'main-prod-access', label: 'Prod SSH Access', settings: { groupName: 'prod' } });
const strategy = new SymStrategy(stack, 'strategy', { type: 'tailscale', name: 'main-tailscale-strategy', integration: tailscale, targets: [prod] });
const flow = new SymFlow(stack, 'flow', { name: 'tailscale-ssh-access', label: 'Tailscale SSH Access', params: { strategy, durations: ['30m', '1h'], approvers: ['bob@example.com'] } });
new SymRuntime(stack, 'runtime', { environment: 'main', flows: [flow], provider: west });
app.synth();
`,
  );
  const compilerOptions = { ...RESOLUTIONS.node10, target: 'ES2022', strict: true, skipLibCheck: true, outDir: 'out', types: ['node'], typeRoots: [path.join(consumer, 'node_modules/@types')] };
  fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['main.ts'] }));
  tsc(dir);
  const outdir = path.join(dir, 'cdktf.out');
  execFileSync(process.execPath, [path.join(dir, 'out/main.js'), outdir], { cwd: dir, encoding: 'utf8' });

  const stack = JSON.parse(fs.readFileSync(path.join(outdir, 'stacks/access/cdk.tf.json'), 'utf8')) as { resource: Record<string, Record<string, { provider?: string; filename?: string }>> };
  const fn = Object.values(stack.resource.aws_lambda_function)[0];
  expect(fn.provider).toBe('aws.west');
  expect(Object.values(stack.resource.aws_secretsmanager_secret)[0].provider).toBe('aws.west');
  expect(fs.statSync(path.resolve(outdir, 'stacks/access', fn.filename!)).size).toBeGreaterThan(0);
}, 60_000);

test('the installed CLI runs', () => {
  const out = execFileSync(process.execPath, [path.join(consumer, 'node_modules', PKG.name, 'bin/symtail.js'), '--version'], { encoding: 'utf8' });
  expect(out).toBe(`${JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).version}\n`);
});
