import fc from 'fast-check';
import { SlackError, slackSignature, verifySlackSignature } from '../../lib/slack';
import { slackFixtures } from './fixtures';

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

const EXAMPLE = slackFixtures().signingExample;
const SECRET = EXAMPLE.signingSecret;

test("Slack's published example: the signature of its body is the one Slack's guide gives, and it verifies at its own time only", () => {
  const body = Buffer.from(EXAMPLE.body, 'utf8');
  expect(slackSignature(EXAMPLE.signingSecret, EXAMPLE.timestamp, body)).toBe(EXAMPLE.signature);
  const signedAt = Number(EXAMPLE.timestamp) * 1000;
  const example = { signature: EXAMPLE.signature, timestamp: EXAMPLE.timestamp, body };
  expect(codeOf(() => verifySlackSignature(EXAMPLE.signingSecret, example, signedAt + 60_000))).toBe('accepted');
  expect(codeOf(() => verifySlackSignature(EXAMPLE.signingSecret, example, Date.now()))).toBe('slack-timestamp-stale');
  const tampered = { ...example, body: Buffer.from(EXAMPLE.body.replace('user_id=U2CERLKJA', 'user_id=U2CERLKJB'), 'utf8') };
  expect(codeOf(() => verifySlackSignature(EXAMPLE.signingSecret, tampered, signedAt))).toBe('slack-signature-invalid');
});

const body = Buffer.from('payload=%7B%22type%22%3A%22block_actions%22%7D');
const signed = { signature: slackSignature(SECRET, NOW, body), timestamp: NOW, body };

const CASES: [string, Partial<typeof signed>, number, string][] = [
  ['a valid signature', {}, NOW_MS, 'accepted'],
  [
    'a timestamp 4m59s old',
    { timestamp: String(NOW_MS / 1000 - 299), signature: slackSignature(SECRET, String(NOW_MS / 1000 - 299), body) },
    NOW_MS,
    'accepted',
  ],
  [
    'a timestamp 6 minutes old, correctly signed',
    { timestamp: String(NOW_MS / 1000 - 360), signature: slackSignature(SECRET, String(NOW_MS / 1000 - 360), body) },
    NOW_MS,
    'slack-timestamp-stale',
  ],
  [
    'a timestamp 6 minutes ahead',
    { timestamp: String(NOW_MS / 1000 + 360), signature: slackSignature(SECRET, String(NOW_MS / 1000 + 360), body) },
    NOW_MS,
    'slack-timestamp-stale',
  ],
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
