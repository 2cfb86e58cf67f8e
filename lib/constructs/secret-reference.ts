import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { TerraformStack, Token } from 'cdktf';
import { Construct, IConstruct } from 'constructs';
import type { SecretRef } from '../manifest';
import { SymSecrets } from './sym-secrets';
import { TextRule } from './text-rules';
import { describeValue, PropProblems } from './validation';

/** Sym's `sym_secret` settings. */
export interface SymSecretSettings {
  /**
   * Sym's `settings.json_key`: the secret value is JSON and the credential is this key of it.
   * @default the whole value is the credential
   */
  readonly jsonKey?: string;
}

/** A Secrets Manager secret the runtime may read: created by {@link SymSecret}, or an existing one imported by ARN or name. */
export interface ISymSecret extends IConstruct {
  /** The `sym_secrets` source (and so the environment) the secret belongs to. */
  readonly source: SymSecrets;
  /** What the runtime passes to `GetSecretValue`: the secret's name or ARN, known at synth. */
  readonly secretId: string;
  /** The secret's ARN for the runtime's IAM policy (a Terraform reference unless imported by ARN). */
  readonly secretArn: string;
  /** The region that holds the secret, when known at synth: an imported ARN's, or a literal `region` of its provider. */
  readonly region?: string;
  /** See {@link SymSecretSettings.jsonKey}. */
  readonly jsonKey?: string;
  /** KMS key the secret is encrypted with, when it is not the account's default key. */
  readonly kmsKeyId?: string;
}

const JSON_KEY: TextRule = { pattern: /^[^\u0000-\u001f]{1,256}$/, expected: 'a JSON key of 1 to 256 printable characters' };
const KMS_KEY_ID: TextRule = {
  pattern: /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/[A-Za-z0-9/_-]+|alias\/[A-Za-z0-9/_-]+|[A-Za-z0-9-]+)$/,
  expected: 'a KMS key id, key ARN or alias',
};

/** Checks `settings.jsonKey`; returns it when valid. */
export function checkedJsonKey(problems: PropProblems, settings: SymSecretSettings | undefined): string | undefined {
  if (settings?.jsonKey === undefined) return undefined;
  return problems.literal('settings.jsonKey', settings.jsonKey, JSON_KEY);
}

/** Checks that `source` is a {@link SymSecrets}. */
export function checkedSource(problems: PropProblems, source: unknown): SymSecrets {
  if (!(source instanceof SymSecrets)) problems.add('source', `expected a SymSecrets, got ${describeValue(source)}`);
  return source as SymSecrets;
}

/** Checks `kmsKeyId`: a key id, key ARN or alias, or a Terraform reference to one. */
export function checkedKmsKeyId(problems: PropProblems, kmsKeyId: unknown): string | undefined {
  if (kmsKeyId === undefined) return undefined;
  return problems.literalOrReference('kmsKeyId', kmsKeyId, KMS_KEY_ID);
}

/** How the manifest names a secret: its id, with the region its client must use when that is known. */
export function manifestSecretRef(secret: ISymSecret): SecretRef {
  return {
    secretId: secret.secretId,
    ...(secret.region !== undefined && { region: secret.region }),
    ...(secret.jsonKey !== undefined && { jsonKey: secret.jsonKey }),
  };
}

/** The provider the source's secrets are made with: its own, else the stack's default (unaliased) `aws` provider. */
export function effectiveProvider(source: SymSecrets): AwsProvider | undefined {
  if (source.provider !== undefined) return source.provider instanceof AwsProvider ? source.provider : undefined;
  return TerraformStack.of(source)
    .node.findAll()
    .find((c): c is AwsProvider => c instanceof AwsProvider && c.alias === undefined);
}

/** The literal `region` of the source's provider; undefined when unset or a Terraform reference. */
export function regionOfSource(source: SymSecrets): string | undefined {
  const region = effectiveProvider(source)?.region;
  return region !== undefined && !Token.isUnresolved(region) ? region : undefined;
}

/** The region field of a Secrets Manager ARN. */
export function regionOfArn(arn: string): string {
  return arn.split(':')[3];
}

/** True for a {@link SymSecret} or an imported secret (anything else, such as a bare id string, is refused). */
export function isSymSecret(value: unknown): value is ISymSecret {
  return value instanceof Construct && typeof (value as Partial<ISymSecret>).secretId === 'string';
}
