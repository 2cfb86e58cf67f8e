import { buildTailscaleSshAccess } from '../../examples/tailscale-ssh-access/main';
import * as path from 'node:path';
import { REQUESTS_TABLE_VARIABLE } from '../../lib/requests';
import { EMULATOR_API_KEY, FakeSecretsManager, functionUrlEvent, identityCenterArn, LambdaProcess, localAwsEnvironment, LocalDynamoDb, TailnetEmulator } from '../../lib/testing';
import { PackagedFunction } from '../../scripts/packaged-function';
import { DEMO_POLICY } from './harness';

// The synthesized zip, run in a fresh Node process as Lambda runs it, fed input built to be costly: bodies and events
// over 16 KB or nested past 32 levels are refused with 400 (or a rejected event) naming the limit, before anything
// walks them, and no answer or audit line quotes more than a short, escaped piece of what it was sent.

const ALICE = identityCenterArn('alice@example.com');

let pkg: PackagedFunction;
let emulator: TailnetEmulator;
let secrets: FakeSecretsManager;
let dynamo: LocalDynamoDb;
let fn: LambdaProcess;

beforeAll(async () => {
  pkg = PackagedFunction.synthesize((app) => buildTailscaleSshAccess(app));
  emulator = await TailnetEmulator.start({ policy: DEMO_POLICY });
  secrets = await FakeSecretsManager.start({ 'sym/main/tailscale-api-key': EMULATOR_API_KEY });
  dynamo = await LocalDynamoDb.start([pkg.requestsTable]);
  pkg.pointAt(emulator.url);
  // A process of its own, taking events over IPC as Lambda hands them over: megabyte events included.
  fn = await LambdaProcess.start({
    dir: pkg.dir,
    nodePath: path.resolve(__dirname, '../../node_modules'),
    env: { ...localAwsEnvironment({ secretsManager: secrets.url, dynamoDb: dynamo.url }), [REQUESTS_TABLE_VARIABLE]: pkg.requestsTable, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
});
afterAll(async () => {
  await fn.stop();
  await Promise.all([emulator.stop(), secrets.stop(), dynamo.stop()]);
  pkg.dispose();
});

/** A function URL event whose body is `text` exactly. */
const raw = (text: string) => ({ ...(functionUrlEvent(ALICE, {}) as object), body: text });
const nestedText = (levels: number) => `{"action":${'['.repeat(levels)}${']'.repeat(levels)}}`;
/** A direct event nested `levels` deep, built without recursion. */
function nestedEvent(levels: number): object {
  let value: unknown = 'x';
  for (let i = 0; i < levels; i++) value = [value];
  return { action: value };
}

test('bodies and direct events past the limits, or quoting huge fields, are refused with short answers and short audit lines', async () => {
  const writes = dynamo.writes.length;
  const tailnetCalls = emulator.requests.length;
  const events = [
    raw(JSON.stringify({ action: 'x'.repeat(2_000_000) })),
    raw(nestedText(200_000)),
    raw(nestedText(8000)),
    raw(JSON.stringify({ action: 'y'.repeat(10_000) })),
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
    return http.statusCode === undefined ? { status: undefined, body: r as { ok: boolean; error: { code: string; message: string } } } : { status: http.statusCode, body: JSON.parse(http.body!) };
  });
  expect(answers.map((a) => [a.status, a.body.error.code, a.body.error.message])).toEqual([
    [400, 'input-too-large', 'body: larger than the limit of 16384 bytes'],
    [400, 'input-too-large', 'body: larger than the limit of 16384 bytes'],
    [400, 'input-too-deep', 'body: nested deeper than the limit of 32 levels'],
    [400, 'invalid-event', `body.action: expected one of request, approve, deny, cancel, revoke, get, requests, got "${'y'.repeat(64)}"... (10000 characters)`],
    [undefined, 'input-too-large', 'event: larger than the limit of 16384 bytes'],
    [undefined, 'input-too-deep', 'event: nested deeper than the limit of 32 levels'],
    [undefined, 'invalid-event', `event.action: expected one of escalate, deescalate, sweep, status, got "${'z'.repeat(64)}"... (10000 characters)`],
    [undefined, 'invalid-event', `event: unknown field "${'k'.repeat(64)}"... (10000 characters)`],
  ]);
  for (const r of results) expect(JSON.stringify(r).length).toBeLessThan(500);
  expect(audit).toHaveLength(8);
  for (const line of audit) {
    expect(line).toMatchObject({ outcome: 'rejected' });
    expect(JSON.stringify(line).length).toBeLessThan(1000);
  }
  expect(dynamo.writes.length).toBe(writes);
  expect(emulator.requests.length).toBe(tailnetCalls);
}, 60_000);
