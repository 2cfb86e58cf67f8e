// The quick-start demo: synthesizes the Tailscale SSH access example, then drives the runtime it would deploy
// against the local tailnet emulator — escalate, status, expiry, sweep, de-escalate — printing each policy diff.
// No AWS, no Tailscale and no network: the credential comes from memory and the tailnet listens on loopback.
import { readFileSync, mkdtempSync, rmSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { App } from 'cdktf';
import { buildTailscaleSshAccess } from '../examples/tailscale-ssh-access/main';
import { format, standardize } from '../lib/hujson';
import { Manifest } from '../lib/manifest';
import { listLedger } from '../lib/policy';
import { AuditEvent } from '../lib/runtime/audit';
import { policyDiff } from '../lib/runtime/diff';
import { AccessEngine } from '../lib/runtime/engine';
import { EMULATOR_API_KEY, TailnetEmulator } from '../lib/testing';

const EXAMPLE_DIR = path.resolve(__dirname, '../../examples/tailscale-ssh-access');
const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
const say = (s = '') => process.stdout.write(s + '\n');
const step = (n: number, title: string) => say(`\n${bold(`${n}. ${title}`)}`);

function synthesize(): { manifest: Manifest; manifestHash: string; stackJson: Record<string, Record<string, Record<string, unknown>>>; zipBytes: number } {
  const outdir = mkdtempSync(path.join(tmpdir(), 'symtail-demo-'));
  try {
    const app = new App({ outdir });
    const stack = buildTailscaleSshAccess(app);
    app.synth();
    const stackDir = path.join(outdir, 'stacks', 'tailscale-ssh-access');
    const stackJson = JSON.parse(readFileSync(path.join(stackDir, 'cdk.tf.json'), 'utf8'));
    const zips = findFiles(path.join(stackDir, 'assets'), (f) => f.endsWith('.zip'));
    return { manifest: stack.runtime.manifest, manifestHash: stack.runtime.manifestHash, stackJson, zipBytes: zips.reduce((n, f) => n + statSync(f).size, 0) };
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

function findFiles(dir: string, keep: (file: string) => boolean): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? findFiles(full, keep) : keep(full) ? [full] : [];
  });
}

async function main(): Promise<void> {
  step(1, 'Synthesize examples/tailscale-ssh-access (cdktf)');
  const synth = synthesize();
  for (const [type, resources] of Object.entries(synth.stackJson.resource ?? {})) {
    for (const [id, body] of Object.entries(resources)) {
      const name = (body as { name?: string; function_name?: string }).function_name ?? (body as { name?: string }).name ?? '';
      say(`   ${type.padEnd(32)} ${id.padEnd(44)} ${typeof name === 'string' && !name.includes('${') ? name : ''}`);
    }
  }
  say(`   manifest.json sha256 ${synth.manifestHash.slice(0, 16)}…, Lambda zip ${(synth.zipBytes / 1024).toFixed(1)} KiB`);
  say(`   targets: ${Object.values(synth.manifest.targets).map((t) => `${t.name} → group:${t.groupName}`).join(', ')}`);

  const original = readFileSync(path.join(EXAMPLE_DIR, 'policy.hujson'), 'utf8');
  const emulator = await TailnetEmulator.start({ policy: original });
  try {
    step(2, `Start the tailnet emulator on ${emulator.url} with examples/tailscale-ssh-access/policy.hujson`);
    // The synthesized manifest, pointed at the emulator instead of api.tailscale.com.
    const manifest: Manifest = {
      ...synth.manifest,
      integrations: Object.fromEntries(Object.entries(synth.manifest.integrations).map(([k, i]) => [k, { ...i, apiBaseUrl: emulator.url }])),
    };
    const clock = { now: new Date() };
    const audit: AuditEvent[] = [];
    const engine = new AccessEngine({
      manifest,
      credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
      now: () => clock.now,
      audit: (e) => audit.push(e),
    });
    let shown = original;
    const showDiff = () => {
      const diff = policyDiff(shown, emulator.policy);
      say(diff === '' ? '   (policy unchanged)' : diff.replace(/^/gm, '   ').trimEnd());
      shown = emulator.policy;
    };
    const request = { flow: 'tailscale-ssh-access', reason: 'INC-4021: payments latency' };

    step(3, 'alice@example.com escalates to Prod SSH Access for 1h');
    const alice = await engine.escalate({ action: 'escalate', ...request, target: 'main-prod-access', requester: { email: 'alice@example.com' }, duration: '1h', requestId: 'r-1001' });
    say(`   written in one If-Match POST: ${alice.etagBefore.slice(0, 13)}…" → ${alice.etagAfter?.slice(0, 13)}…"`);
    showDiff();

    step(4, 'bob@example.com escalates to Staging SSH Access for 30m');
    await engine.escalate({ action: 'escalate', ...request, target: 'main-staging-access', requester: { email: 'bob@example.com' }, duration: '30m', requestId: 'r-1002' });
    showDiff();

    step(5, 'Status');
    const status = await engine.status({ action: 'status' });
    for (const t of status.targets) {
      say(`   ${t.label} (group:${t.group})`);
      for (const g of t.active) say(`     ${g.member.padEnd(22)} until ${g.until}  ${g.requestId ?? ''}`);
      for (const g of t.overdue) say(`     ${g.member.padEnd(22)} OVERDUE since ${g.until}  ${g.requestId ?? ''}`);
      for (const s of t.standing) say(`     ${s.padEnd(22)} standing member`);
    }

    step(6, "31 minutes later the scheduled sweep runs: bob's grant has expired");
    clock.now = new Date(clock.now.getTime() + 31 * 60_000);
    const swept = await engine.sweep({ action: 'sweep' });
    say(`   removed: ${swept.tailnets.flatMap((t) => t.removed.map((c) => `${c.member} from group:${c.group}`)).join(', ') || 'nothing'}`);
    showDiff();

    step(7, 'alice@example.com de-escalates when the incident is over');
    await engine.deescalate({ action: 'deescalate', ...request, target: 'main-prod-access', requester: { email: 'alice@example.com' } });
    showDiff();

    step(8, 'Result');
    // Tailscale stores the file formatted, so the meaningful comparison is the value, the ledger and the canonical text.
    const valueOf = (text: string) => JSON.parse(standardize(text)) as unknown;
    const sameValue = isDeepStrictEqual(valueOf(emulator.policy), valueOf(original));
    const sameLedger = isDeepStrictEqual(listLedger(emulator.policy, clock.now), listLedger(original, clock.now));
    const canonical = emulator.policy === format(original);
    const same = sameValue && sameLedger && canonical;
    say(`   policy value and grant ledger back where they started: ${sameValue && sameLedger ? 'yes' : 'NO'}`);
    say(`   text equals the canonical form of the original, as Tailscale stores it: ${canonical ? 'yes' : 'NO'} (comments kept)`);
    say(`   API requests: ${emulator.requests.length}, writes: ${emulator.writes}, audit events: ${audit.length}`);
    say(`   last audit event: ${JSON.stringify(audit[audit.length - 1])}`);
    if (!same) process.exitCode = 1;
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
