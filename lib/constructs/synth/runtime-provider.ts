import { TerraformProvider } from 'cdktf';
import { IConstruct } from 'constructs';
import { ISymSecret } from '../secret-reference';
import { SymSecrets } from '../sym-secrets';
import { problemAt, SymValidationError } from '../validation';

function describeProvider(provider: TerraformProvider | undefined): string {
  if (provider === undefined) return "the stack's default provider";
  return `${provider.node.path}${provider.alias === undefined ? '' : ` (alias "${provider.alias}")`}`;
}

/**
 * The provider of the runtime's resources: the one it is given, else the one of the secrets it reads, so the
 * function lands where its secrets are. A given provider that contradicts the secrets' own is refused, naming both
 * constructs; so are secrets of several providers when the runtime is given none to choose.
 */
export function runtimeProvider(runtime: IConstruct, given: TerraformProvider | undefined, secrets: readonly ISymSecret[]): TerraformProvider | undefined {
  const sources = [...new Set(secrets.map((s) => s.source))];
  if (given !== undefined) {
    const clash = sources.find((s) => s.provider !== undefined && s.provider !== given);
    if (clash !== undefined) {
      throw new SymValidationError([
        problemAt(
          runtime,
          'provider',
          `SymRuntime ${runtime.node.path} is given provider ${describeProvider(given)}, but SymSecrets ${clash.node.path}, whose secrets it reads, uses ${describeProvider(clash.provider)}; pass the same provider to both, or leave it out of SymRuntime to use the secrets' provider`,
        ),
      ]);
    }
    return given;
  }
  const providers = [...new Set(sources.map((s) => s.provider))];
  if (providers.length > 1) {
    const which = sources.map((s: SymSecrets) => `SymSecrets ${s.node.path} uses ${describeProvider(s.provider)}`).join('; ');
    throw new SymValidationError([
      problemAt(
        runtime,
        'provider',
        `the secrets SymRuntime ${runtime.node.path} reads come from different providers (${which}); pass provider to choose the runtime's`,
      ),
    ]);
  }
  return providers[0];
}
