import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { parsedPolicy } from '../constructs/fixtures';

/** Terraform JSON as the examples synthesize it (with cdktf's "//" metadata). */
export interface TerraformJson {
  readonly resource: Record<string, Record<string, Record<string, unknown>>>;
  readonly data?: Record<string, Record<string, Record<string, unknown>>>;
  readonly output: Record<string, { value: unknown }>;
  readonly provider: Record<string, Array<Record<string, unknown>>>;
  readonly terraform: { backend?: Record<string, unknown> } & Record<string, unknown>;
}

export interface SynthesizedApp {
  readonly outdir: string;
  readonly stackDir: string;
  readonly json: TerraformJson;
}

/** Builds one stack into a fresh app and synthesizes it as `cdktf synth` does, validations included. */
export function synthApp(build: (app: App) => void, stackId: string): SynthesizedApp {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-example-'));
  const app = new App({ outdir });
  build(app);
  app.synth();
  const stackDir = path.join(outdir, 'stacks', stackId);
  return { outdir, stackDir, json: JSON.parse(fs.readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8')) as TerraformJson };
}

/** The only resource of `type`. */
export function onlyResource(json: TerraformJson, type: string): Record<string, unknown> {
  const all = Object.values(json.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
  return all[0];
}

export function referenceTo(json: TerraformJson, type: string, attribute: string): string {
  return `\${${type}.${Object.keys(json.resource[type])[0]}.${attribute}}`;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Action: string | string[];
  readonly Resource: string | string[];
}

/** The statements of the runtime role's main inline policy. */
export function runtimePolicyStatements(json: TerraformJson): PolicyStatement[] {
  const [policy] = Object.values(json.resource.aws_iam_role_policy).filter((p) => p.name === 'symtail-runtime');
  return parsedPolicy(policy.policy).Statement as unknown as PolicyStatement[];
}
