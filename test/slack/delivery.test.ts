import { bodyBytes, deliveryFromFunctionUrl, handOffOf, MAX_SLACK_BODY_BYTES, SlackError } from '../../lib/slack';

const form = 'payload=%7B%7D';

test('a base64 body and a text body give the same delivery bytes', () => {
  const headers = { 'x-slack-signature': 'v0=ab', 'x-slack-request-timestamp': '1' };
  const encoded = deliveryFromFunctionUrl({ headers, body: Buffer.from(form).toString('base64'), isBase64Encoded: true });
  const text = deliveryFromFunctionUrl({ headers, body: form, isBase64Encoded: false });
  expect(encoded).toEqual(text);
  expect(bodyBytes(encoded).toString('utf8')).toBe(form);
  expect(deliveryFromFunctionUrl({ headers: { ...headers, 'x-slack-retry-num': '2' }, body: form }).retryNum).toBe('2');
});

function refusal(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (error) {
    if (!(error instanceof SlackError)) throw error;
    return `${error.code}: ${error.message}`;
  }
}

test.each([
  ['no delivery', { action: 'slack' }, 'slack-payload-invalid: delivery: expected an object'],
  [
    'a numeric timestamp',
    { action: 'slack', delivery: { timestamp: 1700000000, signature: 'v0=', body: '' } },
    'slack-payload-invalid: delivery.timestamp: expected text',
  ],
  ['a body that is not text', { action: 'slack', delivery: { body: { form } } }, 'slack-payload-invalid: delivery.body: expected base64 text'],
])('a hand-off with %s is refused: %s', (_name, event, expected) => {
  expect(refusal(() => handOffOf(event))).toBe(expected);
});

test('a body that is not base64, or larger than any Slack request, is refused', () => {
  expect(refusal(() => bodyBytes({ body: 'not base64!' }))).toBe('slack-payload-invalid: body: expected base64 text');
  const large = Buffer.alloc(MAX_SLACK_BODY_BYTES + 1, 97).toString('base64');
  expect(refusal(() => bodyBytes({ body: large }))).toBe(
    `slack-payload-invalid: body: ${MAX_SLACK_BODY_BYTES + 1} bytes, expected at most ${MAX_SLACK_BODY_BYTES}`,
  );
});
