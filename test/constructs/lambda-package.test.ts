import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { Testing } from 'cdktf';
import fc from 'fast-check';
import { SymRuntime } from '../../lib/constructs';
import { locateHandlerBundle } from '../../lib/constructs/synth/handler-bundle';
import { stagePackage } from '../../lib/constructs/synth/lambda-package';
import { crc32, zipArchive } from '../../lib/constructs/synth/zip-archive';
import { buildModel, buildRuntime, onlyResource, testStack, TerraformJson } from './fixtures';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-package-test-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const files = (index: string, manifest: string) => ({ 'index.js': Buffer.from(index), 'manifest.json': Buffer.from(manifest) });

describe('the zip archive', () => {
  const read = (zip: Buffer) => new AdmZip(zip).getEntries().map((e) => [e.entryName, e.getData().toString('latin1')]);

  test('holds exactly the files given, readable by another zip implementation', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9._-]{0,20}$/), fc.uint8Array({ maxLength: 4096 }), { minKeys: 1, maxKeys: 5 }), (spec) => {
        const input = Object.fromEntries(Object.entries(spec).map(([name, bytes]) => [name, Buffer.from(bytes)]));
        expect(read(zipArchive(input))).toEqual(
          Object.keys(input)
            .sort()
            .map((name) => [name, input[name].toString('latin1')]),
        );
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  test('is byte-identical for the same files, whatever their order or the time', () => {
    const first = zipArchive(files('code', '{}'));
    expect(zipArchive({ 'manifest.json': Buffer.from('{}'), 'index.js': Buffer.from('code') }).equals(first)).toBe(true);
    expect(zipArchive(files('code', '{"a":1}')).equals(first)).toBe(false);
  });

  test('records the CRC-32 that zip readers check', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const zip = zipArchive(files('code', '{}'));
    // A flipped byte in the deflated data must be caught by the reader's checksum.
    const damaged = Buffer.from(zip);
    damaged[30 + 'index.js'.length + 1] ^= 0xff;
    expect(() => new AdmZip(damaged).getEntries().forEach((e) => e.getData())).toThrow();
  });
});

describe('staging', () => {
  test('writes the zip to a file named by its SHA-256', () => {
    const staged = stagePackage(files('code', '{}'), scratch);
    const bytes = fs.readFileSync(staged.file);
    expect(staged.file).toBe(path.join(scratch, `${createHash('sha256').update(bytes).digest('hex')}.zip`));
    expect(staged.sha256).toEqual(createHash('sha256').update(bytes).digest());
  });

  test('reuses the file for the same content and makes another for other content', () => {
    const first = stagePackage(files('code', '{"a":1}'), scratch);
    const mtime = fs.statSync(first.file).mtimeMs;
    expect(stagePackage(files('code', '{"a":1}'), scratch)).toEqual(first);
    expect(fs.statSync(first.file).mtimeMs).toBe(mtime);
    expect(stagePackage(files('code', '{"a":2}'), scratch).file).not.toBe(first.file);
  });

  test.each([
    { damage: 'a truncated zip', harm: (file: string) => fs.truncateSync(file, 10) },
    { damage: 'a changed zip', harm: (file: string) => fs.writeFileSync(file, 'tampered') },
    { damage: 'a missing zip', harm: (file: string) => fs.rmSync(file) },
  ])('repairs $damage', ({ harm }) => {
    const content = files(`code for ${harm.toString()}`, '{}');
    const staged = stagePackage(content, scratch);
    const good = fs.readFileSync(staged.file);
    harm(staged.file);
    expect(fs.readFileSync(stagePackage(content, scratch).file)).toEqual(good);
  });
});

describe('the synthesized zip', () => {
  let runtime: SymRuntime;
  let fn: Record<string, unknown>;
  let zip: AdmZip;
  let zipBytes: Buffer;
  const entry = (name: string) => zip.getEntry(name)?.getData() ?? Buffer.alloc(0);

  beforeAll(() => {
    const stack = testStack();
    runtime = buildRuntime(stack, buildModel(stack));
    const stackDir = path.join(Testing.fullSynth(stack), 'stacks', 'stack');
    fn = onlyResource(JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson, 'aws_lambda_function');
    zipBytes = fs.readFileSync(path.join(stackDir, fn.filename as string));
    zip = new AdmZip(zipBytes);
    fs.rmSync(path.dirname(path.dirname(stackDir)), { recursive: true, force: true });
  });

  test('holds the pre-built handler and the manifest, nothing else', () => {
    expect(
      zip
        .getEntries()
        .map((e) => e.entryName)
        .sort(),
    ).toEqual(['index.js', 'manifest.json']);
    expect(entry('index.js')).toEqual(fs.readFileSync(locateHandlerBundle()));
    expect(JSON.parse(entry('manifest.json').toString('utf8'))).toEqual(runtime.manifest);
  });

  test('is hashed as Terraform and Lambda hash it, and the output hash is that of its manifest.json', () => {
    expect(fn.source_code_hash).toBe(createHash('sha256').update(zipBytes).digest('base64'));
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
      invalid('event.action: expected one of escalate, deescalate, sweep, status, check, got "fly"'),
      invalid('event.action: expected one of escalate, deescalate, sweep, status, check, got nothing'),
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
