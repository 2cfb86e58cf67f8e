import { SecretsmanagerSecret } from '@cdktf/provider-aws/lib/secretsmanager-secret';
import { Construct } from 'constructs';
import { ImportedSymSecret } from './imported-sym-secret';
import { checkedJsonKey, checkedKmsKeyId, checkedSource, ISymSecret, regionOfSource, SymSecretSettings } from './secret-reference';
import { SymSecrets } from './sym-secrets';
import { TextRule } from './text-rules';
import { PropProblems } from './validation';

export interface SymSecretProps {
  /** Sym's `source_id`: the `sym_secrets` source whose environment names and tags the secret. Required. */
  readonly source: SymSecrets;
  /** Sym's `path`: the secret's name below the source's prefix; `tailscale-api-key` names `sym/<env>/tailscale-api-key`. Required. */
  readonly path: string;
  /**
   * Description of the Secrets Manager secret.
   * @default none
   */
  readonly description?: string;
  /**
   * Sym's `settings`.
   * @default `{}` (the whole secret value is the credential)
   */
  readonly settings?: SymSecretSettings;
  /**
   * KMS key (id, ARN or alias) that encrypts the secret.
   * @default the account's `aws/secretsmanager` key
   */
  readonly kmsKeyId?: string;
}

/** Options shared by {@link SymSecret.fromSecretArn} and {@link SymSecret.fromSecretName}. */
export interface SymSecretImportProps {
  /** The `sym_secrets` source (and so the environment) the existing secret belongs to. Required. */
  readonly source: SymSecrets;
  /**
   * Sym's `settings`.
   * @default `{}` (the whole secret value is the credential)
   */
  readonly settings?: SymSecretSettings;
  /**
   * KMS key that encrypts the existing secret.
   * @default none (the account's `aws/secretsmanager` key)
   */
  readonly kmsKeyId?: string;
}

const SECRET_PATH: TextRule = {
  pattern: /^[A-Za-z0-9_+=.@-]+(\/[A-Za-z0-9_+=.@-]+)*$/,
  expected: 'a secret path such as "tailscale-api-key" (letters, digits and "/_+=.@-")',
};
/** Secrets Manager's limits on a secret's name and description. */
const MAX_SECRET_NAME = 512;
const MAX_DESCRIPTION = 2048;

/**
 * `sym_secret` with the `aws_secretsmanager_secret` it points at. Terraform creates the secret but never its
 * value: that is set out of band (`aws secretsmanager put-secret-value`), so it never enters Terraform state.
 */
export class SymSecret extends Construct implements ISymSecret {
  /** An existing secret, by its full ARN; creates nothing. */
  static fromSecretArn(scope: Construct, id: string, secretArn: string, props: SymSecretImportProps): ISymSecret {
    return new ImportedSymSecret(scope, id, { ...props, secretArn });
  }

  /** An existing secret, by its full name; its ARN is looked up at plan time by a data source, nothing is created. */
  static fromSecretName(scope: Construct, id: string, secretName: string, props: SymSecretImportProps): ISymSecret {
    return new ImportedSymSecret(scope, id, { ...props, secretName });
  }

  readonly source: SymSecrets;
  readonly secretId: string;
  readonly secretArn: string;
  readonly jsonKey?: string;
  readonly kmsKeyId?: string;
  /** The Secrets Manager secret. */
  readonly secret: SecretsmanagerSecret;

  constructor(scope: Construct, id: string, props: SymSecretProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.source = checkedSource(problems, props.source);
    const path = problems.literal('path', props.path, SECRET_PATH);
    this.secretId = `${this.source?.prefix}${path}`;
    if (path !== undefined && this.secretId.length > MAX_SECRET_NAME) {
      problems.add('path', `the secret name sym/<environment>/<path> is longer than Secrets Manager's ${MAX_SECRET_NAME} characters`);
    }
    this.jsonKey = checkedJsonKey(problems, props.settings);
    this.kmsKeyId = checkedKmsKeyId(problems, props.kmsKeyId);
    if (props.description !== undefined && (typeof props.description !== 'string' || props.description.length > MAX_DESCRIPTION)) {
      problems.add('description', `expected a string of at most ${MAX_DESCRIPTION} characters`);
    }
    problems.throwIfAny();
    this.secret = new SecretsmanagerSecret(this, 'Secret', {
      name: this.secretId,
      description: props.description,
      kmsKeyId: this.kmsKeyId,
      tags: this.source.tags,
      provider: this.source.provider,
    });
    this.secretArn = this.secret.arn;
  }

  /** The literal region of the source's provider, read when the manifest is built (providers may come later). */
  get region(): string | undefined {
    return regionOfSource(this.source);
  }
}
