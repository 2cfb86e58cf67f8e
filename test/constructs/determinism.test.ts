import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { SymFlowParams } from '../../lib/constructs';
import { buildModel, buildRuntime, onlyResource, testStack, TerraformJson } from './fixtures';

const outdirs: string[] = [];
afterAll(() => outdirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** Synthesizes a fresh app, as `cdktf synth` does, and returns the bytes of its cdk.tf.json. */
function synthApp(flowParams: Partial<SymFlowParams> = {}): string {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-determinism-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  const stack = testStack(app);
  buildRuntime(stack, buildModel(stack, { flowParams }));
  app.synth();
  return fs.readFileSync(path.join(outdir, 'stacks', 'stack', 'cdk.tf.json'), 'utf8');
}

function lambdaOf(tfJson: string): Record<string, unknown> {
  return onlyResource(JSON.parse(tfJson) as TerraformJson, 'aws_lambda_function');
}

test('two synths of an unchanged app write byte-identical cdk.tf.json, asset path and hash included', () => {
  const first = synthApp();
  const second = synthApp();
  expect(second).toBe(first);
  expect(lambdaOf(first).filename).toMatch(/^assets\/.+\/[0-9a-f]{64}\/archive\.zip$/);
});

test('a change to a flow changes the asset path, the code hash and the manifest hash', () => {
  const before = synthApp();
  const after = synthApp({ durations: ['15m'] });
  expect(lambdaOf(after).filename).not.toBe(lambdaOf(before).filename);
  expect(lambdaOf(after).source_code_hash).not.toBe(lambdaOf(before).source_code_hash);
  const manifestHash = (json: string) =>
    Object.entries((JSON.parse(json) as TerraformJson).output).find(([id]) => id.includes('manifest_hash'))?.[1].value;
  expect(manifestHash(after)).not.toBe(manifestHash(before));
});
