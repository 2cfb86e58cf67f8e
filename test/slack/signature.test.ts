import fc from 'fast-check';
import { SlackError, slackSignature, verifySlackSignature } from '../../lib/slack';

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const NOW_MS = 1_700_000_000_000;
const NOW = String(NOW_MS / 1000);

function codeOf(run: () => void): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (error instanceof SlackError) return error.code;
    throw error;
  }
}

test("matches Slack's documented example signature", () => {
  // From Slack's "Verifying requests from Slack" guide.
  const body = Buffer.from(
    'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  );
  expect(slackSignature(SECRET, '1531420618', body)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
});

const body = Buffer.from('payload=%7B%22type%22%3A%22block_actions%22%7D');
const signed = { signature: slackSignature(SECRET, NOW, body), timestamp: NOW, body };

const CASES: [string, Partial<typeof signed>, number, string][] = [
  ['a valid signature', {}, NOW_MS, 'accepted'],
  ['a timestamp 4m59s old', { timestamp: String(NOW_MS / 1000 - 299), signature: slackSignature(SECRET, String(NOW_MS / 1000 - 299), body) }, NOW_MS, 'accepted'],
  ['a timestamp 6 minutes old, correctly signed', { timestamp: String(NOW_MS / 1000 - 360), signature: slackSignature(SECRET, String(NOW_MS / 1000 - 360), body) }, NOW_MS, 'slack-timestamp-stale'],
  ['a timestamp 6 minutes ahead', { timestamp: String(NOW_MS / 1000 + 360), signature: slackSignature(SECRET, String(NOW_MS / 1000 + 360), body) }, NOW_MS, 'slack-timestamp-stale'],
  ['a signature under another secret', { signature: slackSignature('another-secret', NOW, body) }, NOW_MS, 'slack-signature-invalid'],
  ['a signature of another timestamp', { timestamp: String(NOW_MS / 1000 - 1) }, NOW_MS, 'slack-signature-invalid'],
  ['no signature header', { signature: undefined }, NOW_MS, 'slack-signature-invalid'],
  ['no timestamp header', { timestamp: undefined }, NOW_MS, 'slack-signature-invalid'],
  ['a v1 signature', { signature: signed.signature.replace('v0=', 'v1=') }, NOW_MS, 'slack-signature-invalid'],
  ['an upper-case hex signature', { signature: signed.signature.toUpperCase().replace('V0=', 'v0=') }, NOW_MS, 'slack-signature-invalid'],
  ['a non-numeric timestamp', { timestamp: '1e9' }, NOW_MS, 'slack-signature-invalid'],
];

test.each(CASES.map(([name, change, now, expected]) => [name, expected, change, now] as const))('%s → %s', (_name, expected, change, now) => {
  expect(codeOf(() => verifySlackSignature(SECRET, { ...signed, ...change }, now))).toBe(expected);
});

test('any change to the signed bytes is refused', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 1, maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), (bytes, at, flip) => {
      const original = Buffer.from(bytes);
      const signature = slackSignature(SECRET, NOW, original);
      const tampered = Buffer.from(original);
      tampered[at % tampered.length] ^= flip;
      expect(codeOf(() => verifySlackSignature(SECRET, { signature, timestamp: NOW, body: original }, NOW_MS))).toBe('accepted');
      expect(codeOf(() => verifySlackSignature(SECRET, { signature, timestamp: NOW, body: tampered }, NOW_MS))).toBe('slack-signature-invalid');
      expect(codeOf(() => verifySlackSignature(SECRET, { signature, timestamp: NOW, body: Buffer.concat([original, Buffer.from('&x=1')]) }, NOW_MS))).toBe(
        'slack-signature-invalid',
      );
    }),
  );
});

test('a refusal never quotes the signing secret or the expected signature', () => {
  const messages: string[] = [];
  for (const change of [{ signature: 'v0=' + '0'.repeat(64) }, { timestamp: '1' }, { signature: 'nonsense' }]) {
    try {
      verifySlackSignature(SECRET, { ...signed, ...change }, NOW_MS);
    } catch (error) {
      messages.push((error as Error).message);
    }
  }
  expect(messages).toHaveLength(3);
  for (const message of messages) {
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(signed.signature.slice(3));
  }
});
