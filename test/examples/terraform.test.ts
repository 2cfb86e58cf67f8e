import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'cdktf';
import { buildExistingStack } from '../../examples/existing-stack/main';
import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';

/**
 * The real AWS provider checks what the examples synthesize: `terraform validate` and `terraform plan` on every
 * stack, against a local plugin mirror (no network, no AWS call: fake credentials, the provider's skip_* settings,
 * -refresh=false). SYMTAIL_TERRAFORM_MIRROR names the mirror (the folder holding registry.terraform.io); `.ci/run`
 * sets it when the machine has one.
 */
const MIRROR = process.env.SYMTAIL_TERRAFORM_MIRROR;
const TERRAFORM = process.env.SYMTAIL_TERRAFORM ?? 'terraform';
const run = promisify(execFile);

if (MIRROR === undefined) {
  process.stderr.write('terraform validate/plan of the examples not run: set SYMTAIL_TERRAFORM_MIRROR to a Terraform plugin mirror to run it\n');
}
const withMirror = MIRROR === undefined ? describe.skip : describe;

/** The AWS provider version the mirror holds, e.g. 5.100.0. */
function mirroredAwsVersion(mirror: string): string {
  const versions = fs.readdirSync(path.join(mirror, 'registry.terraform.io/hashicorp/aws'));
  if (versions.length !== 1) throw new Error(`expected one AWS provider version in the mirror, found ${versions.join(', ') || 'none'}`);
  return versions[0];
}

interface StackJson {
  terraform: { backend?: unknown; required_providers: { aws: { version: string } } };
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, unknown>>;
}

/** What a plan against no account needs: no backend, the mirror's provider, fake credentials and no AWS lookups. */
function offline(json: StackJson, version: string): StackJson {
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

withMirror('terraform on every synthesized stack of the examples', () => {
  let work: string;
  let stacks: { name: string; dir: string; resources: number }[];
  const env = () => ({ ...process.env, TF_CLI_CONFIG_FILE: path.join(work, 'cli.tfrc'), CHECKPOINT_DISABLE: '1', TF_IN_AUTOMATION: '1' });
  const terraform = (dir: string, ...args: string[]) => run(TERRAFORM, [...args, '-no-color'], { cwd: dir, env: env(), maxBuffer: 16 * 1024 * 1024 });

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-terraform-'));
    fs.writeFileSync(
      path.join(work, 'cli.tfrc'),
      `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(MIRROR)}\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    );
    const app = new App({ outdir: path.join(work, 'cdktf.out') });
    buildTailscaleSshAccess(app);
    buildExistingStack(app);
    app.synth();
    const version = mirroredAwsVersion(MIRROR!);
    const root = path.join(work, 'cdktf.out/stacks');
    stacks = fs.readdirSync(root).map((name) => {
      const dir = path.join(root, name);
      const file = path.join(dir, 'cdk.tf.json');
      const json = offline(JSON.parse(fs.readFileSync(file, 'utf8')) as StackJson, version);
      fs.writeFileSync(file, JSON.stringify(json, null, 2));
      return { name, dir, resources: Object.values(json.resource).reduce((n, byId) => n + Object.keys(byId).length, 0) };
    });
    await Promise.all(stacks.map((s) => terraform(s.dir, 'init', '-input=false', '-backend=false')));
  }, 120_000);

  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  test('both examples are synthesized', () => {
    expect(stacks.map((s) => s.name).sort()).toEqual(['platform', 'tailscale-ssh-access']);
  });

  test('terraform validate accepts every stack', async () => {
    const results = await Promise.all(stacks.map((s) => terraform(s.dir, 'validate')));
    for (const { stdout } of results) expect(stdout).toContain('Success! The configuration is valid.');
  }, 120_000);

  test('terraform plan adds every resource of every stack, and changes or destroys nothing', async () => {
    const results = await Promise.all(stacks.map((s) => terraform(s.dir, 'plan', '-refresh=false', '-input=false', '-lock=false')));
    results.forEach(({ stdout }, i) => expect([stacks[i].name, /Plan: .*/.exec(stdout)?.[0]]).toEqual([stacks[i].name, `Plan: ${stacks[i].resources} to add, 0 to change, 0 to destroy.`]));
  }, 120_000);
});
