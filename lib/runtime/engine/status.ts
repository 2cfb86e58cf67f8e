import { IntegrationManifest, TargetManifest } from '../../manifest';
import { assessGroupAccess } from '../../access';
import { LedgerEntry, listLedger } from '../../policy';
import { StatusEvent } from '../events';
import { EngineCore } from './engine-core';
import { flowNamed } from './request-rules';
import { StatusResult } from './results';

/**
 * Every target of the flows (or of one flow) as its tailnet's policy file holds it now: the just-in-time members ahead
 * of and past their expiry, the standing members, and the flagged dangers of membership. Each file is read once.
 */
export function statusOf(core: EngineCore, event: StatusEvent): Promise<StatusResult> {
  const manifest = core.manifest;
  return core.audited({ action: 'status', flow: event.flow }, async () => {
    const targets: { integration: IntegrationManifest; target: TargetManifest }[] = [];
    const flows = event.flow === undefined ? Object.values(manifest.flows) : [flowNamed(manifest, event.flow)];
    for (const flow of flows) {
      const strategy = manifest.strategies[flow.strategy];
      for (const t of strategy.targets) {
        if (!targets.some((x) => x.target.name === t)) {
          targets.push({ integration: manifest.integrations[strategy.integration], target: manifest.targets[t] });
        }
      }
    }
    const texts = new Map<string, Promise<string>>();
    const report = [];
    const warnings: string[] = [];
    const now = core.now();
    for (const { integration, target } of targets) {
      if (!texts.has(integration.name)) {
        texts.set(
          integration.name,
          core
            .accessFor(integration)
            .then((a) => a.read())
            .then((p) => p.text),
        );
      }
      const text = await texts.get(integration.name)!;
      const listed = listLedger(text, now);
      const assessment = assessGroupAccess(text, `group:${target.groupName}`);
      if (assessment.summary === undefined) warnings.push(...assessment.warnings);
      const inGroup = <T extends { group: string }>(xs: readonly T[]) => xs.filter((x) => x.group === target.groupName);
      const entries = (xs: readonly LedgerEntry[]) => inGroup(xs).map(({ group: _, ...entry }) => entry);
      warnings.push(...listed.warnings);
      report.push({
        target: target.name,
        label: target.label,
        tailnet: integration.externalId,
        group: target.groupName,
        active: entries(listed.active),
        overdue: entries(listed.overdue),
        standing: inGroup(listed.standing).map((s) => s.member),
        dangers: assessment.summary?.dangers ?? [],
      });
    }
    return { ok: true as const, action: 'status' as const, targets: report, warnings: [...new Set(warnings)] };
  });
}
