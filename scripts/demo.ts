// The quick-start demo: synthesizes the Tailscale SSH access example (with its on-call rule and self-extension on),
// then runs the Lambda package synth wrote, in a fresh Node process as Lambda would, through function URL events that
// prove their caller to STS: alice requests prod access, her own approval is refused, a made-up event naming bob is
// refused, bob approves and she is granted at once, status shows the request, and when the grant runs out on the
// demo's clock the sweep removes it and ends the request; dana, on call in PagerDuty, is granted with no human vote and
// extends her grant herself, until the sweep removes it; a request written straight to the table is refused as
// tampered; then `symtail report` reads the example tailnet's devices and keys and runs its checks. No AWS, no
// Tailscale and no network: the tailnet, Secrets Manager, DynamoDB (dynalite, in memory), STS, Lambda, KMS (whose HMAC
// key seals each request record), IAM (where the runtime confirms the callers' Identity Center roles) and PagerDuty
// stand-ins listen on loopback.
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

/** alice's, bob's and dana's IAM Identity Center sessions: the credentials their CLI signs with, which STS knows. */
const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
const DANA = credentialFor(identityCenterArn('dana@example.com'));
/** The PagerDuty schedule whose on-call engineers the example's flow approves at once, and its escalation policy. */
const SCHEDULE = 'PSRE001';
const ESCALATION_POLICY = 'PPOL001';
/** How long a requester may keep extending their own grant, from its first start. */
const SELF_EXTENSION_MAX_TOTAL = '2h';

type Answer = { statusCode: number; body: string };
const answerOf = (result: unknown) => ({ status: (result as Answer).statusCode, body: JSON.parse((result as Answer).body) });

async function main(): Promise<void> {
  step(
    1,
    `Synthesize examples/tailscale-ssh-access (cdktf), its on-call rule (PagerDuty schedule ${SCHEDULE}) and self-extension (up to ${SELF_EXTENSION_MAX_TOTAL}) on`,
  );
  // The stand-ins share the demo's clock with the function: STS judges how old a signature is by it.
  const inventory = JSON.parse(readFileSync(path.join(EXAMPLE_DIR, 'tailnet.json'), 'utf8')) as TailnetInventoryFixture;
  // dana is on call in the schedule all day, as PagerDuty (its stand-in) will say.
  const day = { start: new Date(Date.now() - 3600_000).toISOString(), end: new Date(Date.now() + 12 * 3600_000).toISOString() };
  const env = await startPackagedRequests(
    [ALICE, BOB, DANA],
    { inventory },
    {
      onCall: { schedules: [SCHEDULE], onCalls: [{ email: 'dana@example.com', scheduleId: SCHEDULE, escalationPolicyId: ESCALATION_POLICY, ...day }] },
      selfExtensionMaxTotal: SELF_EXTENSION_MAX_TOTAL,
    },
  );
  const { pkg, emulator, secrets, dynamo, sts, lambda, kms, iam, standIns } = env;
  const pagerDuty = env.pagerDuty!;
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
    say(`   IAM ${iam.url}: callers are IAM Identity Center users of the function's account, their roles under /aws-reserved/sso.amazonaws.com/`);
    say(`   PagerDuty ${pagerDuty.url}: dana@example.com is on call in schedule ${SCHEDULE} today`);
    say(`   the flow needs one approval from bob or carol, unless the requester is on call in ${SCHEDULE}`);

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
    const decided = await pkg.run(
      [call(ALICE, { action: 'approve', requestId: r.id }), forged, call(BOB, { action: 'approve', requestId: r.id }), { event: { action: 'status' } }],
      standIns,
    );
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
    for (const t of (
      status as { targets: { label: string; group: string; active: { member: string; until: string; requestId?: string }[]; standing: string[] }[] }
    ).targets) {
      say(`   ${t.label} (group:${t.group})`);
      for (const g of t.active) say(`     ${g.member.padEnd(22)} until ${g.until}  ${g.requestId ?? ''}`);
      for (const s of t.standing) say(`     ${s.padEnd(22)} standing member`);
    }

    step(8, '31 minutes later on the demo clock the minute sweep runs: the grant has run out');
    say(`   ${sweptLine(sweep)}`);
    say(policyDiff(grantedPolicy, emulator.policy).replace(/^/gm, '   ').trimEnd());

    step(9, `${r.id} as stored: every transition with who made it`);
    const ended: AccessRequest = answerOf(final).body.request;
    say(`   state: ${ended.state}`);
    for (const h of ended.history)
      say(
        `   ${h.at}  ${h.action.padEnd(9)} ${h.actor.kind === 'system' ? `symtail ${h.actor.name}` : `${h.actor.email}`}${h.detail ? `  (${h.detail})` : ''}`,
      );

    // dana, on call, asks; then extends her grant herself; and at the end of it the sweep takes it back.
    const onCallRun = await pkg.run([call(DANA, { ...request, reason: 'INC-4023: paged for checkout errors' })], standIns);
    const onCall = answerOf(onCallRun.results[0]);
    const grant: AccessRequest = onCall.body.request;
    const onCallPolicy = emulator.policy;
    const extendRun = await pkg.run(
      [call(DANA, { action: 'extend', requestId: grant.id, duration: '1h' }), call(DANA, { action: 'get', requestId: grant.id })],
      standIns,
    );
    const [extendAnswer, firstAfter] = extendRun.results.map(answerOf);
    const extension: AccessRequest = extendAnswer.body.request;
    const extendedPolicy = emulator.policy;
    const endRun = await pkg.run(
      [{ advanceSeconds: 61 * 60 }, { event: { action: 'sweep' } }, call(DANA, { action: 'get', requestId: extension.id })],
      standIns,
    );
    const endSweep = endRun.results[1] as Sweep;
    const extensionEnded: AccessRequest = answerOf(endRun.results[2]).body.request;

    step(10, `dana@example.com, on call in PagerDuty schedule ${SCHEDULE}, asks for Prod SSH Access for 30m: granted with no human vote`);
    const [byRule] = grant.approvals;
    const onCallApproved = grant.state === 'escalated' && grant.approvals.length === 1 && 'onCall' in byRule && byRule.onCall.scheduleId === SCHEDULE;
    say(
      `   HTTP ${onCall.status}: ${grant.id} is ${grant.state} until ${grant.until}; approvals: ${grant.approvals.map((a) => `${a.actor.kind === 'system' ? `symtail ${a.actor.name}` : a.actor.email}`).join(', ')}`,
    );
    for (const h of grant.history)
      say(`   ${h.action.padEnd(12)} ${h.actor.kind === 'system' ? `symtail ${h.actor.name}` : h.actor.email}${h.detail ? `  (${h.detail})` : ''}`);
    say(`   PagerDuty was asked: GET /oncalls?schedule_ids[]=${pagerDuty.calls.at(-1)?.scheduleIds.join(',')}, since = until = now, with users' emails`);

    step(
      11,
      `dana extends her grant by 1h herself (self-extension, up to ${SELF_EXTENSION_MAX_TOTAL} in all): one write moves until, and the one annotation names the new request`,
    );
    const annotations = (policy: string) => policy.split('\n').filter((line) => line.includes('"dana@example.com"'));
    const extendedOnce =
      extension.state === 'escalated' &&
      extension.extends === grant.id &&
      Date.parse(extension.until!) > Date.parse(grant.until!) &&
      firstAfter.body.request.state === 'extended' &&
      annotations(extendedPolicy).length === 1 &&
      annotations(extendedPolicy)[0].includes(`req=${extension.id}`);
    say(
      `   HTTP ${extendAnswer.status}: ${extension.id} extends ${grant.id}, ${extension.state} until ${extension.until}; ${grant.id} is now ${firstAfter.body.request.state}`,
    );
    say(policyDiff(onCallPolicy, extendedPolicy).replace(/^/gm, '   ').trimEnd());

    step(12, "61 minutes later on the demo clock the sweep removes dana's extended grant and ends the extension");
    const danaOut = !emulator.policy.includes('dana@example.com');
    say(`   ${sweptLine(endSweep)}; dana is in no group: ${danaOut ? 'yes' : 'NO'}`);

    step(13, 'Someone with dynamodb:PutItem on the table writes an approved request for mallory; the next sweep refuses it');
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
    say(
      `   mallory is in no group: ${malloryOut ? 'yes' : 'NO'}; the request is failed, and the alarm's metric filter { $.outcome = "tampered" } counts the line`,
    );

    step(14, 'The governance report of the example tailnet: symtail report --tailnet example.com, its checks');
    const report = await governanceReport(emulator.url);
    for (const c of report.checks) say(`   ${c.status.padEnd(5)}  ${c.id.padEnd(20)}  ${c.status === 'alarm' ? c.resources.join('; ') : c.reason}`);

    step(15, 'Result');
    const valueOf = (text: string) => JSON.parse(standardize(text)) as unknown;
    const sameValue = isDeepStrictEqual(valueOf(emulator.policy), valueOf(original));
    const canonical = emulator.policy === format(original);
    const refusedTampered = refusal.length === 1 && refusal[0].code === 'tampered' && tamperedLines.length === 1 && malloryOut;
    const ok =
      refused.status === 403 &&
      refusedForgery.status === 403 &&
      approved.body.request.state === 'escalated' &&
      ended.state === 'ended' &&
      onCallApproved &&
      extendedOnce &&
      endSweep.requests.ended.includes(extension.id) &&
      extensionEnded.state === 'ended' &&
      danaOut &&
      refusedTampered &&
      sameValue &&
      canonical;
    say(`   policy back where it started (value and canonical text): ${sameValue && canonical ? 'yes' : 'NO'}`);
    const audited = [first, decided, later, onCallRun, extendRun, endRun, tampered].reduce((n, run) => n + run.audit.length, 0);
    say(
      `   policy writes: ${emulator.writes} (alice's grant and sweep; dana's grant, extension and sweep); DynamoDB calls: ${dynamo.calls.length} (${dynamo.writes.length} writes: each proven call records its proof; one is the forgery); audit lines: ${audited}`,
    );
    say(
      `   STS calls: ${sts.calls.length} (one per proven call); KMS calls: ${kms.count('GenerateMac')} GenerateMac (one per record written), ${kms.count('VerifyMac')} VerifyMac (records another container wrote); IAM GetRole: ${iam.calls.length}`,
    );
    if (!ok) process.exitCode = 1;
  } finally {
    await env.stop();
  }

  // ── The same flow asked and approved in Slack (scripts/demo-slack.ts) ──
  say(`\n${bold('Requests in Slack')}`);
  if (!(await slackDemo(say, step, 16))) process.exitCode = 1;
}

/** What the minute sweep answers, in the part the demo shows. */
type Sweep = { tailnets: { removed: { member: string; group: string }[] }[]; requests: { ended: string[] } };

/** What a sweep removed and which requests it ended, on one line. */
function sweptLine(sweep: unknown): string {
  const { tailnets, requests } = sweep as Sweep;
  const removed = tailnets.flatMap((t) => t.removed.map((c) => `${c.member} from group:${c.group}`));
  return `removed: ${removed.join(', ') || 'nothing'}; requests ended: ${requests.ended.join(', ') || 'none'}`;
}

/** `symtail report --json` against the emulator, on the day the example tailnet's records are dated. */
async function governanceReport(apiUrl: string): Promise<TailnetReport> {
  let stdout = '';
  const args = ['report', '--tailnet', 'example.com', '--api-url', apiUrl, '--now', '2026-11-23T12:00:00Z', '--json'];
  const code = await symtail(args, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: process.stderr,
    env: { TAILSCALE_API_KEY: EMULATOR_API_KEY },
    cwd: EXAMPLE_DIR,
  });
  if (code !== 0) throw new Error(`symtail report exited ${code}`);
  return JSON.parse(stdout) as TailnetReport;
}

main().catch((error: unknown) => {
  process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
