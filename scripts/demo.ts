// The quick-start demo: synthesizes the Tailscale SSH access example, then runs the Lambda package synth wrote, in a
// fresh Node process as Lambda would, through function URL events that prove their caller to STS: alice requests prod
// access, her own approval is refused, a made-up event naming bob is refused, bob approves and she is granted at once,
// status shows the request, and when the grant runs out on the demo's clock the sweep removes it and ends the request;
// a request written straight to the table is refused as tampered; then `symtail report` reads the example tailnet's
// devices and keys and runs its checks. No AWS, no Tailscale and no network: the tailnet, Secrets Manager, DynamoDB
// (dynalite, in memory), STS, Lambda, KMS (whose HMAC key seals each request record) and IAM (where the runtime
// confirms the callers' Identity Center roles) stand-ins listen on loopback.
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { format, standardize } from '../lib/hujson';
import { AccessRequest } from '../lib/requests';
import { policyDiff } from '../lib/runtime/diff';
import { TailnetReport } from '../lib/access';
import { main as symtail } from '../lib/cli/main';
import { credentialFor, EMULATOR_API_KEY, FUNCTION_URL, functionUrlEvent, identityCenterArn, StandInCredential, TailnetInventoryFixture } from '../lib/testing';
import { EXAMPLE_POLICY_FILE } from './bench/repo-paths';
import { slackDemo } from './demo-slack';
import { provenCall, startPackagedRequests } from './fixtures/packaged-requests';
import { Step } from './packaged-function';

const bold = (s: string) => (process.stdout.isTTY ? `\u001b[1m${s}\u001b[0m` : s);
const say = (s = '') => process.stdout.write(s + '\n');
const step = (n: number, title: string) => say(`\n${bold(`${n}. ${title}`)}`);
const EXAMPLE_DIR = path.dirname(EXAMPLE_POLICY_FILE);

/** alice's and bob's IAM Identity Center sessions: the credentials their CLI signs with, which STS knows. */
const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));

type Answer = { statusCode: number; body: string };
const answerOf = (result: unknown) => ({ status: (result as Answer).statusCode, body: JSON.parse((result as Answer).body) });

async function main(): Promise<void> {
  step(1, 'Synthesize examples/tailscale-ssh-access (cdktf)');
  // The stand-ins share the demo's clock with the function: STS judges how old a signature is by it.
  const inventory = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'tailnet.json'), 'utf8')) as TailnetInventoryFixture;
  const env = await startPackagedRequests([ALICE, BOB], { inventory });
  const { pkg, emulator, secrets, dynamo, sts, lambda, kms, iam, standIns } = env;
  for (const [type, resources] of Object.entries(pkg.terraform.resource)) {
    for (const [id, body] of Object.entries(resources)) {
      const name = (body as { function_name?: unknown }).function_name ?? (body as { name?: unknown }).name ?? '';
      say(`   ${type.padEnd(32)} ${id.padEnd(44)} ${typeof name === 'string' && !name.includes('${') ? name : ''}`);
    }
  }
  say(`   Lambda zip ${(pkg.zipBytes / 1024).toFixed(1)} KiB; requests table ${pkg.requestsTable}; the requests API is a function URL with AWS_IAM auth`);

  const original = readFileSync(EXAMPLE_POLICY_FILE, 'utf8');
  try {
    step(2, 'Start the stand-ins on loopback');
    say(`   tailnet emulator ${emulator.url} (examples/tailscale-ssh-access/policy.hujson), Secrets Manager ${secrets.url}, DynamoDB ${dynamo.url}`);
    say(`   STS ${sts.url} (verifies SigV4, answers GetCallerIdentity), Lambda ${lambda.url} (the function URL is ${FUNCTION_URL})`);
    say(`   KMS ${kms.url}: its HMAC key seals every request record, so a record written to the table by hand is never granted`);
    say(`   IAM ${iam.url}: callers are IAM Identity Center users of the function's account, their roles under /aws-reserved/sso.amazonaws.com/; the flow needs one approval from bob or carol`);

    // One container's life: the package's handler is loaded once and answers each event in turn. Each call carries
    // a presigned sts:GetCallerIdentity bound to its body, made when its step runs, as the CLI makes it.
    const call = (caller: StandInCredential, body: Record<string, unknown>): Step => provenCall(sts, caller, body);
    const request = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021: payments latency' };
    const first = await pkg.run([call(ALICE, request)], standIns);
    const requested = answerOf(first.results[0]);
    const r: AccessRequest = requested.body.request;
    step(3, 'alice@example.com asks for Prod SSH Access for 30m (POST {"action":"request",…} as her SSO session, proven to STS)');
    say(`   HTTP ${requested.status}: ${r.id} is ${r.state}, waiting for approval until ${r.deadline}`);

    // Someone allowed to invoke the function writes the envelope Lambda would: bob's ARN, but no proof of it.
    const forged = { event: functionUrlEvent(BOB.arn, { action: 'approve', requestId: r.id }) };
    const decided = await pkg.run([call(ALICE, { action: 'approve', requestId: r.id }), forged, call(BOB, { action: 'approve', requestId: r.id }), { event: { action: 'status' } }], standIns);
    const [selfApproval, forgery, approval, status] = decided.results;
    const grantedPolicy = emulator.policy;
    // A later container, the minute sweep's, half an hour on.
    const later = await pkg.run([{ advanceSeconds: 31 * 60 }, { event: { action: 'sweep' } }, call(BOB, { action: 'get', requestId: r.id })], standIns);
    const [, sweep, final] = later.results;

    step(4, 'alice approves her own request');
    const refused = answerOf(selfApproval);
    say(`   HTTP ${refused.status} ${refused.body.error.code}: ${refused.body.error.message}`);

    step(5, 'A made-up function URL event naming bob, invoked directly (lambda:InvokeFunction, no proof)');
    const refusedForgery = answerOf(forgery);
    say(`   HTTP ${refusedForgery.status} ${refusedForgery.body.error.code}: ${refusedForgery.body.error.message}`);

    step(6, 'bob@example.com approves: the quorum is met and alice is granted at once, in one If-Match write');
    const approved = answerOf(approval);
    say(`   HTTP ${approved.status}: ${r.id} is ${approved.body.request.state} until ${approved.body.request.until}`);
    say(policyDiff(format(original), grantedPolicy).replace(/^/gm, '   ').trimEnd());

    step(7, 'Status shows the grant and the request it came from');
    for (const t of (status as { targets: { label: string; group: string; active: { member: string; until: string; requestId?: string }[]; standing: string[] }[] }).targets) {
      say(`   ${t.label} (group:${t.group})`);
      for (const g of t.active) say(`     ${g.member.padEnd(22)} until ${g.until}  ${g.requestId ?? ''}`);
      for (const s of t.standing) say(`     ${s.padEnd(22)} standing member`);
    }

    step(8, '31 minutes later on the demo clock the minute sweep runs: the grant has run out');
    const swept = sweep as { tailnets: { removed: { member: string; group: string }[] }[]; requests: { ended: string[] } };
    say(`   removed: ${swept.tailnets.flatMap((t) => t.removed.map((c) => `${c.member} from group:${c.group}`)).join(', ') || 'nothing'}; requests ended: ${swept.requests.ended.join(', ') || 'none'}`);
    say(policyDiff(grantedPolicy, emulator.policy).replace(/^/gm, '   ').trimEnd());

    step(9, `${r.id} as stored: every transition with who made it`);
    const ended: AccessRequest = answerOf(final).body.request;
    say(`   state: ${ended.state}`);
    for (const h of ended.history) say(`   ${h.at}  ${h.action.padEnd(9)} ${h.actor.kind === 'system' ? `symtail ${h.actor.name}` : `${h.actor.email}`}${h.detail ? `  (${h.detail})` : ''}`);

    step(10, 'Someone with dynamodb:PutItem on the table writes an approved request for mallory; the next sweep refuses it');
    const at = env.clock.now();
    const mallory = { kind: 'iam' as const, arn: identityCenterArn('mallory@example.com'), email: 'mallory@example.com' };
    await dynamo.forgeRequest(pkg.requestsTable, {
      id: 'r-forged',
      version: 1,
      state: 'approved',
      flow: request.flow,
      target: request.target,
      requester: mallory,
      login: mallory.email,
      duration: '1h',
      approvals: [],
      deadline: new Date(at.getTime() + 3600_000).toISOString(),
      createdAt: at.toISOString(),
      history: [{ action: 'request', actor: mallory, at: at.toISOString() }],
    });
    const tampered = await pkg.run([{ event: { action: 'sweep' } }], standIns);
    const refusal = (tampered.results[0] as { requests: { refused: { requestId: string; code: string; message: string }[] } }).requests.refused;
    for (const x of refusal) say(`   refused ${x.requestId}: ${x.code}: ${x.message}`);
    const tamperedLines = tampered.audit.filter((a) => a.outcome === 'tampered');
    for (const line of tamperedLines) say(`   audit: ${JSON.stringify(line)}`);
    const malloryOut = !emulator.policy.includes('mallory');
    say(`   mallory is in no group: ${malloryOut ? 'yes' : 'NO'}; the request is failed, and the alarm's metric filter { $.outcome = "tampered" } counts the line`);

    step(11, 'The governance report of the example tailnet: symtail report --tailnet example.com, its checks');
    const report = await governanceReport(emulator.url);
    for (const c of report.checks) say(`   ${c.status.padEnd(5)}  ${c.id.padEnd(20)}  ${c.status === 'alarm' ? c.resources.join('; ') : c.reason}`);

    step(12, 'Result');
    const valueOf = (text: string) => JSON.parse(standardize(text)) as unknown;
    const sameValue = isDeepStrictEqual(valueOf(emulator.policy), valueOf(original));
    const canonical = emulator.policy === format(original);
    const refusedTampered = refusal.length === 1 && refusal[0].code === 'tampered' && tamperedLines.length === 1 && malloryOut;
    const ok =
      refused.status === 403 &&
      refusedForgery.status === 403 &&
      approved.body.request.state === 'escalated' &&
      ended.state === 'ended' &&
      refusedTampered &&
      sameValue &&
      canonical;
    say(`   policy back where it started (value and canonical text): ${sameValue && canonical ? 'yes' : 'NO'}`);
    say(`   policy writes: ${emulator.writes} (grant, sweep); DynamoDB calls: ${dynamo.calls.length} (${dynamo.writes.length} writes: each proven call records its proof; one is the forgery); audit lines: ${first.audit.length + decided.audit.length + later.audit.length + tampered.audit.length}`);
    say(`   STS calls: ${sts.calls.length} (one per proven call); KMS calls: ${kms.count('GenerateMac')} GenerateMac (one per record written), ${kms.count('VerifyMac')} VerifyMac (records another container wrote); IAM GetRole: ${iam.calls.length}`);
    if (!ok) process.exitCode = 1;
  } finally {
    await env.stop();
  }

  // ── The same flow asked and approved in Slack (scripts/demo-slack.ts) ──
  say(`\n${bold('Requests in Slack')}`);
  if (!(await slackDemo(say, step, 13))) process.exitCode = 1;
}

/** `symtail report --json` against the emulator, on the day the example tailnet's records are dated. */
async function governanceReport(apiUrl: string): Promise<TailnetReport> {
  let stdout = '';
  const args = ['report', '--tailnet', 'example.com', '--api-url', apiUrl, '--now', '2026-11-23T12:00:00Z', '--json'];
  const code = await symtail(args, { stdout: { write: (s: string) => (stdout += s) }, stderr: process.stderr, env: { TAILSCALE_API_KEY: EMULATOR_API_KEY }, cwd: EXAMPLE_DIR });
  if (code !== 0) throw new Error(`symtail report exited ${code}`);
  return JSON.parse(stdout) as TailnetReport;
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
