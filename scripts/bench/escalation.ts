import { readFileSync } from 'node:fs';
import { CredentialCache } from '../../lib/runtime/credentials';
import { TailnetEmulator } from '../../lib/testing';
import { benchHandler, benchManifest, BenchHandler, escalate, requesters } from './bench-engine';
import { EmulatedSecretSource } from './emulated-secret-source';
import { BenchSettings, FigureResult, ms, ratio } from './figure';
import { EXAMPLE_POLICY_FILE } from './repo-paths';
import { roundTripFloorMs } from './round-trip-floor';
import { median, percentile, round3 } from './stats';

/** Only the emulator knows this client; it opens nothing else. */
const OAUTH_CLIENT = { clientId: 'bench-oauth-client', clientSecret: 'bench-oauth-client-secret' };
/** A warm escalation cannot beat one read and one write. */
const ROUND_TRIPS_WARM = 2;
/** A cold one adds the secret read and the OAuth token. */
const ROUND_TRIPS_COLD = 4;
const RATIO_TARGET = 1.15;

interface ColdRun {
  wallMs: number;
  roundTrips: number;
}

/**
 * Figure 1: how long an on-call engineer waits. Every emulated request costs `delayMs`; a warm escalation's
 * floor is two of them, a cold one's four. Escalations run one after another, each for a new member.
 */
export async function escalationFigure(settings: BenchSettings): Promise<FigureResult> {
  const { delayMs, quick } = settings;
  const emulator = await TailnetEmulator.start({
    policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'),
    latencyMs: delayMs,
    oauthClients: [OAUTH_CLIENT],
  });
  try {
    const manifest = benchManifest(emulator.url, 'oauthClient');
    const { secretId } = Object.values(manifest.integrations)[0].credential;
    const secrets = { [secretId]: JSON.stringify({ client_id: OAUTH_CLIENT.clientId, client_secret: OAUTH_CLIENT.clientSecret }) };

    const colds: ColdRun[] = [];
    let handler: BenchHandler | undefined;
    for (const [i, email] of requesters('cold', quick ? 2 : 5).entries()) {
      // A new container: nothing cached, neither the secret nor the OAuth token.
      const source = new EmulatedSecretSource(secrets, delayMs);
      handler = benchHandler(manifest, new CredentialCache(source));
      const before = emulator.requests.length;
      const start = performance.now();
      await escalate(handler, email, `r-cold-${i}`);
      colds.push({ wallMs: performance.now() - start, roundTrips: emulator.requests.length - before + source.reads });
    }
    const warm = handler!;
    for (const [i, email] of requesters('warmup', quick ? 2 : 10).entries()) await escalate(warm, email, `r-warmup-${i}`);
    const timeWarm = async (prefix: string, count: number) => {
      const times: number[] = [];
      for (const [i, email] of requesters(prefix, count).entries()) {
        const start = performance.now();
        await escalate(warm, email, `r-${prefix}-${i}`);
        times.push(performance.now() - start);
      }
      return times;
    };
    const samples = await timeWarm('warm', quick ? 10 : 40);
    // The same escalations with no emulated latency: the work of the engine and the emulator alone.
    emulator.latencyMs = 0;
    const undelayed = percentile(await timeWarm('undelayed', samples.length), 50);
    emulator.latencyMs = delayMs;
    // The bare client warms up like the product did, then is timed as often.
    for (let i = 0; i < 5; i++) await roundTripFloorMs(emulator.url);
    const floors: number[] = [];
    for (let i = 0; i < samples.length; i++) floors.push(await roundTripFloorMs(emulator.url));

    const limit = ROUND_TRIPS_WARM * delayMs;
    const p50 = percentile(samples, 50);
    const p95 = percentile(samples, 95);
    const floor = percentile(floors, 50);
    const coldWall = median(colds.map((c) => c.wallMs));
    const coldRoundTrips = median(colds.map((c) => c.roundTrips));
    return {
      title: '1. Escalation latency',
      json: {
        delayMs,
        warmSamples: samples.length,
        warmP50Ms: round3(p50),
        warmP95Ms: round3(p95),
        ratioToLimit: round3(p50 / limit),
        p95RatioToLimit: round3(p95 / limit),
        floorP50Ms: round3(floor),
        aboveFloorP50Ms: round3(p50 - floor),
        undelayedP50Ms: round3(undelayed),
        coldRuns: colds.length,
        coldRoundTrips,
        coldWallMs: round3(coldWall),
        coldWallInDelays: round3(coldWall / delayMs),
      },
      rows: [
        { metric: `warm p50 (${samples.length} sequential, delay ${delayMs} ms)`, value: ms(p50) },
        { metric: 'warm p50 ÷ (2 × delay)', value: ratio(p50 / limit), target: `≤ ${RATIO_TARGET}`, met: p50 / limit <= RATIO_TARGET },
        { metric: 'warm p95', value: ms(p95) },
        { metric: 'warm p95 ÷ (2 × delay)', value: ratio(p95 / limit), target: `≤ ${RATIO_TARGET}`, met: p95 / limit <= RATIO_TARGET },
        { metric: 'floor: bare node:http read + write, same emulator, p50', value: ms(floor) },
        { metric: 'warm p50 − floor', value: ms(p50 - floor) },
        { metric: 'warm p50 with no delay: engine + emulator work', value: ms(undelayed) },
        {
          metric: 'cold: round trips (secret, token, read, write)',
          value: String(coldRoundTrips),
          target: `${ROUND_TRIPS_COLD}`,
          met: coldRoundTrips <= ROUND_TRIPS_COLD,
        },
        { metric: 'cold: wall time', value: `${ms(coldWall)} = ${(coldWall / delayMs).toFixed(2)} × delay` },
      ],
    };
  } finally {
    await emulator.stop();
  }
}
