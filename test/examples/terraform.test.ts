import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdktf';
import { buildExistingStack } from '../../examples/existing-stack/main';
import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import { addsOnly, makeOffline, offlineTerraform, Terraform, TERRAFORM_MIRROR as MIRROR } from '../support/terraform';

/**
 * The real AWS provider checks what the examples synthesize: `terraform validate` and `terraform plan` on every
 * stack, against a local plugin mirror (no network, no AWS call: fake credentials, the provider's skip_* settings,
 * -refresh=false). SYMTAIL_TERRAFORM_MIRROR names the mirror (the folder holding registry.terraform.io); `.ci/run`
 * sets it when the machine has one.
 */
if (MIRROR === undefined) {
  process.stderr.write('terraform validate/plan of the examples not run: set SYMTAIL_TERRAFORM_MIRROR to a Terraform plugin mirror to run it\n');
}
const withMirror = MIRROR === undefined ? describe.skip : describe;

withMirror('terraform on every synthesized stack of the examples', () => {
  let work: string;
  let terraform: Terraform;
  let stacks: { name: string; dir: string; resources: number }[];

  beforeAll(async () => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-terraform-'));
    terraform = offlineTerraform(work, MIRROR!);
    const app = new App({ outdir: path.join(work, 'cdktf.out') });
    buildTailscaleSshAccess(app);
    buildExistingStack(app);
    app.synth();
    const root = path.join(work, 'cdktf.out/stacks');
    stacks = fs.readdirSync(root).map((name) => {
      const dir = path.join(root, name);
      return { name, dir, resources: makeOffline(dir, MIRROR!) };
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
    results.forEach(({ stdout }, i) => expect([stacks[i].name, /Plan: .*/.exec(stdout)?.[0]]).toEqual([stacks[i].name, addsOnly(stacks[i].resources)]));
  }, 120_000);
});
