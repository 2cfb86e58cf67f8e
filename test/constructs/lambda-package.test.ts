import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { Testing } from 'cdktf';
import fc from 'fast-check';
import { SymRuntime } from '../../lib/constructs';
import { locateHandlerBundle } from '../../lib/constructs/runtime/handler-bundle';
import { packageContentHash, stagePackage } from '../../lib/constructs/runtime/lambda-package';
import { buildModel, buildRuntime, onlyResource, testStack, TerraformJson } from './fixtures';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-package-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const files = (index: string, manifest: string) => ({ 'index.js': Buffer.from(index), 'manifest.json': Buffer.from(manifest) });

describe('the content hash', () => {
  test('ignores the order files are given in', () => {
    expect(packageContentHash({ b: Buffer.from('2'), a: Buffer.from('1') })).toEqual(packageContentHash({ a: Buffer.from('1'), b: Buffer.from('2') }));
  });

  test('tells apart packages whose concatenated names and bytes are equal', () => {
    expect(packageContentHash({ a: Buffer.from('bc') })).not.toEqual(packageContentHash({ ab: Buffer.from('c') }));
  });

  test('changes with any change of any file', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, delta) => {
        const changed = Buffer.from(bytes);
        changed[at % changed.length] = (changed[at % changed.length] + delta) % 256;
        expect(packageContentHash({ 'index.js': changed })).not.toEqual(packageContentHash({ 'index.js': Buffer.from(bytes) }));
      }),
    );
  });
});

describe('staging', () => {
  test('puts exactly the files in a folder named by their content hash', () => {
    const staged = stagePackage(files('code', '{}'), scratch);
    expect(staged.directory).toBe(path.join(scratch, staged.contentHash.toString('hex')));
    expect(fs.readdirSync(staged.directory).sort()).toEqual(['index.js', 'manifest.json']);
    expect(fs.readFileSync(path.join(staged.directory, 'manifest.json'), 'utf8')).toBe('{}');
  });

  test('reuses the folder for the same content and makes another for other content', () => {
    const first = stagePackage(files('code', '{"a":1}'), scratch);
    expect(stagePackage(files('code', '{"a":1}'), scratch)).toEqual(first);
    expect(stagePackage(files('code', '{"a":2}'), scratch).directory).not.toBe(first.directory);
  });

  test.each([
    { damage: 'a missing file', harm: (dir: string) => fs.rmSync(path.join(dir, 'index.js')) },
    { damage: 'a changed file', harm: (dir: string) => fs.writeFileSync(path.join(dir, 'index.js'), 'tampered') },
    { damage: 'an extra file', harm: (dir: string) => fs.writeFileSync(path.join(dir, 'extra.txt'), 'x') },
  ])('repairs a folder with $damage', ({ harm }) => {
    const content = files(`code for ${harm.toString()}`, '{}');
    harm(stagePackage(content, scratch).directory);
    const again = stagePackage(content, scratch);
    expect(fs.readdirSync(again.directory).sort()).toEqual(['index.js', 'manifest.json']);
    expect(fs.readFileSync(path.join(again.directory, 'index.js'))).toEqual(content['index.js']);
  });
});

describe('the synthesized zip', () => {
  let runtime: SymRuntime;
  let fn: Record<string, unknown>;
  let zip: AdmZip;
  const entry = (name: string) => zip.getEntry(name)?.getData() ?? Buffer.alloc(0);

  beforeAll(() => {
    const stack = testStack();
    runtime = buildRuntime(stack, buildModel(stack));
    const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'stack');
    fn = onlyResource(JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson, 'aws_lambda_function');
    zip = new AdmZip(path.join(stackDir, fn.filename as string));
    fs.rmSync(path.dirname(path.dirname(stackDir)), { recursive: true, force: true });
  });

  test('holds the pre-built handler and the manifest, nothing else', () => {
    expect(zip.getEntries().map((e) => e.entryName).sort()).toEqual(['index.js', 'manifest.json']);
    expect(entry('index.js')).toEqual(fs.readFileSync(locateHandlerBundle()));
    expect(JSON.parse(entry('manifest.json').toString('utf8'))).toEqual(runtime.manifest);
  });

  test('is keyed by the hash of its content, and the output hash is that of its manifest.json', () => {
    const content = { 'index.js': entry('index.js'), 'manifest.json': entry('manifest.json') };
    expect(fn.source_code_hash).toBe(packageContentHash(content).toString('base64'));
    expect(runtime.manifestHash).toBe(createHash('sha256').update(entry('manifest.json')).digest('hex'));
  });

  test('runs: the handler loads the manifest beside it and refuses bad events with JSON errors', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'unzipped-'));
    zip.extractAllTo(dir);
    const resultsFile = path.join(dir, 'results.json');
    const events = [{ action: 'escalate' }, { action: 'fly' }, { noAction: true }, 'sweep', null];
    const script = [
      `const { handler } = require(${JSON.stringify(path.join(dir, 'index.js'))});`,
      `Promise.all(${JSON.stringify(events)}.map((e) => handler(e)))`,
      `  .then((r) => require('node:fs').writeFileSync(${JSON.stringify(resultsFile)}, JSON.stringify(r)));`,
    ].join('\n');
    const auditLines = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim().split('\n');
    const invalid = (message: string) => ({ ok: false, error: { code: 'invalid-event', message } });
    expect(JSON.parse(fs.readFileSync(resultsFile, 'utf8'))).toEqual([
      invalid('event.flow: required'),
      invalid('event.action: expected one of escalate, deescalate, sweep, status, got "fly"'),
      invalid('event.action: expected one of escalate, deescalate, sweep, status, got nothing'),
      invalid('event: expected a JSON object with an "action" field'),
      invalid('event: expected a JSON object with an "action" field'),
    ]);
    expect(auditLines.map((line) => JSON.parse(line).outcome)).toEqual(Array(5).fill('rejected'));
  });

  test('a broken manifest fails the cold start, listing its problems', () => {
    const dir = fs.mkdtempSync(path.join(scratch, 'broken-'));
    fs.writeFileSync(path.join(dir, 'index.js'), entry('index.js'));
    const broken = { ...runtime.manifest, version: 2, extra: true };
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(broken));
    let stderr = '';
    try {
      execFileSync(process.execPath, ['-e', `require(${JSON.stringify(path.join(dir, 'index.js'))})`], { encoding: 'utf8', stdio: 'pipe' });
    } catch (error) {
      stderr = (error as { stderr: string }).stderr;
    }
    expect(stderr).toContain('invalid manifest:');
    expect(stderr).toContain('manifest: unknown property "extra"');
    expect(stderr).toContain('manifest.version: must be equal to constant');
  });
});
