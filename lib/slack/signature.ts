import { createHmac, timingSafeEqual } from 'node:crypto';
import { SlackError } from './errors';

/** How far a request's timestamp may be from now, either way: Slack's own advice, against replays. */
export const MAX_SIGNATURE_AGE_SECONDS = 5 * 60;
const VERSION = 'v0';
const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

/** Slack's v0 signature of a body: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the signing secret. */
export function slackSignature(signingSecret: string, timestamp: string, body: Uint8Array): string {
  const mac = createHmac('sha256', signingSecret);
  mac.update(`${VERSION}:${timestamp}:`);
  mac.update(body);
  return `${VERSION}=${mac.digest('hex')}`;
}

/** What Slack sends to be checked: its two headers and the body's exact bytes. */
export interface SignedBody {
  /** `X-Slack-Signature`. */
  readonly signature: string | undefined;
  /** `X-Slack-Request-Timestamp`, Unix seconds. */
  readonly timestamp: string | undefined;
  readonly body: Uint8Array;
}

/**
 * Throws unless `signed` carries a valid v0 signature of its exact bytes under `signingSecret`, made within
 * five minutes of `nowMs`. The comparison takes the same time whatever bytes differ.
 */
export function verifySlackSignature(signingSecret: string, signed: SignedBody, nowMs: number = Date.now()): void {
  const { signature, timestamp, body } = signed;
  if (timestamp === undefined || !TIMESTAMP.test(timestamp)) {
    throw new SlackError('slack-signature-invalid', 'X-Slack-Request-Timestamp: expected Unix seconds');
  }
  const ageSeconds = Math.abs(nowMs / 1000 - Number(timestamp));
  if (ageSeconds > MAX_SIGNATURE_AGE_SECONDS) {
    throw new SlackError(
      'slack-timestamp-stale',
      `X-Slack-Request-Timestamp: ${Math.round(ageSeconds)} s from now, expected within ${MAX_SIGNATURE_AGE_SECONDS} s (a replay, or a clock far off)`,
    );
  }
  if (signature === undefined || !SIGNATURE.test(signature)) {
    throw new SlackError('slack-signature-invalid', 'X-Slack-Signature: expected "v0=" and 64 hex digits');
  }
  const expected = Buffer.from(slackSignature(signingSecret, timestamp, body));
  if (!timingSafeEqual(expected, Buffer.from(signature))) {
    throw new SlackError('slack-signature-invalid', 'X-Slack-Signature: does not match the body under the signing secret');
  }
}
