import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { MacKey, RECORD_KEY_VARIABLE, RecordSeal } from '../requests';
import { FUNCTION_ACCOUNT } from './function-url-events';
import { KmsStandIn } from './kms-stand-in';

/**
 * The record key of the tests, the demo and the benchmarks: a KMS HMAC key's ARN, and the secret a KMS stand-in
 * holds for it. Deterministic, so a record sealed in one process verifies in another.
 */
export const LOCAL_RECORD_KEY = {
  arn: `arn:aws:kms:us-east-1:${FUNCTION_ACCOUNT}:key/5e4a1c3b-0d2f-4e6a-8b7c-9d0e1f2a3b4c`,
  secret: createHash('sha256').update('symtail local record key').digest(),
} as const;

/** HMAC-SHA-256 under a secret held in this process: what a KMS HMAC key computes, without a server. */
export class LocalMacKey implements MacKey {
  constructor(private readonly secret: Uint8Array = LOCAL_RECORD_KEY.secret) {}

  async generateMac(message: Uint8Array): Promise<Uint8Array> {
    return createHmac('sha256', this.secret).update(message).digest();
  }

  async verifyMac(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const expected = await this.generateMac(message);
    return mac.length === expected.length && timingSafeEqual(mac, expected);
  }
}

/** A record seal over a {@link LocalMacKey}, for tests of the requests core in one process. */
export function localRecordSeal(secret?: Uint8Array): RecordSeal {
  return new RecordSeal(new LocalMacKey(secret));
}

/** A KMS stand-in holding the {@link LOCAL_RECORD_KEY}. */
export function recordKeyStandIn(): Promise<KmsStandIn> {
  return KmsStandIn.start({ [LOCAL_RECORD_KEY.arn]: LOCAL_RECORD_KEY.secret });
}

/** The runtime's environment variable naming its record key, as the constructs set it. */
export function recordKeyEnvironment(arn: string = LOCAL_RECORD_KEY.arn): Record<string, string> {
  return { [RECORD_KEY_VARIABLE]: arn };
}
