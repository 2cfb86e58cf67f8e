import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/** What one synthesized stack holds, as the benchmark needs it. */
export interface SynthOutput {
  readonly stackId: string;
  /** Terraform resource type → how many. */
  readonly resources: Record<string, number>;
  /** The Lambda zips synth wrote (absolute paths); none for a stack whose function points at no real file. */
  readonly lambdaZips: string[];
}

interface TerraformJson {
  resource?: Record<string, Record<string, { filename?: unknown }>>;
}

/** Reads the only stack of a synthesized app's `outdir`. */
export function readSynthOutput(outdir: string): SynthOutput {
  const stacks = readdirSync(path.join(outdir, 'stacks'));
  if (stacks.length !== 1) throw new Error(`${outdir}: expected one stack, found ${stacks.length}`);
  const stackDir = path.join(outdir, 'stacks', stacks[0]);
  const json = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson;
  const resources = Object.fromEntries(Object.entries(json.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length]));
  const lambdaZips = Object.values(json.resource?.aws_lambda_function ?? {})
    .map((f) => (typeof f.filename === 'string' ? path.resolve(stackDir, f.filename) : ''))
    .filter((file) => file !== '' && existsSync(file) && statSync(file).isFile());
  return { stackId: stacks[0], resources, lambdaZips };
}

/** The one Lambda zip an app wrote; fails when there is none, or more than one to choose from. */
export function lambdaZipOf(output: SynthOutput): string {
  if (output.lambdaZips.length !== 1) throw new Error(`stack ${output.stackId}: expected one Lambda zip, found ${output.lambdaZips.length}`);
  return output.lambdaZips[0];
}
