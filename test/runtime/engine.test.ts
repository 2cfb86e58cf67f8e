import { createHash } from 'node:crypto';
import { format } from '../../lib/hujson';
import { listLedger } from '../../lib/policy';
import { CredentialError, CredentialNotSetError } from '../../lib/runtime';
import { createHandler } from '../../lib/runtime/lambda/create-handler';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { DEMO_POLICY, Harness, T0, escalation, startHarness, exampleManifest } from './harness';

let h: Harness;
afterEach(() => h.stop());

const minutes = (n: number) => new Date(T0.getTime() + n * 60_000);

describe('escalate and deescalate against the tailnet over HTTP', () => {
  beforeEach(async () => {
    h = await startHarness();
  });

  test('after an escalation, a GET returns canonical text whose ETag is the quoted SHA-256 of it', async () => {
    await h.engine.escalate(escalation());
    const read = await fetch(`${h.emulator.url}/api/v2/tailnet/-/acl`, { headers: { Authorization: `Bearer ${EMULATOR_API_KEY}` } });
    const text = await read.text();
    expect(text).toContain('"alice@example.com" /* symtail: until=2026-11-23T18:00:00Z req=r-1 */');
    expect(format(text)).toBe(text);
    expect(read.headers.get('etag')).toBe(`"${createHash('sha256').update(text, 'utf8').digest('hex')}"`);
    expect(listLedger(text, T0).active).toEqual([{ group: 'prod', member: 'alice@example.com', until: '2026-11-23T18:00:00Z', requestId: 'r-1' }]);
  });

  test('escalation adds the login with its expiry in one write, changing only the group array', async () => {
    const result = await h.engine.escalate(escalation());
    expect(result).toMatchObject({ ok: true, group: 'prod', login: 'alice@example.com', until: '2026-11-23T18:00:00Z', written: true });
    // Sent, and kept, in canonical form: the formatter puts a space before the closing bracket.
    expect(h.emulator.policy).toBe(
      DEMO_POLICY.replace('"group:prod": [],', '"group:prod": ["alice@example.com" /* symtail: until=2026-11-23T18:00:00Z req=r-1 */ ],'),
    );
    expect(h.emulator.writes).toBe(1);
    expect(h.aclRequests()).toBe(2);
  });

  test('escalating again with a later expiry extends the grant; an earlier one changes nothing', async () => {
    await h.engine.escalate(escalation({ duration: '30m' }));
    h.clock.now = minutes(10);
    const extended = await h.engine.escalate(escalation({ duration: '1h', requestId: 'r-2' }));
    expect(extended.changes).toEqual([expect.objectContaining({ kind: 'extended', until: '2026-11-23T18:10:00Z', previousUntil: '2026-11-23T17:30:00Z' })]);
    const after = h.emulator.policy;
    const again = await h.engine.escalate(escalation({ duration: '30m', requestId: 'r-3' }));
    expect(again.written).toBe(false);
    expect(again.changes).toEqual([expect.objectContaining({ kind: 'unchanged' })]);
    expect(h.emulator.policy).toBe(after);
    expect(listLedger(after, h.clock.now).active).toEqual([
      expect.objectContaining({ group: 'prod', member: 'alice@example.com', until: '2026-11-23T18:10:00Z', requestId: 'r-2' }),
    ]);
  });

  test('re-escalating with the same request is idempotent: no second write', async () => {
    await h.engine.escalate(escalation());
    const text = h.emulator.policy;
    const again = await h.engine.escalate(escalation());
    expect(again.written).toBe(false);
    expect(h.emulator.policy).toBe(text);
    expect(h.emulator.writes).toBe(1);
  });

  test('de-escalation gives back the original bytes, comments and layout included', async () => {
    await h.engine.escalate(escalation());
    await h.engine.escalate(escalation({ requester: { email: 'bob@example.com' }, target: 'main-staging-access', requestId: 'r-2' }));
    await h.engine.deescalate({ action: 'deescalate', flow: 'tailscale-ssh-access', target: 'main-prod-access', requester: { email: 'ALICE@example.com' } });
    await h.engine.deescalate({ action: 'deescalate', flow: 'tailscale-ssh-access', target: 'main-staging-access', requester: { email: 'bob@example.com' } });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
  });

  test('a standing member survives de-escalation (a warning, no write) and the sweep', async () => {
    const result = await h.engine.deescalate({
      action: 'deescalate',
      flow: 'tailscale-ssh-access',
      target: 'main-staging-access',
      requester: { email: 'carol@example.com' },
    });
    expect(result.written).toBe(false);
    expect(result.warnings.join(' ')).toMatch(/standing/);
    h.clock.now = minutes(24 * 60);
    await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
    expect(h.emulator.writes).toBe(0);
  });

  test('the identity override maps a requester to their tailnet login', async () => {
    const result = await h.engine.escalate(escalation({ requester: { email: 'Dave@Corp.Example' } }));
    expect(result.login).toBe('dave@github');
    expect(h.emulator.policy).toContain('"dave@github" /* symtail:');
  });

  test('sweep removes exactly the expired grants in one write', async () => {
    await h.engine.escalate(escalation({ duration: '30m' }));
    await h.engine.escalate(escalation({ requester: { email: 'bob@example.com' }, duration: '1h', requestId: 'r-2' }));
    await h.engine.escalate(escalation({ requester: { email: 'erin@example.com' }, target: 'main-staging-access', duration: '30m', requestId: 'r-3' }));
    const writes = h.emulator.writes;
    h.clock.now = minutes(31);
    const swept = await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.writes).toBe(writes + 1);
    expect(swept.tailnets[0].removed.map((c) => `${c.group}/${c.member}`).sort()).toEqual(['prod/alice@example.com', 'staging/erin@example.com']);
    const left = listLedger(h.emulator.policy, h.clock.now);
    expect(left.active.map((g) => g.member)).toEqual(['bob@example.com']);
    expect(left.standing).toEqual([{ group: 'staging', member: 'carol@example.com' }]);
    h.clock.now = minutes(61);
    await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
  });

  test('a sweep with nothing expired reads once and writes nothing', async () => {
    await h.engine.escalate(escalation());
    const before = h.aclRequests();
    const swept = await h.engine.sweep({ action: 'sweep' });
    expect(swept.tailnets[0].written).toBe(false);
    expect(h.aclRequests() - before).toBe(1);
  });

  test('status lists active grants and standing members per target', async () => {
    await h.engine.escalate(escalation());
    const status = await h.engine.status({ action: 'status' });
    expect(status.targets).toEqual([
      {
        target: 'main-prod-access',
        label: 'Prod SSH Access',
        tailnet: 'example.com',
        group: 'prod',
        active: [{ member: 'alice@example.com', until: '2026-11-23T18:00:00Z', requestId: 'r-1' }],
        overdue: [],
        standing: [],
        dangers: [],
      },
      {
        target: 'main-staging-access',
        label: 'Staging SSH Access',
        tailnet: 'example.com',
        group: 'staging',
        active: [],
        overdue: [],
        standing: ['carol@example.com'],
        dangers: [],
      },
    ]);
    expect(status.warnings).toEqual([]);
  });

  test('status lists a member whose expiry has passed but who is still present as overdue, with a warning', async () => {
    await h.engine.escalate(escalation());
    h.clock.now = minutes(61);
    const status = await h.engine.status({ action: 'status' });
    expect(status.targets[0]).toMatchObject({
      group: 'prod',
      active: [],
      overdue: [{ member: 'alice@example.com', until: '2026-11-23T18:00:00Z', requestId: 'r-1' }],
    });
    expect(status.warnings).toEqual(['group:prod: "alice@example.com" is overdue: access ended at 2026-11-23T18:00:00Z but the member is still present']);
  });

  test('a dry run returns the diff and writes nothing', async () => {
    const result = await h.engine.escalate(escalation({ dryRun: true }));
    expect(result.written).toBe(false);
    expect(result.diff).toContain('-\t\t"group:prod": [],');
    // What the tailnet would hold: the edit in canonical form.
    expect(result.diff).toContain('+\t\t"group:prod": ["alice@example.com" /* symtail: until=2026-11-23T18:00:00Z req=r-1 */ ],');
    expect(h.emulator.writes).toBe(0);
    expect(h.emulator.policy).toBe(DEMO_POLICY);
  });

  test('every action emits exactly one audit event with the ETags around the write', async () => {
    await h.engine.escalate(escalation());
    await h.engine.sweep({ action: 'sweep' });
    expect(h.audit).toHaveLength(2);
    expect(h.audit[0]).toMatchObject({
      type: 'symtail.audit',
      action: 'escalate',
      outcome: 'success',
      flow: 'tailscale-ssh-access',
      target: 'main-prod-access',
      tailnet: 'example.com',
      group: 'prod',
      requester: 'alice@example.com',
      login: 'alice@example.com',
      until: '2026-11-23T18:00:00Z',
      reason: 'incident 42',
      requestId: 'r-1',
      etagBefore: expect.stringMatching(/^"[0-9a-f]{64}"$/),
      etagAfter: h.emulator.etag,
    });
    expect(h.audit[1]).toMatchObject({ action: 'sweep', outcome: 'noop' });
  });
});

describe('targets and flows that change the rules', () => {
  test('an exclusive target loses its unannotated members at the sweep', async () => {
    const policy = DEMO_POLICY.replace('"group:prod": [],', '"group:prod": ["mallory@example.com"],');
    h = await startHarness({
      policy,
      manifest: (url) => exampleManifest(url, { prod: { exclusive: true } }),
    });
    await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
  });

  test('a target that may create its group adds it when the file lacks it', async () => {
    const policy = DEMO_POLICY.replace('\t\t"group:prod": [],\n', '');
    h = await startHarness({
      policy,
      manifest: (url) => exampleManifest(url, { prod: { createGroup: true } }),
    });
    const result = await h.engine.escalate(escalation());
    expect(result.changes.map((c) => c.kind)).toEqual(expect.arrayContaining(['group-created']));
    expect(h.emulator.policy).toContain('"group:prod": [');
  });

  test('a group missing from the file fails clearly and writes nothing', async () => {
    h = await startHarness({ policy: DEMO_POLICY.replace('\t\t"group:prod": [],\n', '') });
    await expect(h.engine.escalate(escalation())).rejects.toThrow(/group:prod/);
    expect(h.emulator.writes).toBe(0);
    expect(h.audit).toEqual([expect.objectContaining({ action: 'escalate', outcome: 'failed' })]);
  });

  test('the sweep leaves groups whose flows do not schedule de-escalation', async () => {
    h = await startHarness({ manifest: (url) => exampleManifest(url, { flow: { scheduleDeescalation: false } }) });
    await h.engine.escalate(escalation({ duration: '30m' }));
    h.clock.now = minutes(120);
    const before = h.emulator.policy;
    await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.policy).toBe(before);
  });
});

describe('the sweep and annotations no flow could have written', () => {
  test('removes a grant that ends past now plus the longest duration any flow gives the group, and audits why', async () => {
    const forged = DEMO_POLICY.replace('"group:prod": [],', '"group:prod": ["mallory@example.com" /* symtail: until=9999-12-31T23:59:59Z */],');
    h = await startHarness({ policy: forged });
    await h.engine.sweep({ action: 'sweep' });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
    expect(h.audit).toEqual([
      expect.objectContaining({
        action: 'sweep',
        outcome: 'success',
        changes: [{ kind: 'removed', group: 'prod', member: 'mallory@example.com', until: '9999-12-31T23:59:59Z', reason: 'past-longest' }],
        warnings: [expect.stringContaining('later than any grant to this group can last')],
      }),
    ]);
  });
});

describe('a sweep over several tailnets', () => {
  /** The example's tailnet beside a second integration `a-second`, whose secret `sym/main/second` reads as `secondSecret` says. */
  function twoIntegrations(policy: string, secondSecret: () => never) {
    return startHarness({
      policy,
      manifest: (url) => {
        const m = exampleManifest(url);
        const healthy = m.integrations['main-tailscale-integration'];
        const second = { ...healthy, name: 'a-second', credential: { kind: 'apiKey' as const, secretId: 'sym/main/second' } };
        return {
          ...m,
          integrations: { 'a-second': second, ...m.integrations },
          strategies: {
            ...m.strategies,
            'a-strategy': { type: 'tailscale' as const, name: 'a-strategy', integration: 'a-second', targets: ['main-staging-access'] },
          },
          flows: { 'a-flow': { ...m.flows['tailscale-ssh-access'], name: 'a-flow', strategy: 'a-strategy' }, ...m.flows },
        };
      },
      engine: { credentials: { get: async (ref) => (ref.secretId === 'sym/main/second' ? secondSecret() : { kind: 'apiKey', apiKey: EMULATOR_API_KEY }) } },
    });
  }
  const expired = DEMO_POLICY.replace('"group:prod": [],', '"group:prod": ["bob@example.com" /* symtail: until=2020-01-01T00:00:00Z */],');

  test('an integration whose secret has no value yet is passed over with one not-set line naming the secret and its command; the sweep answers and the others are swept', async () => {
    h = await twoIntegrations(expired, () => {
      throw new CredentialNotSetError('sym/main/second');
    });
    const setIt =
      'secret sym/main/second has no value yet; set it with: aws secretsmanager put-secret-value --secret-id "sym/main/second" --secret-string "<value>"';
    const answer = await createHandler(h.engine, () => undefined)({ action: 'sweep' });
    expect(answer).toMatchObject({
      ok: true,
      action: 'sweep',
      tailnets: [
        { tailnet: 'example.com', written: false, removed: [], error: { code: 'credential-not-set', message: setIt } },
        { tailnet: 'example.com', written: true, removed: [expect.objectContaining({ member: 'bob@example.com' })] },
      ],
      credentialWarnings: [`integration "a-second" (tailnet example.com): ${setIt}`],
    });
    expect(h.emulator.policy).not.toContain('bob@example.com');
    // One line of its own for the unset secret, and the sweep's, which counts as a sweep that finished.
    expect(h.audit).toEqual([
      {
        type: 'symtail.audit',
        time: T0.toISOString(),
        action: 'credential-check',
        outcome: 'not-set',
        integration: 'a-second',
        tailnet: 'example.com',
        error: { code: 'credential-not-set', message: setIt },
      },
      expect.objectContaining({ action: 'sweep', outcome: 'success', changes: [expect.objectContaining({ member: 'bob@example.com' })] }),
    ]);
  });

  test('one integration that fails does not keep expired grants alive on the others, and the invocation fails', async () => {
    h = await twoIntegrations(expired, () => {
      throw new CredentialError('secret sym/main/second: GetSecretValue failed (ResourceNotFoundException)');
    });
    // The invocation fails, so Lambda counts an error and retries; the audit line says what was done all the same.
    await expect(createHandler(h.engine, () => undefined)({ action: 'sweep' })).rejects.toMatchObject({
      code: 'sweep-incomplete',
      message: expect.stringContaining('integration "a-second" (tailnet example.com): secret sym/main/second: GetSecretValue failed'),
    });
    expect(h.emulator.policy).toBe(DEMO_POLICY);
    expect(h.audit).toEqual([
      expect.objectContaining({ action: 'sweep', outcome: 'failed', changes: [expect.objectContaining({ member: 'bob@example.com' })] }),
    ]);
  });
});

test('impact reads what joining a target’s group grants from the policy file as it is now', async () => {
  h = await startHarness();
  const impact = await h.engine.impact('tailscale-ssh-access', 'main-prod-access');
  expect(impact?.group).toBe('group:prod');
  expect(impact?.rules.length).toBeGreaterThan(0);
  expect(h.emulator.writes).toBe(0);
});
