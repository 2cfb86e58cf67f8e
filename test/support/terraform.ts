import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

/**
 * Terraform run offline on a synthesized stack: the real AWS provider from a local plugin mirror, no network, no AWS
 * call. SYMTAIL_TERRAFORM_MIRROR names the mirror (the folder holding registry.terraform.io); `.ci/run` sets it when
 * the machine has one.
 */
export const TERRAFORM_MIRROR = process.env.SYMTAIL_TERRAFORM_MIRROR;
const TERRAFORM = process.env.SYMTAIL_TERRAFORM ?? 'terraform';
const run = promisify(execFile);

/** The AWS provider version the mirror holds, e.g. 5.100.0. */
export function mirroredAwsVersion(mirror: string): string {
  const versions = fs.readdirSync(path.join(mirror, 'registry.terraform.io/hashicorp/aws'));
  if (versions.length !== 1) throw new Error(`expected one AWS provider version in the mirror, found ${versions.join(', ') || 'none'}`);
  return versions[0];
}

export interface StackJson {
  terraform: { backend?: unknown; required_providers: { aws: { version: string } } };
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, unknown>>;
}

/** What a plan against no account needs: no backend, the mirror's provider, fake credentials and no AWS lookups. */
export function offline(json: StackJson, version: string): StackJson {
  delete json.terraform.backend;
  json.terraform.required_providers.aws.version = version;
  json.provider.aws = json.provider.aws.map((p) => ({
    ...p,
    access_key: 'AKIAIOSFODNN7EXAMPLE',
    secret_key: 'fake-secret-key-for-plan-only',
    skip_credentials_validation: true,
    skip_requesting_account_id: true,
    skip_metadata_api_check: true,
    skip_region_validation: true,
  }));
  return json;
}

/** Rewrites a synthesized stack's cdk.tf.json for an offline plan against the mirror; returns its resource count. */
export function makeOffline(stackDir: string, mirror: string): number {
  const file = path.join(stackDir, 'cdk.tf.json');
  const json = offline(JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson, mirroredAwsVersion(mirror));
  fs.writeFileSync(file, JSON.stringify(json, null, 2));
  return Object.values(json.resource).reduce((n, byId) => n + Object.keys(byId).length, 0);
}

export type Terraform = (dir: string, ...args: string[]) => Promise<{ stdout: string; stderr: string }>;

/** A terraform command that installs providers from the mirror only; its CLI configuration is written in `work`. */
export function offlineTerraform(work: string, mirror: string): Terraform {
  const config = path.join(work, 'cli.tfrc');
  fs.writeFileSync(
    config,
    `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  const env = { ...process.env, TF_CLI_CONFIG_FILE: config, CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' };
  return (dir, ...args) => run(TERRAFORM, [...args, '-no-color'], { cwd: dir, env, maxBuffer: 16 * 1024 * 1024 });
}

/** `terraform plan`'s summary when it adds every resource and changes or destroys nothing. */
export const addsOnly = (resources: number) => `Plan: ${resources} to add, 0 to change, 0 to destroy.`;
