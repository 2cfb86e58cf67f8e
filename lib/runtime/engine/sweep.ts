import { IntegrationManifest, Manifest, parseDuration } from '../../manifest';
import { daysLeftIfSoon } from '../../access';
import { requestIdsHeld, sweep } from '../../policy';
import { apiKeyId } from '../../tailscale';
import { applyEdit } from '../apply-edit';
import { KeyExpiryCache, expiryWarning } from '../credential-expiry';
import { CredentialNotSetError } from '../credentials';
import { SweepIncompleteError, describeError } from '../errors';
import { SweepEvent } from '../events';
import { PolicyEdit } from '../tailnet-access';
import { EngineCore } from './engine-core';
import { SweepResult } from './results';

/**
 * The grant sweep: removes expired grants, then warns of API keys close to their expiry, which would stop every later
 * sweep. A sweep that could not finish fails without the check: its own failure is what alarms then.
 */
export async function sweepGrants(core: EngineCore, keyExpiry: KeyExpiryCache, event: SweepEvent): Promise<SweepResult> {
  const notSet: string[] = [];
  const swept = await sweepTailnets(core, event, notSet);
  const credentialWarnings = [...notSet, ...(await checkKeyExpiry(core, keyExpiry))];
  return credentialWarnings.length === 0 ? swept : { ...swept, credentialWarnings };
}

/**
 * Sweeps each tailnet on its own. One whose secret has no value yet is passed over with a `credential-check` line of
 * outcome `not-set` (and a line in `notSet`), not failed: the runtime can have granted nothing there, and a fresh
 * deploy whose secrets are still to be set should not fail every minute. Any other failure fails the sweep.
 */
function sweepTailnets(core: EngineCore, event: SweepEvent, notSet: string[]): Promise<SweepResult> {
  const dryRun = event.dryRun === true;
  return core.audited({ action: 'sweep', dryRun }, async (note) => {
    const now = core.now();
    const tailnets: SweepResult['tailnets'][number][] = [];
    const failures: string[] = [];
    let roundTrips = 0;
    // Each tailnet on its own: one broken integration must not keep expired grants alive on the others.
    for (const [integrationName, groups] of sweptGroups(core.manifest)) {
      const integration = core.manifest.integrations[integrationName];
      const entry = { tailnet: integration.externalId, groups: groups.all };
      try {
        const access = await core.accessFor(integration);
        let requestsHeld: string[] = [];
        const edit: PolicyEdit = (text) => {
          const result = sweep(text, { now, groups: groups.all, exclusiveGroups: groups.exclusive, longestSeconds: groups.longest });
          requestsHeld = requestIdsHeld(result.text);
          return result;
        };
        // Never on a kept copy: what the sweep removes, and what it finds overdue, must be of the live file.
        const { written, changes, warnings, diff, roundTrips: trips } = await applyEdit(access, edit, dryRun);
        roundTrips += trips ?? 0;
        tailnets.push({ ...entry, written, removed: changes, warnings, requestsHeld, ...(diff === undefined ? {} : { diff }) });
      } catch (error) {
        const described = describeError(error);
        tailnets.push({ ...entry, written: false, removed: [], warnings: [], requestsHeld: [], error: described });
        const line = `integration "${integrationName}" (tailnet ${integration.externalId}): ${described.message}`;
        if (error instanceof CredentialNotSetError) {
          notSet.push(line);
          core.audit({ ...credentialCheckLine(core, integration), outcome: 'not-set', error: described });
        } else {
          failures.push(line);
        }
      }
    }
    const removed = tailnets.flatMap((t) => t.removed);
    note({ changes: removed, warnings: tailnets.flatMap((t) => t.warnings), ...(dryRun ? {} : { roundTrips, cached: false }) });
    if (failures.length > 0) throw new SweepIncompleteError(failures);
    return { ok: true as const, action: 'sweep' as const, dryRun, tailnets, outcome: removed.length > 0 ? 'success' : 'noop' };
  });
}

/**
 * Groups the sweep may touch, per integration: those of targets reached by a flow that schedules de-escalation;
 * and per group the longest grant any flow can give there (the flow's and the target's maximum, whichever is shorter).
 */
function sweptGroups(manifest: Manifest): Map<string, { all: string[]; exclusive: string[]; longest: Record<string, number> }> {
  const out = new Map<string, { all: string[]; exclusive: string[]; longest: Record<string, number> }>();
  const longest = new Map<string, number>();
  for (const flow of Object.values(manifest.flows)) {
    const strategy = manifest.strategies[flow.strategy];
    for (const t of strategy.targets) {
      const target = manifest.targets[t];
      const seconds = Math.min(parseDuration(flow.maxDuration), target.maxDuration === undefined ? Infinity : parseDuration(target.maxDuration));
      const key = `${strategy.integration}\u0000${target.groupName}`;
      longest.set(key, Math.max(longest.get(key) ?? 0, seconds));
    }
  }
  for (const flow of Object.values(manifest.flows)) {
    if (!flow.scheduleDeescalation) continue;
    const strategy = manifest.strategies[flow.strategy];
    const entry = out.get(strategy.integration) ?? { all: [], exclusive: [], longest: {} };
    out.set(strategy.integration, entry);
    for (const t of strategy.targets) {
      const target = manifest.targets[t];
      if (!entry.all.includes(target.groupName)) entry.all.push(target.groupName);
      if (target.exclusive && !entry.exclusive.includes(target.groupName)) entry.exclusive.push(target.groupName);
      entry.longest[target.groupName] = longest.get(`${strategy.integration}\u0000${target.groupName}`)!;
    }
  }
  return out;
}

/**
 * Per API-key integration, the key's expiry (read at most once an hour, see {@link KeyExpiryCache}): within 14 days,
 * a `credential-check` audit line with outcome `warning` on every sweep, for the alarm. Advisory: a failed read is
 * audited and never fails the sweep. OAuth clients do not expire, and a key whose text carries no id cannot be asked.
 */
async function checkKeyExpiry(core: EngineCore, keyExpiry: KeyExpiryCache): Promise<string[]> {
  const warnings: string[] = [];
  const now = core.now();
  for (const integration of Object.values(core.manifest.integrations)) {
    if (integration.credential.kind !== 'apiKey') continue;
    const line = credentialCheckLine(core, integration);
    try {
      const credential = await core.options.credentials.get(integration.credential);
      const keyId = credential.kind === 'apiKey' ? apiKeyId(credential.apiKey) : undefined;
      if (keyId === undefined) continue;
      const access = await core.accessFor(integration);
      const reading = await keyExpiry.read(
        `${integration.name}\u0000${keyId}`,
        now.getTime(),
        async () => (await access.client.getKey(integration.externalId, keyId)).expires,
      );
      if ('error' in reading) {
        if (reading.fresh) core.audit({ ...line, outcome: 'failed', error: describeError(reading.error) });
        continue;
      }
      // A key the API says never expires (no `expires`, or Go's zero time) needs no warning.
      if (reading.expires === undefined) continue;
      const daysLeft = daysLeftIfSoon(reading.expires, now);
      if (daysLeft === undefined) continue;
      const warning = expiryWarning(integration.name, integration.externalId, reading.expires, daysLeft);
      warnings.push(warning);
      core.audit({ ...line, outcome: 'warning', expires: reading.expires, daysLeft, warnings: [warning] });
    } catch (error) {
      // A secret with no value yet has had its own line from the sweep. Any other unreadable secret: the sweep
      // meets the same error and fails on it.
      if (!(error instanceof CredentialNotSetError)) core.audit({ ...line, outcome: 'failed', error: describeError(error) });
    }
  }
  return warnings;
}

/** The start of a `credential-check` audit line of `integration`, at the engine's time. */
function credentialCheckLine(core: EngineCore, integration: IntegrationManifest) {
  return {
    type: 'symtail.audit' as const,
    time: core.now().toISOString(),
    action: 'credential-check' as const,
    integration: integration.name,
    tailnet: integration.externalId,
  };
}
