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
  return synthAppWithZip(flowParams).json;
}

/** The same, with the bytes of the Lambda zip the synth wrote beside it. */
function synthAppWithZip(flowParams: Partial<SymFlowParams> = {}): { json: string; zip: Buffer } {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-determinism-'));
  outdirs.push(outdir);
  const app = new App({ outdir });
  const stack = testStack(app);
  buildRuntime(stack, buildModel(stack, { flowParams }));
  app.synth();
  const stackDir = path.join(outdir, 'stacks', 'stack');
  const json = fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8');
  return { json, zip: fs.readFileSync(path.join(stackDir, lambdaOf(json).filename as string)) };
}

function lambdaOf(tfJson: string): Record<string, unknown> {
  return onlyResource(JSON.parse(tfJson) as TerraformJson, 'aws_lambda_function');
}

test('two synths of an unchanged app write byte-identical cdk.tf.json and zip, asset path and hash included', () => {
  const first = synthAppWithZip();
  const second = synthAppWithZip();
  expect(second.json).toBe(first.json);
  expect(second.zip.equals(first.zip)).toBe(true);
  expect(lambdaOf(first.json).filename).toMatch(/^assets\/.+\/([0-9a-f]{64})\/\1\.zip$/);
});

test('a change to a flow changes the asset path, the code hash and the manifest hash', () => {
  const before = synthApp();
  const after = synthApp({ durations: ['15m'] });
  expect(lambdaOf(after).filename).not.toBe(lambdaOf(before).filename);
  expect(lambdaOf(after).source_code_hash).not.toBe(lambdaOf(before).source_code_hash);
  const manifestHash = (json: string) => (JSON.parse(json) as TerraformJson).output.manifest_hash.value;
  expect(manifestHash(after)).not.toBe(manifestHash(before));
});
