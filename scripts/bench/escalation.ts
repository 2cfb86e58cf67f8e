import { readFileSync } from 'node:fs';
import { AuditEvent } from '../../lib/runtime/audit';
import { CredentialCache } from '../../lib/runtime/credentials';
import { TailnetEmulator } from '../../lib/testing';
import { benchHandler, benchManifest, BenchHandler, escalate, requesters } from './bench-engine';
import { EmulatedSecretSource } from './emulated-secret-source';
import { BenchSettings, FigureResult, ms, ratio } from './figure';
import { EXAMPLE_POLICY_FILE } from './repo-paths';
import { oneRoundTripFloorMs, roundTripFloorMs } from './round-trip-floor';
import { median, percentile, round3 } from './stats';

/** Only the emulator knows this client; it opens nothing else. */
const OAUTH_CLIENT = { clientId: 'bench-oauth-client', clientSecret: 'bench-oauth-client-secret' };
/** A cold one adds the secret read and the OAuth token to the read and the write. */
const ROUND_TRIPS_COLD = 4;
/** Against the bare client every peer is at least: read, then write. */
const TWO_ROUND_TRIPS_TARGET = { p50: 0.7, p95: 0.8 };
/** Against the bare client that writes on what it kept: the write alone. */
const ONE_ROUND_TRIP_TARGET = 1.15;

interface ColdRun {
  wallMs: number;
  roundTrips: number;
}

/**
 * Figure 1: how long an on-call engineer waits. Every emulated request costs `delayMs`. A warm escalation is timed
 * against two bare node:http clients on the same emulator, their samples interleaved with the product's so all three
 * meet the same machine: one reading then writing (what any read-modify-write client pays, every peer tool included),
 * and one writing alone on a text and ETag it kept (the floor of the runtime's own warm path). Escalations run one
 * after another, each for a new member, in one container; the hit rate is of the kept copy, from the audit lines.
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
    const lines: AuditEvent[] = [];

    const colds: ColdRun[] = [];
    let handler: BenchHandler | undefined;
    for (const [i, email] of requesters('cold', quick ? 2 : 5).entries()) {
      // A new container: nothing cached, neither the secret, nor the OAuth token, nor the policy file.
      const source = new EmulatedSecretSource(secrets, delayMs);
      handler = benchHandler(manifest, new CredentialCache(source), (line) => lines.push(line));
      const before = emulator.requests.length;
      const start = performance.now();
      await escalate(handler, email, `r-cold-${i}`);
      colds.push({ wallMs: performance.now() - start, roundTrips: emulator.requests.length - before + source.reads });
    }
    const warm = handler!;
    const timed = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    // The bare clients write back the text they read, so the file, and its ETag, stay the product's.
    const contenders = {
      product: (email: string, id: string) => timed(() => escalate(warm, email, id)),
      twoRoundTrips: () => roundTripFloorMs(emulator.url),
      oneRoundTrip: () => oneRoundTripFloorMs(emulator.url),
    };
    const interleaved = async (prefix: string, count: number) => {
      const times = { product: [] as number[], twoRoundTrips: [] as number[], oneRoundTrip: [] as number[] };
      for (const [i, email] of requesters(prefix, count).entries()) {
        // Each takes each place in turn, so none is always the one after a garbage collection.
        const order = (['product', 'twoRoundTrips', 'oneRoundTrip'] as const).map((_, k, all) => all[(i + k) % all.length]);
        for (const who of order) times[who].push(who === 'product' ? await contenders.product(email, `r-${prefix}-${i}`) : await contenders[who]());
      }
      return times;
    };
    await interleaved('warmup', quick ? 2 : 10);
    const warmFrom = lines.length;
    const samples = await interleaved('warm', quick ? 10 : 60);
    const warmLines = lines.slice(warmFrom).filter((l) => l.action === 'escalate');
    const hits = warmLines.filter((l) => l.cached === true).length;
    const warmRoundTrips = median(warmLines.map((l) => l.roundTrips ?? 0));
    // The same escalations with no emulated latency: the work of the engine and the emulator alone.
    emulator.latencyMs = 0;
    const undelayed: number[] = [];
    for (const [i, email] of requesters('undelayed', samples.product.length).entries()) undelayed.push(await contenders.product(email, `r-undelayed-${i}`));
    emulator.latencyMs = delayMs;

    const p50 = percentile(samples.product, 50);
    const p95 = percentile(samples.product, 95);
    const two = { p50: percentile(samples.twoRoundTrips, 50), p95: percentile(samples.twoRoundTrips, 95) };
    const one = { p50: percentile(samples.oneRoundTrip, 50), p95: percentile(samples.oneRoundTrip, 95) };
    const versusTwo = { p50: p50 / two.p50, p95: p95 / two.p95 };
    const versusOne = p50 / one.p50;
    const coldWall = median(colds.map((c) => c.wallMs));
    const coldRoundTrips = median(colds.map((c) => c.roundTrips));
    return {
      title: '1. Escalation latency',
      json: {
        delayMs,
        warmSamples: samples.product.length,
        warmP50Ms: round3(p50),
        warmP95Ms: round3(p95),
        warmRoundTripsP50: warmRoundTrips,
        cacheHits: hits,
        cacheHitRate: round3(hits / warmLines.length),
        twoRoundTripsP50Ms: round3(two.p50),
        twoRoundTripsP95Ms: round3(two.p95),
        oneRoundTripP50Ms: round3(one.p50),
        oneRoundTripP95Ms: round3(one.p95),
        p50RatioToTwoRoundTrips: round3(versusTwo.p50),
        p95RatioToTwoRoundTrips: round3(versusTwo.p95),
        p50RatioToOneRoundTrip: round3(versusOne),
        aboveOneRoundTripP50Ms: round3(p50 - one.p50),
        undelayedP50Ms: round3(percentile(undelayed, 50)),
        coldRuns: colds.length,
        coldRoundTrips,
        coldWallMs: round3(coldWall),
        coldWallInDelays: round3(coldWall / delayMs),
      },
      rows: [
        { metric: `warm p50 / p95 (${samples.product.length} sequential, one container, delay ${delayMs} ms)`, value: `${ms(p50)} / ${ms(p95)}` },
        {
          metric: 'warm: tailnet requests per escalation (p50); kept-copy hits',
          value: `${warmRoundTrips}; ${hits} of ${warmLines.length} (${((100 * hits) / warmLines.length).toFixed(0)} %)`,
        },
        { metric: 'bare read + write client (node:http, interleaved), p50 / p95', value: `${ms(two.p50)} / ${ms(two.p95)}` },
        {
          metric: 'warm p50 ÷ bare read + write p50',
          value: ratio(versusTwo.p50),
          target: `≤ ${TWO_ROUND_TRIPS_TARGET.p50}`,
          met: versusTwo.p50 <= TWO_ROUND_TRIPS_TARGET.p50,
        },
        {
          metric: 'warm p95 ÷ bare read + write p95',
          value: ratio(versusTwo.p95),
          target: `≤ ${TWO_ROUND_TRIPS_TARGET.p95}`,
          met: versusTwo.p95 <= TWO_ROUND_TRIPS_TARGET.p95,
        },
        { metric: 'floor: bare write-only client (node:http, interleaved), p50 / p95', value: `${ms(one.p50)} / ${ms(one.p95)}` },
        { metric: 'warm p50 ÷ bare write-only p50', value: ratio(versusOne), target: `≤ ${ONE_ROUND_TRIP_TARGET}`, met: versusOne <= ONE_ROUND_TRIP_TARGET },
        { metric: 'warm p50 with no delay: engine + emulator work', value: ms(percentile(undelayed, 50)) },
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
