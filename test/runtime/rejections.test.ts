import { createHandler } from '../../lib/runtime/lambda/create-handler';
import { Harness, escalation, startHarness, exampleManifest } from './harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(() => h.stop());

function handler() {
  return createHandler(h.engine, (e) => h.audit.push(e));
}

const HOSTILE_EMAILS: [string, string][] = [
  ['a double quote', 'a"b@example.com'],
  ['a backslash', 'a\\b@example.com'],
  ['a newline', 'a\nb@example.com'],
  ['a line comment', 'a//b@example.com'],
  ['a block comment', 'a/*b@example.com'],
  ['a comment close', 'a*/b@example.com'],
  ['a group', 'group:x@example.com'],
  ['a tag', 'tag:x@example.com'],
  ['an autogroup', 'autogroup:member@example.com'],
  ['a wildcard', '*@example.com'],
  ['an empty string', ''],
  ['300 characters', `${'a'.repeat(290)}@example.com`],
  ['NUL', 'a\u0000b@example.com'],
  ['ESC', 'a\u001bb@example.com'],
  ['a right-to-left override', 'a\u202eb@example.com'],
  ['a line separator', 'a\u2028b@example.com'],
  ['a zero-width space', 'a\u200bb@example.com'],
];

describe('requests refused before any API call', () => {
  test.each(HOSTILE_EMAILS)('a requester email with %s is rejected with no request to the API', async (_name, email) => {
    const result = await handler()(escalation({ requester: { email } }));
    expect(result).toMatchObject({ ok: false, error: { code: expect.stringMatching(/^(invalid-event|invalid-email|invalid-login)$/) } });
    expect(h.emulator.requests).toHaveLength(0);
  });

  test.each(HOSTILE_EMAILS.filter(([, e]) => e !== ''))('an identity override to a login with %s is rejected with no request', async (_name, login) => {
    await h.stop();
    h = await startHarness({
      manifest: (url) => {
        const m = exampleManifest(url);
        const integration = m.integrations['main-tailscale-integration'];
        // A manifest edited after synth: the runtime must not trust even its own override map.
        return { ...m, integrations: { 'main-tailscale-integration': { ...integration, identityOverrides: { 'alice@example.com': login } } } };
      },
    });
    const result = await handler()(escalation());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-login', message: expect.stringContaining('identityOverrides') } });
    expect(h.emulator.requests).toHaveLength(0);
  });

  test.each([
    ['an unknown flow', escalation({ flow: 'nope' }), 'unknown-flow', 'flow: no flow named "nope"'],
    [
      'an unknown target',
      escalation({ target: 'main-dev-access' }),
      'unknown-target',
      'target: flow "tailscale-ssh-access" has no target named "main-dev-access"',
    ],
    ['a duration over the flow maximum', escalation({ duration: '2h' }), 'invalid-request', 'duration: flow "tailscale-ssh-access" allows 30m or 1h, got "2h"'],
    ['a duration not among the choices', escalation({ duration: '45m' }), 'invalid-request', 'allows 30m or 1h'],
    ['a missing reason', escalation({ reason: undefined }), 'invalid-request', 'reason: flow "tailscale-ssh-access" requires a reason'],
    ['a blank reason', escalation({ reason: '   ' }), 'invalid-request', 'requires a reason'],
    ['an event without action', { flow: 'f' }, 'invalid-event', 'event.action: expected one of'],
    ['an event that is not an object', 'escalate', 'invalid-event', 'event: expected a JSON object'],
    ['an event with an unknown field', { ...escalation(), role: 'admin' }, 'invalid-event', 'event: unknown field "role"'],
    ['a malformed requester', escalation({ requester: 'alice@example.com' }), 'invalid-event', 'event.requester: must be object'],
    ['a request id that would break the annotation', escalation({ requestId: 'x */ "evil@x"' }), 'invalid-event', 'event.requestId'],
    ['a status for an unknown flow', { action: 'status', flow: 'nope' }, 'unknown-flow', 'no flow named "nope"'],
  ])('%s is rejected with a clear error and no request', async (_name, event, code, message) => {
    const result = await handler()(event);
    expect(result).toEqual({ ok: false, error: { code, message: expect.stringContaining(message) } });
    expect(h.emulator.requests).toHaveLength(0);
    expect(h.audit).toEqual([expect.objectContaining({ outcome: 'rejected', error: expect.objectContaining({ code }) })]);
  });

  test('a direct event 200,000 levels deep is refused naming the limit, without walking it', async () => {
    let action: unknown = 'escalate';
    for (let i = 0; i < 200_000; i++) action = [action];
    expect(await handler()({ action })).toEqual({ ok: false, error: { code: 'input-too-deep', message: 'event: nested deeper than the limit of 32 levels' } });
    expect(h.audit).toEqual([expect.objectContaining({ action: 'invalid', outcome: 'rejected' })]);
    expect(h.emulator.requests).toHaveLength(0);
  });

  test.each([
    ['a function URL event', { version: '2.0', requestContext: { http: { method: 'POST' } } }],
    ['a Slack hand-off', { action: 'slack', delivery: {} }],
  ])('%s whose envelope nests deeper than 32 levels is refused before its route reads it', async (_name, envelope) => {
    let deep: unknown = {};
    for (let i = 0; i < 40; i++) deep = { deep };
    const routed: unknown[] = [];
    const route = { matches: () => true, handle: async (e: unknown) => (routed.push(e), { ok: true }) as never };
    const answer = await createHandler(h.engine, (e) => h.audit.push(e), undefined, { routes: [route] })({ ...envelope, deep });
    expect(answer).toMatchObject({ ok: false, error: { code: 'input-too-deep' } });
    expect(routed).toEqual([]);
  });

  test('a requester outside the allowed list is denied with no request', async () => {
    await h.stop();
    h = await startHarness({ manifest: (url) => exampleManifest(url, { flow: { allowedRequesters: ['@corp.example', 'bob@example.com'] } }) });
    expect(await handler()(escalation())).toMatchObject({
      ok: false,
      error: { code: 'denied', message: expect.stringContaining('alice@example.com is not an allowed requester') },
    });
    expect(h.emulator.requests).toHaveLength(0);
    expect(await handler()(escalation({ requester: { email: 'Bob@Example.com' } }))).toMatchObject({ ok: true });
    expect(await handler()(escalation({ requester: { email: 'zoe@CORP.example' }, requestId: 'r-2' }))).toMatchObject({ ok: true });
  });

  test.each([
    ['a Kelvin sign that lower-cases to k', '\u212Aevin@example.com', 'U+212A at position 0'],
    ['a dotless i', 'al\u0131ce@example.com', 'U+0131 at position 2'],
    ['a long s', 'ro\u017Fs@example.com', 'U+017F at position 2'],
    ['a Cyrillic a', '\u0430lice@example.com', 'U+0430 at position 0'],
  ])('a requester email with %s is refused as not ASCII, even where the allowed list would match it folded', async (_name, email, where) => {
    await h.stop();
    h = await startHarness({
      manifest: (url) => {
        const m = exampleManifest(url, { flow: { allowedRequesters: ['kevin@example.com', 'alice@example.com', 'ross@example.com'] } });
        const integration = m.integrations['main-tailscale-integration'];
        return { ...m, integrations: { 'main-tailscale-integration': { ...integration, identityOverrides: { 'kevin@example.com': 'admin@example.com' } } } };
      },
    });
    for (const event of [
      escalation({ requester: { email } }),
      { action: 'deescalate', flow: 'tailscale-ssh-access', target: 'main-prod-access', requester: { email } },
    ]) {
      expect(await handler()(event)).toEqual({
        ok: false,
        error: {
          code: 'invalid-email',
          message: `requester.email: expected printable ASCII only, got ${where}; letters outside ASCII can fold into another person's address`,
        },
      });
    }
    expect(h.emulator.requests).toHaveLength(0);
  });

  test('a flow that does not allow revoking refuses de-escalation with no request', async () => {
    await h.stop();
    h = await startHarness({ manifest: (url) => exampleManifest(url, { flow: { allowRevoke: false } }) });
    const result = await handler()({
      action: 'deescalate',
      flow: 'tailscale-ssh-access',
      target: 'main-prod-access',
      requester: { email: 'alice@example.com' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'revoke-not-allowed', message: expect.stringContaining('allowRevoke is false') } });
    expect(h.emulator.requests).toHaveLength(0);
  });
});
