import type { ErrorObject } from 'ajv';
import { parseDuration } from './duration';
import { validateManifestSchema } from './manifest-validator.generated';
import { API_ORIGIN_EXPECTED } from './schema';
import { Manifest } from './types';
import { SymtailError } from '../errors';

/** A manifest that fails its schema or its cross-references; `problems` lists every one found. */
export class ManifestError extends SymtailError<'invalid-manifest'> {
  constructor(readonly problems: readonly string[]) {
    super('invalid-manifest', `invalid manifest:\n  - ${problems.join('\n  - ')}`);
  }
}

/** MANIFEST_SCHEMA compiled ahead of time (scripts/compile-validators.ts): no ajv to load, nothing to compile. */
const checkSchema = validateManifestSchema as unknown as ((value: unknown) => boolean) & { errors?: ErrorObject[] | null };

function describe(error: ErrorObject): string {
  const where = 'manifest' + error.instancePath.replace(/\//g, '.');
  if (error.keyword === 'additionalProperties') {
    return `${where}: unknown property "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  }
  if (error.keyword === 'pattern' && (where.endsWith('.apiBaseUrl') || where.endsWith('.pagerDuty.apiUrl'))) return `${where}: expected ${API_ORIGIN_EXPECTED}`;
  return `${where}: ${error.message}`;
}

/** Own entries only: a reference named "constructor" or "toString" must not resolve to Object.prototype. */
const has = (entries: object, key: string) => Object.prototype.hasOwnProperty.call(entries, key);

/** What the schema cannot say: references resolve, entries are keyed by their own name, durations fit. */
function crossReferenceProblems(m: Manifest): string[] {
  const problems: string[] = [];
  const keyed = (section: string, entries: Readonly<Record<string, { name: string }>>) => {
    for (const [key, entry] of Object.entries(entries)) {
      if (entry.name !== key) problems.push(`manifest.${section}.${key}.name: expected "${key}", got "${entry.name}"`);
    }
  };
  keyed('integrations', m.integrations);
  keyed('targets', m.targets);
  keyed('strategies', m.strategies);
  keyed('flows', m.flows);
  for (const [key, s] of Object.entries(m.strategies)) {
    if (!has(m.integrations, s.integration)) {
      problems.push(`manifest.strategies.${key}.integration: no integration named "${s.integration}"`);
    }
    for (const t of s.targets) {
      if (!has(m.targets, t)) problems.push(`manifest.strategies.${key}.targets: no target named "${t}"`);
    }
  }
  for (const [key, f] of Object.entries(m.flows)) {
    if (!has(m.strategies, f.strategy)) problems.push(`manifest.flows.${key}.strategy: no strategy named "${f.strategy}"`);
    if (!f.allowRevoke && !f.scheduleDeescalation) {
      problems.push(`manifest.flows.${key}: at least one of allowRevoke and scheduleDeescalation must be true`);
    }
    const a = f.approval;
    if (!a.autoApprove && a.approverGroups.length === 0 && a.requiredApprovals > a.approvers.length) {
      problems.push(`manifest.flows.${key}.approval: ${a.requiredApprovals} approvals required but only ${a.approvers.length} approvers`);
    }
    const max = parseDuration(f.maxDuration);
    for (const d of f.durations) {
      if (parseDuration(d) > max) {
        problems.push(`manifest.flows.${key}.durations: "${d}" is longer than maxDuration "${f.maxDuration}"`);
      }
    }
    if (f.breakGlass !== undefined && parseDuration(f.breakGlass.maxDuration) > max) {
      problems.push(`manifest.flows.${key}.breakGlass.maxDuration: "${f.breakGlass.maxDuration}" is longer than maxDuration "${f.maxDuration}"`);
    }
    const pd = f.onCall?.pagerDuty;
    if (pd !== undefined && pd.schedules.length === 0 && pd.escalationPolicies.length === 0) {
      problems.push(`manifest.flows.${key}.onCall.pagerDuty: names no schedules and no escalation policies, so nobody would be on call`);
    }
    if (f.requestsChannel !== undefined && m.slack === undefined) {
      problems.push(`manifest.flows.${key}.requestsChannel: set, but the manifest has no slack app to post with`);
    }
  }
  return problems;
}

/** Checks an untrusted value against the manifest schema and its references; returns it typed. */
export function validateManifest(value: unknown): Manifest {
  if (!checkSchema(value)) throw new ManifestError((checkSchema.errors ?? []).map(describe));
  const problems = crossReferenceProblems(value as Manifest);
  if (problems.length > 0) throw new ManifestError(problems);
  return value as Manifest;
}
