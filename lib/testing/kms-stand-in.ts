import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { readBody, send } from './http-io';

/** A key the stand-in holds: its secret bytes, and what KMS would let it do. */
export interface KmsStandInKey {
  readonly secret: Uint8Array;
  /** @default 'GENERATE_VERIFY_MAC' */
  readonly keyUsage?: 'GENERATE_VERIFY_MAC' | 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
}

/** One call as the stand-in received it. */
export interface RecordedKmsCall {
  /** `GenerateMac`, `VerifyMac`, or whatever else the target header named. */
  readonly operation: string;
  readonly keyId?: string;
  /** The error KMS would answer, when it was one (`KMSInvalidMacException`, `NotFoundException`, ...). */
  readonly error?: string;
}

const OPERATIONS = ['GenerateMac', 'VerifyMac'] as const;
type Operation = (typeof OPERATIONS)[number];
const MAX_BODY = 64 * 1024;
/** KMS's limits on the blobs of these operations, in bytes. */
const MAX_MESSAGE = 4096;
const MAX_MAC = 6144;

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A local stand-in for KMS's HMAC operations, for the AWS SDK pointed here with `AWS_ENDPOINT_URL_KMS`: the AWS JSON
 * 1.1 protocol (`X-Amz-Target: TrentService.GenerateMac` / `TrentService.VerifyMac`, base64 blobs) with real
 * HMAC-SHA-256 under the keys it was given (key ARN → secret). It answers as KMS does: a MAC that does not match is
 * `KMSInvalidMacException` (400), never `MacValid: false`; an unknown key `NotFoundException`; a key not made for
 * MACs, or an algorithm its spec (`HMAC_256`) does not have, `InvalidKeyUsageException`. A call without a SigV4
 * signature for `kms` is refused. Every call is recorded.
 */
export class KmsStandIn {
  readonly calls: RecordedKmsCall[] = [];
  private origin = '';

  private constructor(
    private readonly server: Server,
    private readonly keys: ReadonlyMap<string, KmsStandInKey>,
  ) {}

  /** Starts the stand-in with `keys`, by key ARN: a secret alone is an HMAC key. */
  static async start(keys: Readonly<Record<string, Uint8Array | KmsStandInKey>>): Promise<KmsStandIn> {
    const held = new Map(Object.entries(keys).map(([arn, key]) => [arn, key instanceof Uint8Array ? { secret: key } : key]));
    let standIn!: KmsStandIn;
    const server = createServer((req, res) => void standIn.handle(req, res));
    standIn = new KmsStandIn(server, held);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    standIn.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return standIn;
  }

  get url(): string {
    return this.origin;
  }

  /** How many calls of `operation` were made (answered or refused). */
  count(operation: string): number {
    return this.calls.filter((c) => c.operation === operation).length;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('TrentService.') ? target.slice('TrentService.'.length) : target;
    let keyId: string | undefined;
    try {
      const read = await readBody(req, MAX_BODY);
      if (!/\bCredential=[^/]+\/\d{8}\/[^/]+\/kms\/aws4_request\b/.test(String(req.headers.authorization ?? ''))) {
        throw new KmsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (req.method !== 'POST' || !OPERATIONS.includes(operation as Operation)) throw new KmsFault('UnknownOperationException', '');
      if (read.kind !== 'text') throw new KmsFault('SerializationException', 'the body is not UTF-8 JSON of at most 64 KB');
      const input = parseInput(read.text);
      keyId = input.KeyId as string | undefined;
      const answer = this.answer(operation as Operation, input);
      this.calls.push({ operation, keyId });
      reply(res, 200, answer);
    } catch (error) {
      const fault = error instanceof KmsFault ? error : new KmsFault('KMSInternalException', String(error));
      this.calls.push({ operation, ...(keyId === undefined ? {} : { keyId }), error: fault.type });
      reply(res, fault.type === 'KMSInternalException' ? 500 : 400, { __type: fault.type, message: fault.message });
    }
  }

  private answer(operation: Operation, input: Record<string, unknown>): Record<string, unknown> {
    const keyId = required(input, 'KeyId', 'keyId');
    if (keyId.length > 2048) throw validation('keyId', 'Member must have length less than or equal to 2048');
    const algorithm = required(input, 'MacAlgorithm', 'macAlgorithm');
    if (!['HMAC_SHA_224', 'HMAC_SHA_256', 'HMAC_SHA_384', 'HMAC_SHA_512'].includes(algorithm)) {
      throw validation('macAlgorithm', 'Member must satisfy enum value set: [HMAC_SHA_384, HMAC_SHA_256, HMAC_SHA_224, HMAC_SHA_512]');
    }
    const message = blob(input, 'Message', 'message', MAX_MESSAGE);
    const mac = operation === 'VerifyMac' ? blob(input, 'Mac', 'mac', MAX_MAC) : undefined;
    const [arn, key] = this.key(keyId);
    if ((key.keyUsage ?? 'GENERATE_VERIFY_MAC') !== 'GENERATE_VERIFY_MAC') {
      throw new KmsFault('InvalidKeyUsageException', `${arn} key usage is ${key.keyUsage} which is not valid for ${operation}.`);
    }
    if (algorithm !== 'HMAC_SHA_256') throw new KmsFault('InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec HMAC_256.`);
    const expected = createHmac('sha256', key.secret).update(message).digest();
    if (mac === undefined) return { KeyId: arn, Mac: expected.toString('base64'), MacAlgorithm: algorithm };
    if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) throw new KmsFault('KMSInvalidMacException', '');
    return { KeyId: arn, MacValid: true, MacAlgorithm: algorithm };
  }

  /** The key a `KeyId` names: its ARN, or the key id the ARN ends with. */
  private key(keyId: string): [string, KmsStandInKey] {
    for (const [arn, key] of this.keys) if (arn === keyId || arn.endsWith(`:key/${keyId}`)) return [arn, key];
    throw new KmsFault('NotFoundException', `Key '${keyId}' does not exist`);
  }
}

function reply(res: ServerResponse, status: number, body: object): void {
  send(res, status, JSON.stringify(body), { 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-RequestId': randomUUID() });
}

function parseInput(text: string): Record<string, unknown> {
  let input: unknown;
  try {
    input = JSON.parse(text === '' ? '{}' : text);
  } catch {
    throw new KmsFault('SerializationException', 'the body is not JSON');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new KmsFault('SerializationException', 'the body is not a JSON object');
  return input as Record<string, unknown>;
}

function validation(member: string, constraint: string): KmsFault {
  return new KmsFault('ValidationException', `1 validation error detected: Value at '${member}' failed to satisfy constraint: ${constraint}`);
}

function required(input: Record<string, unknown>, field: string, member: string): string {
  const value = input[field];
  if (value === undefined || value === null) throw validation(member, 'Member must not be null');
  if (typeof value !== 'string' || value === '') throw validation(member, 'Member must have length greater than or equal to 1');
  return value;
}

/** A base64 blob of 1 to `max` bytes. */
function blob(input: Record<string, unknown>, field: string, member: string, max: number): Buffer {
  const text = required(input, field, member);
  const bytes = Buffer.from(text, 'base64');
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) throw new KmsFault('SerializationException', `${field}: not base64`);
  if (bytes.length > max) throw validation(member, `Member must have length less than or equal to ${max}`);
  return bytes;
}
