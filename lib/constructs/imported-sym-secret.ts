import { DataAwsSecretsmanagerSecret } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret';
import { Construct } from 'constructs';
import { checkedJsonKey, checkedKmsKeyId, checkedSource, ISymSecret, regionOfArn, regionOfSource } from './secret-reference';
import type { SymSecretImportProps } from './sym-secret';
import { SymSecrets } from './sym-secrets';
import { TextRule } from './text-rules';
import { PropProblems } from './validation';

// A partial ARN (without the 6 characters Secrets Manager appends) matches no IAM resource and fails at run time.
const SECRET_ARN: TextRule = {
  pattern: /^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+-[A-Za-z0-9]{6}$/,
  expected:
    'a complete Secrets Manager secret ARN, ending in the 6-character suffix Secrets Manager appends (arn:aws:secretsmanager:<region>:<account>:secret:<name>-AbCdEf); for a secret known by name use SymSecret.fromSecretName',
};
const SECRET_NAME: TextRule = {
  pattern: /^[A-Za-z0-9/_+=.@-]{1,512}$/,
  expected: 'a Secrets Manager secret name (1 to 512 of letters, digits and "/_+=.@-")',
};

/** Exactly one of the two: how {@link SymSecret.fromSecretArn} and {@link SymSecret.fromSecretName} name the secret. */
type ImportedSymSecretProps = SymSecretImportProps & ({ readonly secretArn: string } | { readonly secretName: string });

/** An existing Secrets Manager secret, used by reference: Terraform never creates or changes it. */
export class ImportedSymSecret extends Construct implements ISymSecret {
  readonly source: SymSecrets;
  readonly secretId: string;
  readonly secretArn: string;
  readonly jsonKey?: string;
  private readonly byName: boolean;
  readonly kmsKeyId?: string;

  constructor(scope: Construct, id: string, props: ImportedSymSecretProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    this.source = checkedSource(problems, props.source);
    this.jsonKey = checkedJsonKey(problems, props.settings);
    this.kmsKeyId = checkedKmsKeyId(problems, props.kmsKeyId);
    const byName = 'secretName' in props;
    const secretId = byName ? problems.literal('secretName', props.secretName, SECRET_NAME) : problems.literal('secretArn', props.secretArn, SECRET_ARN);
    problems.throwIfAny();
    this.secretId = secretId as string;
    this.secretArn = byName ? new DataAwsSecretsmanagerSecret(this, 'Lookup', { name: this.secretId, provider: this.source.provider }).arn : this.secretId;
    this.byName = byName;
  }

  /** An ARN's own region; for a secret looked up by name, its source's provider's literal region. */
  get region(): string | undefined {
    return this.byName ? regionOfSource(this.source) : regionOfArn(this.secretId);
  }
}
