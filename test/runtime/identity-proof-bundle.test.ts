import { execFile } from 'node:child_process';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { IDENTITY_PROOF_HEADER, IdentityProof, REQUESTS_TABLE_VARIABLE } from '../../lib/requests';
import {
  credentialFor,
  FUNCTION_NAME,
  FunctionUrlStandIn,
  functionUrlEvent,
  identityCenterArn,
  LambdaProcess,
  LambdaStandIn,
  localAwsEnvironment,
  provenFunctionUrlEvent,
  StandInCredential,
} from '../../lib/testing';
import { Step } from '../../scripts/packaged-function';
import { PackagedRequests, provenCall, read, startPackagedRequests } from '../../scripts/fixtures/packaged-requests';

// Acting as someone else, tried as an attacker would against the synthesized zip run in fresh processes: a made-up
// function URL event (by direct invoke, or as an EventBridge target's input), and proofs replayed, re-targeted or
// stale. Each is refused with 403 and writes nothing; the CLI's real path, proven to an STS stand-in, is answered.

const ROOT = path.resolve(__dirname, '../..');
const ALICE = credentialFor(identityCenterArn('alice@example.com'));
const BOB = credentialFor(identityCenterArn('bob@example.com'));
/** A mapped person (an Identity Center session of the function's account), but no approver of the flow. */
const MALLORY = credentialFor(identityCenterArn('mallory@example.com'));
const PROD = { action: 'request', flow: 'tailscale-ssh-access', target: 'main-prod-access', duration: '30m', reason: 'INC-4021' };

let env: PackagedRequests;
const prove = (caller: StandInCredential, body: Record<string, unknown>, options: { at?: Date; functionUrl?: string; envelopeArn?: string } = {}) =>
  provenFunctionUrlEvent(caller, body, { sts: env.sts.url, at: options.at ?? env.clock.now(), ...options });
const call = (caller: StandInCredential, body: Record<string, unknown>): Step => provenCall(env.sts, caller, body);
const proofOf = (event: object) =>
  JSON.parse(Buffer.from((event as { headers: Record<string, string> }).headers[IDENTITY_PROOF_HEADER], 'base64url').toString()) as IdentityProof;
/** The event with its proof replaced by `edit` of it. */
const reproved = (event: object, edit: (proof: IdentityProof) => IdentityProof) => {
  const e = event as { headers: Record<string, string> };
  return { ...e, headers: { ...e.headers, [IDENTITY_PROOF_HEADER]: Buffer.from(JSON.stringify(edit(proofOf(event)))).toString('base64url') } };
};
/** What each stand-in has been asked so far. */
const traffic = () => ({
  dynamoCalls: env.dynamo.calls.length,
  dynamoWrites: env.dynamo.writes.length,
  sts: env.sts.calls.length,
  urlLookups: env.lambda.urlLookups.length,
  tailnet: env.emulator.requests.length,
  policyWrites: env.emulator.writes,
});

async function pendingRequest(): Promise<string> {
  const { results } = await env.pkg.run([call(ALICE, PROD)], env.standIns);
  const created = read(results[0]);
  expect(created).toMatchObject({ status: 200, body: { request: { state: 'pending' } } });
  return created.body.request.id as string;
}

beforeAll(async () => {
  env = await startPackagedRequests([ALICE, BOB, MALLORY]);
});
afterAll(() => env.stop());

describe('(a) a made-up event naming bob', () => {
  test("invoked directly with bob's Identity Center ARN as the caller and no proof: 403, and nothing is asked of DynamoDB, STS or the tailnet", async () => {
    const id = await pendingRequest();
    const [before, requests] = [traffic(), await env.requestItems()];
    const forged = functionUrlEvent(BOB.arn, { action: 'approve', requestId: id });
    const { results, audit } = await env.pkg.run([{ event: forged }], env.standIns);
    expect(read(results[0])).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'identity-proof-invalid', message: expect.stringContaining('x-symtail-identity: missing') } },
    });
    expect(audit).toEqual([
      expect.objectContaining({ action: 'approve', outcome: 'rejected', error: expect.objectContaining({ code: 'identity-proof-invalid' }) }),
    ]);
    expect(audit[0]).not.toHaveProperty('caller');
    expect(traffic()).toEqual(before);
    expect(await env.requestItems()).toEqual(requests);
  });

  test("with a proof that is not bob's: 403 whether the envelope or only the body names bob, and nothing is written", async () => {
    const id = await pendingRequest();
    const [policyWrites, requests] = [env.emulator.writes, await env.requestItems()];
    // mallory proves herself but writes bob into the envelope; then bob's own proof of another call rides along.
    const malloryAsBob = await prove(MALLORY, { action: 'approve', requestId: id }, { envelopeArn: BOB.arn });
    const bobsOtherCall = await prove(BOB, { action: 'get', requestId: id });
    const borrowed = {
      ...(await prove(MALLORY, { action: 'approve', requestId: id }, { envelopeArn: BOB.arn })),
      headers: (bobsOtherCall as { headers: object }).headers,
    };
    const { results, audit } = await env.pkg.run([{ event: malloryAsBob }, { event: borrowed }], env.standIns);
    expect(results.map((r) => read(r).body.error)).toEqual([
      {
        code: 'identity-proof-invalid',
        message: `x-symtail-identity: the function URL authenticated ${BOB.arn}, but the proof is signed by ${MALLORY.arn}: they must be the same principal`,
      },
      { code: 'identity-proof-invalid', message: expect.stringContaining("x-symtail-body-sha256: does not match this call's body") },
    ]);
    expect(results.map((r) => read(r).status)).toEqual([403, 403]);
    expect(audit.map((a) => [a.action, a.outcome, (a.error as { code: string }).code])).toEqual([
      ['approve', 'rejected', 'identity-proof-invalid'],
      ['approve', 'rejected', 'identity-proof-invalid'],
    ]);
    expect([env.emulator.writes, await env.requestItems()]).toEqual([policyWrites, requests]);
  });

  test("as an EventBridge target's input, plain or shaped as a function URL event: refused, nothing written", async () => {
    const id = await pendingRequest();
    const [before, requests] = [traffic(), await env.requestItems()];
    const plain = { action: 'approve', requestId: id, requester: { email: 'bob@example.com' } };
    const shaped = functionUrlEvent(BOB.arn, { action: 'approve', requestId: id });
    const { results } = await env.pkg.run([{ event: plain }, { event: shaped }], env.standIns);
    expect(results[0]).toEqual({ ok: false, error: { code: 'invalid-event', message: expect.stringContaining('event.action') } });
    expect(read(results[1])).toMatchObject({ status: 403, body: { error: { code: 'identity-proof-invalid' } } });
    expect(traffic()).toEqual(before);
    expect(await env.requestItems()).toEqual(requests);
  });
});

describe("(b) the CLI's real path", () => {
  let fnUrl: FunctionUrlStandIn;
  let urlLambda: LambdaStandIn;
  let container: LambdaProcess;

  beforeAll(async () => {
    // The function URL checks the call's own SigV4 signature, then hands the event to the unpacked zip in a process
    // of its own, whose Lambda stand-in names this function URL as the function's: the proof's audience.
    fnUrl = await FunctionUrlStandIn.start({ credentials: [ALICE, BOB], target: (event) => container.invoke(event), now: env.clock.now });
    urlLambda = await LambdaStandIn.start(async () => undefined, { functionUrls: { [FUNCTION_NAME]: fnUrl.url } });
    container = await LambdaProcess.start({
      dir: env.pkg.dir,
      nodePath: path.join(ROOT, 'node_modules'),
      env: {
        ...localAwsEnvironment({
          secretsManager: env.secrets.url,
          dynamoDb: env.dynamo.url,
          sts: env.sts.url,
          lambda: urlLambda.url,
          kms: env.kms.url,
          iam: env.iam.url,
          eventBridge: env.eventBridge.url,
        }),
        ...env.standIns.env,
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        [REQUESTS_TABLE_VARIABLE]: env.pkg.requestsTable,
      },
    });
  });
  afterAll(async () => {
    await container.stop();
    await Promise.all([fnUrl.stop(), urlLambda.stop()]);
  });

  /** `bin/symtail` in a process of its own, signed in as `credential` through the SDK's default chain. */
  const symtail = (credential: StandInCredential, args: string[]) =>
    new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [path.join(ROOT, 'bin/symtail.js'), ...args, '--url', fnUrl.url, '--region', 'us-east-1', '--json'],
        {
          env: {
            PATH: process.env.PATH,
            AWS_ACCESS_KEY_ID: credential.accessKeyId,
            AWS_SECRET_ACCESS_KEY: credential.secretAccessKey,
            AWS_SESSION_TOKEN: credential.sessionToken,
            AWS_ENDPOINT_URL_STS: env.sts.url,
            AWS_EC2_METADATA_DISABLED: 'true',
            AWS_CONFIG_FILE: '/nonexistent',
            AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          },
        },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });

  test('alice requests and bob approves with `symtail`: 200 each, proven to STS with their own session keys, and alice is granted', async () => {
    const stsCalls = env.sts.calls.length;
    const requested = await symtail(ALICE, [
      'request',
      '--flow',
      'tailscale-ssh-access',
      '--target',
      'main-staging-access',
      '--for',
      '30m',
      '--reason',
      'INC-77',
    ]);
    expect(requested).toMatchObject({ code: 0, stderr: '' });
    const id = JSON.parse(requested.stdout).request.id as string;
    expect(JSON.parse(requested.stdout).request).toMatchObject({ state: 'pending', requester: { arn: ALICE.arn, email: 'alice@example.com' } });
    const approved = await symtail(BOB, ['approve', '--id', id]);
    expect(approved).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(approved.stdout).request).toMatchObject({ id, state: 'escalated', approvals: [{ actor: { arn: BOB.arn, email: 'bob@example.com' } }] });
    expect(env.emulator.policy).toContain(`req=${id}`);
    expect(env.sts.calls.slice(stsCalls)).toEqual([
      { accessKeyId: ALICE.accessKeyId, action: 'GetCallerIdentity', outcome: 'ok' },
      { accessKeyId: BOB.accessKeyId, action: 'GetCallerIdentity', outcome: 'ok' },
    ]);
    // The container asked Lambda for its own URL once, and no audit line carries a proof or its secrets.
    expect(urlLambda.urlLookups).toEqual([FUNCTION_NAME]);
    const proofs = fnUrl.events.map((e) => (e as { headers: Record<string, string> }).headers[IDENTITY_PROOF_HEADER]);
    const logged = JSON.stringify(container.logLines());
    for (const proof of proofs) {
      expect(logged).not.toContain(proof);
      const decoded = JSON.parse(Buffer.from(proof, 'base64url').toString()) as IdentityProof;
      expect(logged).not.toContain(/Signature=([0-9a-f]{64})/.exec(decoded.headers.authorization)![1]);
      expect(logged).not.toContain(decoded.headers['x-amz-security-token']);
    }
    expect((await symtail(ALICE, ['revoke', '--id', id])).code).toBe(0);
  });
});

/** A loopback server that counts what reaches it: where a re-targeted proof would be sent. */
async function listener(): Promise<{ url: string; hits: () => number; close: () => Promise<void> }> {
  let hits = 0;
  const server: Server = createServer((_, res) => {
    hits++;
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    hits: () => hits,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('(c) proofs replayed, re-targeted or stale', () => {
  test('a replayed proof is refused 403 identity-proof-replayed: the request it made is not made twice', async () => {
    const made = await prove(ALICE, PROD);
    const { results } = await env.pkg.run([{ event: made }], env.standIns);
    expect(read(results[0]).status).toBe(200);
    const requests = await env.requestItems();
    const replay = await env.pkg.run([{ event: made }], env.standIns);
    expect(read(replay.results[0])).toEqual({
      status: 403,
      body: { ok: false, error: { code: 'identity-proof-replayed', message: 'x-symtail-identity: this proof was already used; each call needs a fresh one' } },
    });
    expect(replay.audit).toEqual([
      expect.objectContaining({ action: 'request', outcome: 'rejected', error: expect.objectContaining({ code: 'identity-proof-replayed' }) }),
    ]);
    expect(await env.requestItems()).toEqual(requests);
  });

  test('a proof made for another body, for a URL that is not STS, signed 6 minutes ago, or for another function: 403, no write, and no STS call for the URL that is not STS', async () => {
    const first = await pendingRequest();
    const second = await pendingRequest();
    const attacker = await listener();
    try {
      const approveFirst = await prove(BOB, { action: 'approve', requestId: first });
      const approveSecond = await prove(BOB, { action: 'approve', requestId: second });
      const forAnotherBody = { ...approveSecond, headers: (approveFirst as { headers: object }).headers };
      const toAttacker = reproved(await prove(BOB, { action: 'approve', requestId: first }), (p) => ({
        ...p,
        url: attacker.url,
        headers: { ...p.headers, host: new URL(attacker.url).host },
      }));
      const stale = await prove(BOB, { action: 'approve', requestId: first }, { at: new Date(env.clock.now().getTime() - 6 * 60_000) });
      const otherFunction = await prove(BOB, { action: 'approve', requestId: first }, { functionUrl: 'https://other-url-id.lambda-url.us-east-1.on.aws/' });

      const [before, requests] = [traffic(), await env.requestItems()];
      const { results, audit } = await env.pkg.run([{ event: forAnotherBody }, { event: toAttacker }, { event: stale }], env.standIns);
      expect(results.map((r) => [read(r).status, read(r).body.error.code, read(r).body.error.message])).toEqual([
        [403, 'identity-proof-invalid', expect.stringContaining("x-symtail-body-sha256: does not match this call's body")],
        [403, 'identity-proof-invalid', expect.stringMatching(/url: http:\/\/127\.0\.0\.1:\d+ is not an STS endpoint/)],
        [403, 'identity-proof-invalid', expect.stringMatching(/x-amz-date: \d{8}T\d{6}Z is more than 5 minutes from now/)],
      ]);
      expect(audit.map((a) => `${a.action}:${a.outcome}:${(a.error as { code: string }).code}`)).toEqual(
        Array(3).fill('approve:rejected:identity-proof-invalid'),
      );
      // Refused before any network call: STS, Lambda, DynamoDB, the tailnet and the would-be STS heard nothing.
      expect(traffic()).toEqual(before);
      expect(attacker.hits()).toBe(0);

      const other = await env.pkg.run([{ event: otherFunction }], env.standIns);
      expect(read(other.results[0])).toMatchObject({
        status: 403,
        body: {
          error: {
            code: 'identity-proof-invalid',
            message: expect.stringContaining('audience: the proof was made for "other-url-id.lambda-url.us-east-1.on.aws"'),
          },
        },
      });
      // Only the function's own URL was looked up; STS was not asked.
      expect({ ...traffic(), urlLookups: 0 }).toEqual({ ...before, urlLookups: 0 });
      expect(await env.requestItems()).toEqual(requests);
      expect(Object.values(requests).map((item) => (item as { state: { S: string } }).state.S)).toContain('pending');
    } finally {
      await attacker.close();
    }
  });
});
