import { SlackError } from './errors';
import { SignedBody } from './signature';

/**
 * One request from Slack as the front door received it, passed on to the runtime unchanged: the signature headers
 * and the body's exact bytes, so the runtime can check the signature again itself.
 */
export interface SlackDelivery {
  /** `X-Slack-Signature`. */
  readonly signature?: string;
  /** `X-Slack-Request-Timestamp`. */
  readonly timestamp?: string;
  /** `X-Slack-Retry-Num`, on Slack's retries. */
  readonly retryNum?: string;
  /** The raw body, base64. */
  readonly body: string;
}

/** The event the front door invokes the runtime with: the delivery, nothing else. */
export interface SlackHandOff {
  readonly action: 'slack';
  readonly delivery: SlackDelivery;
}

/** Whether an event is meant as a Slack hand-off (`action: "slack"`); {@link handOffOf} then checks its shape. */
export function isSlackHandOff(event: unknown): boolean {
  return typeof event === 'object' && event !== null && (event as { action?: unknown }).action === 'slack';
}

/** The delivery in a hand-off event, its fields checked for type; nothing in it is trusted until the signature is. */
export function handOffOf(event: unknown): SlackDelivery {
  const delivery = (event as { delivery?: unknown }).delivery;
  if (typeof delivery !== 'object' || delivery === null) throw new SlackError('slack-payload-invalid', 'delivery: expected an object');
  const { signature, timestamp, retryNum, body } = delivery as Record<string, unknown>;
  for (const [field, value] of Object.entries({ signature, timestamp, retryNum })) {
    if (value !== undefined && typeof value !== 'string') throw new SlackError('slack-payload-invalid', `delivery.${field}: expected text`);
  }
  if (typeof body !== 'string') throw new SlackError('slack-payload-invalid', 'delivery.body: expected base64 text');
  return {
    ...(signature !== undefined && { signature: signature as string }),
    ...(timestamp !== undefined && { timestamp: timestamp as string }),
    ...(retryNum !== undefined && { retryNum: retryNum as string }),
    body,
  };
}

/** The front door's environment, as synth sets it: which function to hand off to, and where the signing secret is. */
export const FRONT_DOOR_VARIABLES = {
  /** Name or ARN of the runtime function. */
  runtimeFunction: 'SYMTAIL_RUNTIME_FUNCTION',
  /** Secrets Manager id of the signing secret. */
  signingSecretId: 'SYMTAIL_SLACK_SIGNING_SECRET',
  /** When set, the secret is JSON and the signing secret is this key of it. */
  signingSecretKey: 'SYMTAIL_SLACK_SIGNING_SECRET_KEY',
  /** When set, the region whose Secrets Manager holds the signing secret. */
  signingSecretRegion: 'SYMTAIL_SLACK_SIGNING_SECRET_REGION',
} as const;

/** The part of a Lambda function URL event the front door reads. Function URLs lower-case header names. */
export interface FunctionUrlEvent {
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly body?: string;
  readonly isBase64Encoded?: boolean;
}

/** Slack bodies are small forms; anything near this is not Slack. */
export const MAX_SLACK_BODY_BYTES = 64 * 1024;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The delivery in a function URL event. A form body arrives base64-encoded; either way the bytes are what Slack signed. */
export function deliveryFromFunctionUrl(event: FunctionUrlEvent): SlackDelivery {
  const headers = event.headers ?? {};
  const raw = event.body ?? '';
  const body = event.isBase64Encoded ? raw : Buffer.from(raw, 'utf8').toString('base64');
  const delivery: SlackDelivery = {
    signature: headers['x-slack-signature'],
    timestamp: headers['x-slack-request-timestamp'],
    ...(headers['x-slack-retry-num'] !== undefined && { retryNum: headers['x-slack-retry-num'] }),
    body,
  };
  bodyBytes(delivery);
  return delivery;
}

/** The delivery's body as bytes, refusing what is not base64 or too large to be Slack's. */
export function bodyBytes(delivery: SlackDelivery): Buffer {
  if (typeof delivery.body !== 'string' || !BASE64.test(delivery.body)) {
    throw new SlackError('slack-payload-invalid', 'body: expected base64 text');
  }
  const bytes = Buffer.from(delivery.body, 'base64');
  if (bytes.length > MAX_SLACK_BODY_BYTES) {
    throw new SlackError('slack-payload-invalid', `body: ${bytes.length} bytes, expected at most ${MAX_SLACK_BODY_BYTES}`);
  }
  return bytes;
}

/**
 * Whether a delivery is Slack's URL check: a form with `ssl_check=1`, which Slack posts to a slash command's URL
 * when it is saved, to see that the certificate is good. Slack may send it unsigned; it only needs a 200. Nothing
 * in it is acted on, so anything else in such a form (a smuggled `payload`) goes nowhere either.
 */
export function isSslCheck(delivery: SlackDelivery): boolean {
  return new URLSearchParams(bodyBytes(delivery).toString('utf8')).get('ssl_check') === '1';
}

/** What the signature check reads from a delivery. */
export function signedBodyOf(delivery: SlackDelivery): SignedBody {
  return { signature: delivery.signature, timestamp: delivery.timestamp, body: bodyBytes(delivery) };
}
