import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Manifest } from '../../lib/manifest';
import { AuditEvent } from '../../lib/runtime/audit';
import { AccessEngine, AccessEngineOptions } from '../../lib/runtime/engine';
import { EMULATOR_API_KEY, TailnetEmulator } from '../../lib/testing';
import { exampleManifest } from '../../scripts/fixtures/example-manifest';

export { exampleManifest };

export const DEMO_POLICY = readFileSync(path.resolve(__dirname, '../../examples/tailscale-ssh-access/policy.hujson'), 'utf8');
export const T0 = new Date('2026-11-23T17:00:00Z');

export interface Harness {
  emulator: TailnetEmulator;
  engine: AccessEngine;
  audit: AuditEvent[];
  clock: { now: Date };
  /** Requests the emulator saw on the policy endpoints (token requests excluded). */
  aclRequests(): number;
  stop(): Promise<void>;
}

function trusted(manifest: Manifest): Manifest {
  return { ...manifest, requests: { ...manifest.requests, allowAssertedIdentity: true } };
}

export async function startHarness(
  options: { policy?: string; manifest?: (url: string) => Manifest; engine?: Partial<AccessEngineOptions> } = {},
): Promise<Harness> {
  const emulator = await TailnetEmulator.start({ policy: options.policy ?? DEMO_POLICY });
  const audit: AuditEvent[] = [];
  const clock = { now: T0 };
  const engine = new AccessEngine({
    // These suites drive escalate/deescalate events as automation the runtime trusts: asserted identity is honoured.
    manifest: trusted((options.manifest ?? exampleManifest)(emulator.url)),
    credentials: { get: async () => ({ kind: 'apiKey', apiKey: EMULATOR_API_KEY }) },
    clientOptions: { sleep: async () => undefined, deadlineMs: 5000 },
    now: () => clock.now,
    audit: (e) => audit.push(e),
    ...options.engine,
  });
  return {
    emulator,
    engine,
    audit,
    clock,
    aclRequests: () => emulator.requests.filter((r) => r.path.includes('/acl')).length,
    stop: () => emulator.stop(),
  };
}

export const escalation = (over: object = {}) => ({
  action: 'escalate' as const,
  flow: 'tailscale-ssh-access',
  target: 'main-prod-access',
  requester: { email: 'alice@example.com' },
  duration: '1h',
  reason: 'incident 42',
  requestId: 'r-1',
  ...over,
});
