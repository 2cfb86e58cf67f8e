import { Manifest, MANIFEST_VERSION, RequestsManifest } from '../../manifest';
import { ISymSecret } from '../secret-reference';
import { SymFlow } from '../sym-flow';
import { SymIntegration } from '../sym-integration';
import { SymSlackIntegration } from '../sym-slack-integration';
import { SymStrategy } from '../sym-strategy';
import { SymTarget } from '../sym-target';

/** Everything a runtime's flows reference, each construct once, in the order first met. */
export interface RuntimeModel {
  readonly flows: readonly SymFlow[];
  readonly strategies: readonly SymStrategy[];
  readonly integrations: readonly SymIntegration[];
  readonly targets: readonly SymTarget[];
  /** Every secret the runtime reads: the integrations' credentials, the Slack app's two secrets and the flows' PagerDuty tokens. */
  readonly secrets: readonly ISymSecret[];
  readonly slack?: SymSlackIntegration;
}

export function collectModel(flows: readonly SymFlow[], slack?: SymSlackIntegration): RuntimeModel {
  const strategies = unique(flows.map((f) => f.strategy));
  const integrations = unique(strategies.map((s) => s.integration));
  return {
    flows: unique(flows),
    strategies,
    integrations,
    targets: unique(strategies.flatMap((s) => s.targets)),
    secrets: unique([
      ...integrations.map((i) => i.credentialSecret),
      ...(slack?.secrets ?? []),
      ...flows.flatMap((f) => (f.onCall === undefined ? [] : [f.onCall.tokenSecret])),
    ]),
    ...(slack !== undefined && { slack }),
  };
}

/** The manifest of a model whose names are unique; entries are sorted by name so reordering flows changes nothing. */
export function manifestOf(environment: string, requests: RequestsManifest, model: RuntimeModel): Manifest {
  return {
    version: MANIFEST_VERSION,
    environment,
    requests,
    integrations: byName(model.integrations.map((i) => i.manifestEntry())),
    targets: byName(model.targets.map((t) => t.manifestEntry())),
    strategies: byName(model.strategies.map((s) => s.manifestEntry())),
    flows: byName(model.flows.map((f) => f.manifestEntry())),
    ...(model.slack !== undefined && { slack: model.slack.manifestEntry() }),
  };
}

/** The bytes of `manifest.json`. */
export function serializeManifest(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function byName<T extends { readonly name: string }>(entries: readonly T[]): Record<string, T> {
  const sorted = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return Object.fromEntries(sorted.map((e) => [e.name, e]));
}
