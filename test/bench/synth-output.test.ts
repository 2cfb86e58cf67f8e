import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lambdaZipOf, readSynthOutput } from '../../scripts/bench/synth-output';

let outdir: string;
beforeEach(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'symtail-bench-synth-'));
});
afterEach(() => rmSync(outdir, { recursive: true, force: true }));

function writeStack(id: string, json: object, files: Record<string, string> = {}): void {
  const stackDir = path.join(outdir, 'stacks', id);
  mkdirSync(stackDir, { recursive: true });
  writeFileSync(path.join(stackDir, 'cdk.tf.json'), JSON.stringify(json));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(stackDir, name)), { recursive: true });
    writeFileSync(path.join(stackDir, name), content);
  }
}

describe('readSynthOutput', () => {
  it('counts resources by type and finds the Lambda zips that exist', () => {
    writeStack(
      'app',
      {
        resource: {
          aws_iam_role: { a: {}, b: {} },
          aws_lambda_function: { real: { filename: 'assets/fn/archive.zip' }, missing: { filename: 'nowhere.zip' }, computed: { filename: 42 } },
        },
      },
      { 'assets/fn/archive.zip': 'PK' },
    );
    expect(readSynthOutput(outdir)).toEqual({
      stackId: 'app',
      resources: { aws_iam_role: 2, aws_lambda_function: 3 },
      lambdaZips: [path.join(outdir, 'stacks', 'app', 'assets/fn/archive.zip')],
    });
  });

  it('reads a stack without resources as empty', () => {
    writeStack('empty', {});
    expect(readSynthOutput(outdir)).toEqual({ stackId: 'empty', resources: {}, lambdaZips: [] });
  });

  it('refuses an outdir with more than one stack', () => {
    writeStack('one', {});
    writeStack('two', {});
    expect(() => readSynthOutput(outdir)).toThrow(`${outdir}: expected one stack, found 2`);
  });
});

describe('lambdaZipOf', () => {
  it('is the one zip of the stack', () => {
    expect(lambdaZipOf({ stackId: 'app', resources: {}, lambdaZips: ['/tmp/a.zip'] })).toBe('/tmp/a.zip');
  });

  it.each([[[]], [['/tmp/a.zip', '/tmp/b.zip']]])('refuses %j, naming the stack and the count', (zips) => {
    expect(() => lambdaZipOf({ stackId: 'app', resources: {}, lambdaZips: zips })).toThrow(`stack app: expected one Lambda zip, found ${zips.length}`);
  });
});
