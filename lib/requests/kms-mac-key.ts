import type { KMSClient } from '@aws-sdk/client-kms';
import { RecordKeyError } from './errors';
import { MacKey, RecordSeal } from './record-seal';

type Sdk = typeof import('@aws-sdk/client-kms');

const ALGORITHM = 'HMAC_SHA_256';

/**
 * A KMS HMAC key (`HMAC_256`, usage `GENERATE_VERIFY_MAC`) through the AWS SDK v3, which the Lambda runtime provides
 * and `AWS_ENDPOINT_URL_KMS` can point at a local stand-in. The secret never leaves KMS; only a principal the key
 * policy lets call `kms:GenerateMac` can make a MAC that verifies. The SDK is loaded on first use.
 */
export class KmsMacKey implements MacKey {
  private sdk?: Sdk;

  /** @param keyId the key's ARN (as the runtime is given it), id or alias. */
  constructor(
    readonly keyId: string,
    private client?: KMSClient,
  ) {}

  async generateMac(message: Uint8Array): Promise<Uint8Array> {
    const { sdk, client } = this.connect();
    let mac: Uint8Array | undefined;
    try {
      ({ Mac: mac } = await client.send(new sdk.GenerateMacCommand({ KeyId: this.keyId, Message: message, MacAlgorithm: ALGORITHM })));
    } catch (error) {
      throw this.unavailable('GenerateMac', error);
    }
    if (mac === undefined) throw this.unavailable('GenerateMac', new Error('the answer carries no Mac'));
    return mac;
  }

  async verifyMac(message: Uint8Array, mac: Uint8Array): Promise<boolean> {
    const { sdk, client } = this.connect();
    try {
      const out = await client.send(new sdk.VerifyMacCommand({ KeyId: this.keyId, Message: message, Mac: mac, MacAlgorithm: ALGORITHM }));
      return out.MacValid === true;
    } catch (error) {
      // KMS answers a MAC that does not match with this error, not with MacValid: false.
      if ((error as { name?: string }).name === 'KMSInvalidMacException') return false;
      throw this.unavailable('VerifyMac', error);
    }
  }

  private unavailable(operation: string, error: unknown): RecordKeyError {
    const e = error as { name?: string; message?: string };
    return new RecordKeyError(
      'record-key-unavailable',
      `KMS ${operation} with the record key ${this.keyId} failed: ${e.name ?? 'Error'}: ${e.message ?? String(error)}`,
    );
  }

  private connect(): { sdk: Sdk; client: KMSClient } {
    // `require`, not `import()`: the bundle is CommonJS, and the Lambda runtime's SDK resolves through require.
    this.sdk ??= require('@aws-sdk/client-kms') as Sdk;
    this.client ??= new this.sdk.KMSClient({ maxAttempts: 3, requestHandler: { connectionTimeout: 2000, requestTimeout: 5000 } });
    return { sdk: this.sdk, client: this.client };
  }
}

/** A record key that was never configured: every use is refused, so no record is read or written unsealed. */
const MISSING_KEY: MacKey = {
  generateMac: () => Promise.reject(missing()),
  verifyMac: () => Promise.reject(missing()),
};

function missing(): RecordKeyError {
  return new RecordKeyError(
    'record-key-missing',
    'the runtime has a requests table but no record key: SYMTAIL_RECORD_KEY must name the ARN of its KMS HMAC key (a misdeployment); no request is read or written without it',
  );
}

/** The runtime's record seal: its KMS key named by `keyArn` (`SYMTAIL_RECORD_KEY`), or, without one, a refusal. */
export function kmsRecordSeal(keyArn: string | undefined): RecordSeal {
  return new RecordSeal(keyArn === undefined || keyArn === '' ? MISSING_KEY : new KmsMacKey(keyArn));
}
