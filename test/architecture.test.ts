import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const LIB = path.resolve(__dirname, '../lib');
const IMPORT = /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|require\(['"]([^'"]+)['"]\)|import\(['"]([^'"]+)['"]\)/g;

function resolveLocal(from: string, spec: string): string {
  const base = path.resolve(path.dirname(from), spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  throw new Error(`${from}: cannot resolve ${spec}`);
}

/** Every module a source file reaches through static imports: local files, and package names. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const text = readFileSync(file, 'utf8').replace(/import type [^;]+;/g, '');
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.')) queue.push(resolveLocal(file, spec));
      else packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
    }
  }
  return { files, packages };
}

const relative = (files: Set<string>) => [...files].map((f) => path.relative(LIB, f).split(path.sep)[0]);
/** Each file as a path under lib/, with forward slashes. */
const underLib = (files: Set<string>) => [...files].map((f) => path.relative(LIB, f).split(path.sep).join('/'));

// An allowed entry is a folder, or a single file: the manifest's schema takes the group-name pattern from the
// policy engine's import-free patterns module, so the two cannot drift, without depending on the engine itself.
test.each([
  ['errors', ['errors']],
  ['hujson', ['hujson', 'errors']],
  ['policy', ['policy', 'hujson', 'errors']],
  ['access', ['access', 'hujson', 'policy', 'errors']],
  ['tailscale', ['tailscale', 'hujson', 'errors']],
  ['manifest', ['manifest', 'policy/patterns.ts', 'errors']],
  ['requests', ['requests', 'errors']],
  ['slack', ['slack', 'errors']],
  ['testing', ['testing', 'access', 'hujson', 'policy', 'tailscale', 'requests', 'slack', 'errors']],
  ['runtime', ['runtime', 'manifest', 'access', 'hujson', 'policy', 'tailscale', 'requests', 'slack', 'errors']],
  ['cli', ['cli', 'runtime', 'manifest', 'access', 'hujson', 'policy', 'tailscale', 'requests', 'testing', 'slack', 'errors']],
])('lib/%s reaches only %j', (folder, allowed) => {
  const { files } = reach(path.join(LIB, folder, 'index.ts').replace(/cli\/index\.ts$/, 'cli/main.ts'));
  expect([...new Set(relative(files))].sort()).toEqual(expect.arrayContaining([folder]));
  const isAllowed = (file: string) => allowed.some((a) => file === a || file.startsWith(`${a}/`));
  expect(underLib(files).filter((f) => !isAllowed(f))).toEqual([]);
});

test.each([
  ['errors', []],
  ['hujson', []],
  ['policy', []],
  ['access', []],
  ['tailscale', []],
  ['manifest', ['ajv']],
  ['requests', ['@aws-sdk/client-dynamodb', '@aws-sdk/client-kms', '@aws-sdk/client-eventbridge']],
  ['slack', ['@slack/web-api']],
  [
    'runtime',
    [
      'ajv',
      '@aws-sdk/client-secrets-manager',
      '@aws-sdk/client-lambda',
      '@aws-sdk/client-dynamodb',
      '@aws-sdk/client-iam',
      '@aws-sdk/client-kms',
      '@aws-sdk/client-eventbridge',
      '@slack/web-api',
    ],
  ],
])('lib/%s uses no CDKTF and only the packages %j', (folder, allowed) => {
  const { packages } = reach(path.join(LIB, folder, 'index.ts'));
  const external = [...packages].filter((p) => !p.startsWith('node:'));
  expect(external.filter((p) => !allowed.includes(p))).toEqual([]);
});

test('the Lambda handler reaches no CDKTF, constructs or CLI code', () => {
  const { files, packages } = reach(path.join(LIB, 'runtime/lambda/handler.ts'));
  expect(relative(files).filter((f) => ['constructs', 'cli', 'testing'].includes(f))).toEqual([]);
  expect([...packages].filter((p) => /cdktf|constructs/.test(p))).toEqual([]);
});

/** Every TypeScript file under a folder. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : [],
  );
}

// A folder's index.ts is its public face: reaching past it into another folder's files couples to its insides.
// The one exception is the import-free patterns module, shared with the manifest schema so the two cannot drift.
const DEEP_IMPORT_EXCEPTIONS = new Set(['manifest/schema.ts -> policy/patterns.ts']);

test("no file imports past another lib folder's index.ts", () => {
  const deep: string[] = [];
  for (const file of sourceFiles(LIB)) {
    const from = path.relative(LIB, file).split(path.sep).join('/');
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const target = path.relative(LIB, resolveLocal(file, spec)).split(path.sep).join('/');
      if (target.split('/')[0] === from.split('/')[0] || /^[^/]+\/index\.ts$/.test(target)) continue;
      if (!DEEP_IMPORT_EXCEPTIONS.has(`${from} -> ${target}`)) deep.push(`${from} -> ${target}`);
    }
  }
  expect(deep).toEqual([]);
});

test('the Slack front door reaches no Tailscale client, policy engine, request store or CDKTF: it only checks and hands off', () => {
  const { files, packages } = reach(path.join(LIB, 'runtime/lambda/slack-front-door-handler.ts'));
  expect(relative(files).filter((f) => ['tailscale', 'policy', 'hujson', 'requests', 'constructs', 'cli', 'testing'].includes(f))).toEqual([]);
  expect(
    underLib(files)
      .filter((f) => f.startsWith('runtime/'))
      .sort(),
  ).toEqual(['runtime/credentials.ts', 'runtime/lambda/slack-front-door-handler.ts', 'runtime/lambda/slack-front-door.ts']);
  // The Slack Web API client is required lazily by a class the front door never builds; the bundle drops it
  // (test/slack/front-door.test.ts checks the zip).
  expect([...packages].filter((p) => !p.startsWith('node:')).sort()).toEqual(['@aws-sdk/client-lambda', '@aws-sdk/client-secrets-manager', '@slack/web-api']);
});
