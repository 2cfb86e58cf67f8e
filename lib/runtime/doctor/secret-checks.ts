import type { SecretRef } from '../../manifest';
import { describeError } from '../errors';
import { SecretsManagerSource, secretsManagerSdk } from '../credentials';
import { CheckLine, failed, passed } from './checklist';

/**
 * What Secrets Manager answered for a secret. `not-set`: the secret exists but holds no value yet (created by the
 * deployment, waiting for `put-secret-value`); `missing`: there is no such secret; `refused`: the function may not
 * read or decrypt it.
 */
export type SecretReading =
  | { readonly kind: 'set'; readonly text: string }
  | { readonly kind: 'not-set' }
  | { readonly kind: 'missing' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'unreadable'; readonly reason: string };

/** Reads a secret for the check, saying why it could not; never cached, so the check sees what is there now. */
export interface SecretProbe {
  read(ref: SecretRef): Promise<SecretReading>;
}

/** The runtime's Secrets Manager clients, asked directly, so the answer's kind of failure is not lost. */
export class SecretsManagerProbe implements SecretProbe {
  constructor(private readonly source: SecretsManagerSource) {}

  async read(ref: SecretRef): Promise<SecretReading> {
    const sdk = secretsManagerSdk();
    let out;
    try {
      out = await this.source.clientFor(ref.region).send(new sdk.GetSecretValueCommand({ SecretId: ref.secretId }));
    } catch (error) {
      return readingOfFailure(error);
    }
    if (typeof out.SecretString === 'string' && out.SecretString !== '') return { kind: 'set', text: out.SecretString };
    return out.SecretBinary === undefined ? { kind: 'not-set' } : { kind: 'unreadable', reason: 'it holds binary data; symtail reads a string' };
  }
}

/**
 * Secrets Manager answers `ResourceNotFoundException` both for a secret that does not exist ("can't find the
 * specified secret") and for one that has no value yet ("can't find the specified secret value for staging label:
 * AWSCURRENT"); only the message tells them apart.
 */
export function readingOfFailure(error: unknown): SecretReading {
  const { name = 'Error', message = '' } = error as { name?: string; message?: string };
  if (name === 'ResourceNotFoundException') return /secret value|staging label/i.test(message) ? { kind: 'not-set' } : { kind: 'missing' };
  if (name === 'AccessDeniedException') return { kind: 'refused', reason: 'the function may not read it (AccessDeniedException)' };
  if (name === 'DecryptionFailure') return { kind: 'refused', reason: 'it cannot be decrypted with its KMS key (DecryptionFailure)' };
  if (name === 'InvalidRequestException' && /deletion/i.test(message)) return { kind: 'unreadable', reason: 'it is scheduled for deletion' };
  return { kind: 'unreadable', reason: `GetSecretValue failed (${name})` };
}

/** One use of a secret: what its line is called, what value it must hold, and how that value is read. */
export interface SecretUse<T> {
  readonly id: string;
  readonly ref: SecretRef;
  /** What the value is, e.g. `a Tailscale API key`. */
  readonly what: string;
  /** An example value for the fix, e.g. `tskey-api-…`; a `jsonKey` wraps it. */
  readonly example: string;
  /** Turns the text into what the runtime uses; throws (naming the secret, never its value) when it cannot. */
  readonly parse: (ref: SecretRef, text: string) => T;
}

/** The line for one secret and, when it holds a usable value, that value. */
export async function checkSecret<T>(probe: SecretProbe, use: SecretUse<T>): Promise<{ line: CheckLine; value?: T }> {
  const { id, ref } = use;
  const name = ref.jsonKey === undefined ? ref.secretId : `${ref.secretId} (key "${ref.jsonKey}")`;
  const reading = await probe.read(ref);
  switch (reading.kind) {
    case 'set':
      try {
        return { line: passed(id, `${name} holds ${use.what}`), value: use.parse(ref, reading.text) };
      } catch (error) {
        return { line: failed(id, describeError(error).message, `put ${use.what} in it: ${putValue(use)}`) };
      }
    case 'not-set':
      return { line: failed(id, `${ref.secretId} exists but has no value yet`, `put ${use.what} in it: ${putValue(use)}`) };
    case 'missing':
      return {
        line: failed(
          id,
          `${ref.secretId} does not exist${ref.region === undefined ? '' : ` in ${ref.region}`}`,
          'terraform apply creates the secrets the stack declares; an imported secret must exist under the name or ARN given',
        ),
      };
    case 'refused':
      return {
        line: failed(
          id,
          `${ref.secretId}: ${reading.reason}`,
          "the runtime's role reads the secrets its flows name, decrypting with the keys given in kmsKeyArns: add the secret's KMS key there, then terraform apply",
        ),
      };
    case 'unreadable':
      return { line: failed(id, `${ref.secretId}: ${reading.reason}`, 'look at the secret in the Secrets Manager console, then run symtail doctor again') };
  }
}

/** `aws secretsmanager put-secret-value …` with an example of the expected value. */
function putValue(use: SecretUse<unknown>): string {
  const { ref, example } = use;
  const value = ref.jsonKey === undefined ? example : `{"${ref.jsonKey}":${example.startsWith('{') ? example : JSON.stringify(example)}}`;
  return `aws secretsmanager put-secret-value --secret-id ${ref.secretId}${ref.region === undefined ? '' : ` --region ${ref.region}`} --secret-string '${value}'`;
}
