import { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { SYM_NAME } from './text-rules';
import { PropProblems } from './validation';

/** The tag that marks every resource of one Sym environment (Sym's IAM policies match on it). */
export const SYM_ENV_TAG = 'SymEnv';

export interface SymSecretsProps {
  /**
   * Sym's `type`: where the secrets live.
   * @default `'aws_secrets_manager'`, the only kind there is
   */
  readonly type?: 'aws_secrets_manager';
  /** Sym's `name` of this secrets source, e.g. `main-sym-secrets`. Required. */
  readonly name: string;
  /** Environment the secrets belong to: secret names start `sym/<environment>/`, and each is tagged `SymEnv`. Required. */
  readonly environment: string;
  /**
   * AWS provider for the secrets this source creates or looks up.
   * @default the stack's default `aws` provider
   */
  readonly provider?: TerraformProvider;
}

/** `sym_secrets` of type `aws_secrets_manager`: a naming prefix and tag for the secrets of one environment. */
export class SymSecrets extends Construct {
  readonly type = 'aws_secrets_manager';
  readonly name: string;
  readonly environment: string;
  readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: SymSecretsProps) {
    super(scope, id);
    const problems = new PropProblems(this);
    problems.choice('type', props.type, ['aws_secrets_manager'], 'aws_secrets_manager');
    this.name = problems.literal('name', props.name, SYM_NAME) ?? '';
    this.environment = problems.literal('environment', props.environment, SYM_NAME) ?? '';
    problems.throwIfAny();
    this.provider = props.provider;
  }

  /** Secrets Manager name prefix of this environment's secrets: `sym/<environment>/`. */
  get prefix(): string {
    return `sym/${this.environment}/`;
  }

  /** Tags for every taggable resource of this environment. */
  get tags(): Record<string, string> {
    return { [SYM_ENV_TAG]: this.environment };
  }
}
