import { readFileSync } from 'node:fs';
import { TailnetEmulator } from '../../lib/testing';
import { BENCH_GROUP, benchHandler, benchManifest, EMULATOR_KEY_CREDENTIALS, EscalationTally, escalateAll, requesters } from './bench-engine';
import { BenchSettings, FigureResult, FigureRow, ms } from './figure';
import { countLost } from './lost-updates';
import { naiveEscalation } from './naive-writer';
import { EXAMPLE_POLICY_FILE, workerScript } from './repo-paths';
import { round3 } from './stats';
import { WorkerProcess } from './worker-process';

const ESCALATIONS = 50;
const PROCESSES = 5;
const REQUESTS_PER_ESCALATION_TARGET = 2.5;
const WORKER_TIMEOUT_MS = 60_000;

interface ContentionOutcome {
  wallMs: number;
  requests: number;
  requestsPerEscalation: number;
  /** 412s the emulator answered. */
  conflicts: number;
  /** Escalations that reported a failure. */
  failed: number;
  /** The distinct failure messages, a few at most. */
  failureSamples: string[];
  /** Requested members missing from the group at the end. */
  lost: number;
}

/**
 * Figure 2: 50 escalations of one group at the same moment, by one engine (coalescing), by five processes
 * (If-Match and retries), and by a naive writer that sends no If-Match, on a fresh emulator each.
 */
export async function contentionFigure(settings: BenchSettings): Promise<FigureResult> {
  const inProcess = await onEmulator(settings.delayMs, inOneProcess);
  const multiProcess = await onEmulator(settings.delayMs, overProcesses);
  const naive = await onEmulator(settings.delayMs, naively);
  const json = Object.fromEntries(
    Object.entries({ inProcess, multiProcess, naive }).map(([k, o]) => [
      k,
      { ...o, wallMs: round3(o.wallMs), requestsPerEscalation: round3(o.requestsPerEscalation) },
    ]),
  );
  return {
    title: '2. Contention (50 at once)',
    json: { escalations: ESCALATIONS, processes: PROCESSES, ...json },
    rows: [...rowsOf('1 process', inProcess, true), ...rowsOf(`${PROCESSES} processes`, multiProcess, false), ...rowsOf('naive, no If-Match', naive, false)],
  };
}

function rowsOf(label: string, o: ContentionOutcome, requestTarget: boolean): FigureRow[] {
  const perEscalation = {
    metric: `${label}: API requests / escalation`,
    value: `${o.requestsPerEscalation.toFixed(2)} (${o.requests} requests, ${o.conflicts} × 412)`,
  };
  const naive = label.startsWith('naive');
  return [
    { metric: `${label}: wall`, value: ms(o.wallMs) },
    requestTarget
      ? { ...perEscalation, target: `≤ ${REQUESTS_PER_ESCALATION_TARGET}`, met: o.requestsPerEscalation <= REQUESTS_PER_ESCALATION_TARGET }
      : perEscalation,
    {
      metric: `${label}: lost updates`,
      value: `${o.lost} of ${ESCALATIONS}${o.failed > 0 ? ` (${o.failed} failed)` : ''}`,
      // The naive writer has no target: it is there to show what If-Match is for.
      ...(naive ? {} : { target: '0', met: o.lost === 0 }),
    },
  ];
}

async function onEmulator(delayMs: number, scenario: (emulator: TailnetEmulator) => Promise<ContentionOutcome>): Promise<ContentionOutcome> {
  const emulator = await TailnetEmulator.start({ policy: readFileSync(EXAMPLE_POLICY_FILE, 'utf8'), latencyMs: delayMs });
  try {
    return await scenario(emulator);
  } finally {
    await emulator.stop();
  }
}

const FAILURE_SAMPLES = 3;

function outcomeOf(emulator: TailnetEmulator, expected: readonly string[], failures: readonly string[], wallMs: number): ContentionOutcome {
  const requests = emulator.requests.length;
  return {
    wallMs,
    requests,
    requestsPerEscalation: requests / expected.length,
    conflicts: emulator.requests.filter((r) => r.status === 412).length,
    failed: failures.length,
    failureSamples: [...new Set(failures)].slice(0, FAILURE_SAMPLES),
    lost: countLost(emulator.policy, BENCH_GROUP, expected),
  };
}

async function inOneProcess(emulator: TailnetEmulator): Promise<ContentionOutcome> {
  const handler = benchHandler(benchManifest(emulator.url, 'apiKey'), EMULATOR_KEY_CREDENTIALS);
  const members = requesters('one', ESCALATIONS);
  const start = performance.now();
  const tally = await escalateAll(handler, members, 'r-one');
  return outcomeOf(emulator, members, tally.failures, performance.now() - start);
}

async function overProcesses(emulator: TailnetEmulator): Promise<ContentionOutcome> {
  const perProcess = ESCALATIONS / PROCESSES;
  const prefixes = Array.from({ length: PROCESSES }, (_, p) => `proc${p}`);
  const workers = prefixes.map((prefix) => new WorkerProcess(workerScript('escalate-worker'), [emulator.url, prefix, String(perProcess)], WORKER_TIMEOUT_MS));
  try {
    await Promise.all(workers.map((w) => w.ready));
    const start = performance.now();
    const tallies = (await Promise.all(workers.map((w) => w.go()))).map((line) => JSON.parse(line) as EscalationTally);
    const wallMs = performance.now() - start;
    const members = prefixes.flatMap((prefix) => requesters(prefix, perProcess));
    return outcomeOf(
      emulator,
      members,
      tallies.flatMap((t) => t.failures),
      wallMs,
    );
  } finally {
    workers.forEach((w) => w.stop());
  }
}

async function naively(emulator: TailnetEmulator): Promise<ContentionOutcome> {
  const members = requesters('naive', ESCALATIONS);
  const until = new Date(Date.now() + 3_600_000);
  const start = performance.now();
  const settled = await Promise.allSettled(members.map((member) => naiveEscalation(emulator.url, BENCH_GROUP, member, until)));
  const wallMs = performance.now() - start;
  const failures = settled.flatMap((s) => (s.status === 'rejected' ? [String((s.reason as Error).message)] : []));
  return outcomeOf(emulator, members, failures, wallMs);
}
