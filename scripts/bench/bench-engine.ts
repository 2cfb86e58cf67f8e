import { CredentialRef, Manifest } from '../../lib/manifest';
import { AuditSink } from '../../lib/runtime/audit';
import { AccessEngine, CredentialProvider } from '../../lib/runtime/engine';
import { createHandler, EngineAnswer } from '../../lib/runtime/lambda/create-handler';
import { EMULATOR_API_KEY } from '../../lib/testing';
import { exampleManifest } from '../fixtures/example-manifest';

/** The group every benchmark escalation lands in. */
export const BENCH_GROUP = 'prod';
const FLOW = 'tailscale-ssh-access';
const TARGET = 'main-prod-access';

/** The example's manifest with the credential of the given kind, pointed at an emulator. */
export function benchManifest(apiBaseUrl: string, credential: CredentialRef['kind']): Manifest {
  // The engine's own events, as trusted automation sends them: what these figures measure.
  return exampleManifest(apiBaseUrl, {
    integration: { credential: { kind: credential, secretId: `sym/main/tailscale-${credential}` } },
    requests: { allowAssertedIdentity: true },
  });
}

/** The raw Lambda event of one escalation, as a requester's tool would send it. */
export function escalationEvent(email: string, requestId: string): unknown {
  return { action: 'escalate', flow: FLOW, target: TARGET, requester: { email }, duration: '1h', reason: 'benchmark', requestId };
}

/** Builds each audit line as the Lambda would, but keeps the benchmark's output clean. */
const buildAuditLine: AuditSink = (event) => {
  JSON.stringify(event);
};

/** The emulator's own API key, as a warm container holds it: no secret read, no token. */
export const EMULATOR_KEY_CREDENTIALS: CredentialProvider = { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) };

export type BenchHandler = (event: unknown) => Promise<EngineAnswer>;

/**
 * The Lambda entry point around a fresh engine: events are schema-checked exactly as in production. `audit` also
 * hears each line (after it is built as the Lambda builds it), for figures that count what the lines say.
 */
export function benchHandler(manifest: Manifest, credentials: CredentialProvider, audit?: AuditSink): BenchHandler {
  const sink: AuditSink = audit === undefined ? buildAuditLine : (event) => (buildAuditLine(event), audit(event));
  // Engine events only, never a function URL's: the answer is always the engine's.
  return createHandler(new AccessEngine({ manifest, credentials, audit: sink }), sink) as BenchHandler;
}

/** One escalation that must succeed; a failure stops the figure with the runtime's own error code and message. */
export async function escalate(handler: BenchHandler, email: string, requestId: string): Promise<void> {
  const result = await handler(escalationEvent(email, requestId));
  if (!result.ok) throw new Error(`escalation of ${email} failed: ${result.error.code}: ${result.error.message}`);
}

/** `count` distinct requester emails, e.g. `warm-3@example.com`. */
export function requesters(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${i}@example.com`);
}

/** How a batch of escalations went: failures are kept as `code: message`, never thrown. */
export interface EscalationTally {
  ok: number;
  failures: string[];
}

/** Escalates every requester at once, as many on-call engineers asking in the same second. */
export async function escalateAll(handler: BenchHandler, emails: readonly string[], requestIdPrefix: string): Promise<EscalationTally> {
  const results = await Promise.all(emails.map((email, i) => handler(escalationEvent(email, `${requestIdPrefix}-${i}`))));
  const failures = results.flatMap((r) => (r.ok ? [] : [`${r.error.code}: ${r.error.message}`]));
  return { ok: results.length - failures.length, failures };
}
