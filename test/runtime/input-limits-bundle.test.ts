import * as path from 'node:path';
import { REQUESTS_TABLE_VARIABLE } from '../../lib/requests';
import { credentialFor, functionUrlEvent, identityCenterArn, LambdaProcess, localAwsEnvironment, provenFunctionUrlEvent } from '../../lib/testing';
import { PackagedRequests, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// The synthesized zip, run in a fresh Node process as Lambda runs it, fed input built to be costly: bodies and events
// over 16 KB or nested past 32 levels are refused with 400 (or a rejected event) naming the limit, before anything
// walks them (the identity proof included), and no answer or audit line quotes more than a short, escaped piece of
// what it was sent.

const ALICE = credentialFor(identityCenterArn('alice@example.com'));

let env: PackagedRequests;
let fn: LambdaProcess;

beforeAll(async () => {
  env = await startPackagedRequests([ALICE]);
  const { pkg, secrets, dynamo, sts, lambda, kms, iam, eventBridge } = env;
  // A process of its own, taking events over IPC as Lambda hands them over: megabyte events included.
  fn = await LambdaProcess.start({
    dir: pkg.dir,
    nodePath: path.resolve(__dirname, '../../node_modules'),
    env: {
      ...localAwsEnvironment({
        secretsManager: secrets.url,
        dynamoDb: dynamo.url,
        sts: sts.url,
        lambda: lambda.url,
        kms: kms.url,
        iam: iam.url,
        eventBridge: eventBridge.url,
      }),
      ...env.standIns.env,
      [REQUESTS_TABLE_VARIABLE]: pkg.requestsTable,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
  });
});
afterAll(async () => {
  await fn.stop();
  await env.stop();
});

/** A function URL event whose body is `text` exactly. */
const raw = (text: string) => ({ ...(functionUrlEvent(ALICE.arn, {}) as object), body: text });
const nestedText = (levels: number) => `{"action":${'['.repeat(levels)}${']'.repeat(levels)}}`;
/** A direct event nested `levels` deep, built without recursion. */
function nestedEvent(levels: number): object {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = [value];
  return { action: value };
}

test('bodies and direct events past the limits, or quoting huge fields, are refused with short answers and short audit lines', async () => {
  const [before, tailnetCalls] = [await env.requestItems(), env.emulator.requests.length];
  const events = [
    raw(JSON.stringify({ action: 'x'.repeat(2_000_000) })),
    raw(nestedText(200_000)),
    raw(nestedText(8000)),
    // Within the limits, and proven: judged, and quoted short.
    await provenFunctionUrlEvent(ALICE, { action: 'y'.repeat(10_000) }, { sts: env.sts.url, at: env.clock.now() }),
    { action: 'x'.repeat(2_000_000) },
    nestedEvent(1000),
    { action: 'z'.repeat(10_000) },
    { action: 'status', ['k'.repeat(10_000)]: 1 },
  ];
  const results: unknown[] = [];
  for (const event of events) results.push(await fn.invoke(event));
  // Log lines come down stdout, answers over IPC: wait for the lines of every answer.
  const audited = () => fn.logLines().filter((l) => l.type === 'symtail.audit');
  for (let waited = 0; audited().length < events.length && waited < 5000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  const audit = audited();
  const answers = results.map((r) => {
    const http = r as { statusCode?: number; body?: string };
    return http.statusCode === undefined
      ? { status: undefined, body: r as { ok: boolean; error: { code: string; message: string } } }
      : { status: http.statusCode, body: JSON.parse(http.body!) };
  });
  expect(answers.map((a) => [a.status, a.body.error.code, a.body.error.message])).toEqual([
    [400, 'input-too-large', 'body: larger than the limit of 16384 bytes'],
    [400, 'input-too-large', 'body: larger than the limit of 16384 bytes'],
    [400, 'input-too-deep', 'body: nested deeper than the limit of 32 levels'],
    [
      400,
      'invalid-event',
      `body.action: expected one of request, approve, deny, cancel, revoke, get, review, extend, requests, got "${'y'.repeat(64)}"... (10000 characters)`,
    ],
    [undefined, 'input-too-large', 'event: larger than the limit of 16384 bytes'],
    [undefined, 'input-too-deep', 'event: nested deeper than the limit of 32 levels'],
    [undefined, 'invalid-event', `event.action: expected one of escalate, deescalate, sweep, status, check, got "${'z'.repeat(64)}"... (10000 characters)`],
    [undefined, 'invalid-event', `event: unknown field "${'k'.repeat(64)}"... (10000 characters)`],
  ]);
  for (const r of results) expect(JSON.stringify(r).length).toBeLessThan(500);
  expect(audit).toHaveLength(8);
  for (const line of audit) {
    expect(line).toMatchObject({ outcome: 'rejected' });
    expect(JSON.stringify(line).length).toBeLessThan(1000);
  }
  // The proven call's proof is recorded (single use); no request is written, the tailnet never asked.
  expect(await env.requestItems()).toEqual(before);
  expect(env.emulator.requests.length).toBe(tailnetCalls);
}, 60_000);
