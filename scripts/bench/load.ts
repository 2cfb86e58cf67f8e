import { BenchSettings, FigureResult, FigureRow, ms } from './figure';
import { LoadDeployment, LoadOutcome, LoadSettings } from './load-run';
import { round3 } from './stats';

const CONTAINERS = 10;
const TAILNETS = 10;
const FULL = { requests: 1000, seconds: 60 };
const QUICK = { requests: 100, seconds: 6 };

/**
 * Figure 8: 1,000 requests over a minute from ten containers of the packaged function (long-lived processes, one event
 * at a time each, as Lambda gives them), every call proven to STS, each request approved by bob through another
 * container; against one tailnet, then spread over ten (one emulator keeping a policy file per tailnet).
 */
export async function loadFigure(settings: BenchSettings): Promise<FigureResult> {
  const scale = settings.quick ? QUICK : FULL;
  const deployment = await LoadDeployment.start(TAILNETS);
  try {
    const runs: LoadOutcome[] = [];
    for (const tailnets of [1, TAILNETS]) {
      const load: LoadSettings = { ...scale, containers: CONTAINERS, tailnets, delayMs: settings.delayMs };
      runs.push(await deployment.run(load));
    }
    return {
      title: `8. Load (${scale.requests} in ${scale.seconds} s)`,
      json: {
        containers: CONTAINERS,
        ...scale,
        runs: runs.map((run) => ({ ...jsonOf(run), settings: run.settings })),
        // Lambda hands a container one event at a time, so a container never holds two edits to share a write.
        coalescing: 'none within a container: one event at a time, so policy writes per escalation are 1',
      },
      rows: runs.flatMap(rowsOf),
    };
  } finally {
    await deployment.stop();
  }
}

function jsonOf(o: LoadOutcome): Record<string, unknown> {
  const per = (n: number, d: number) => (d === 0 ? 0 : round3(n / d));
  return {
    wallMs: round3(o.wallMs),
    escalated: o.escalated,
    grantedBySweep: o.grantedBySweep,
    failed: o.failed,
    failureSamples: o.failureSamples,
    lostGrants: o.lostGrants,
    doubleGrants: o.doubleGrants,
    unexpectedGrants: o.unexpectedGrants,
    policyWrites: o.policyWrites,
    writesPerEscalation: per(o.policyWrites, o.escalated),
    preconditionFailures: o.preconditionFailures,
    preconditionFailuresPerWrite: per(o.preconditionFailures, o.policyWrites),
    tailnetRequests: o.tailnetRequests,
    tailnetRequestsPerEscalation: per(o.tailnetRequests, o.escalated),
    auditedRoundTrips: o.auditedRoundTrips,
    cacheHits: o.cacheHits,
    cacheHitRate: per(o.cacheHits, o.escalated),
    approvalToAccessMs: { p50: round3(o.approvalToAccessMs.p50), p95: round3(o.approvalToAccessMs.p95), p99: round3(o.approvalToAccessMs.p99) },
    containerWaitMs: { p50: round3(o.containerWaitMs.p50), p95: round3(o.containerWaitMs.p95) },
    approvalInContainerMs: { p50: round3(o.approvalInContainerMs.p50), p95: round3(o.approvalInContainerMs.p95), p99: round3(o.approvalInContainerMs.p99) },
    peakConcurrentTailnetRequests: o.peakConcurrentTailnetRequests,
  };
}

function rowsOf(o: LoadOutcome): FigureRow[] {
  const label = o.settings.tailnets === 1 ? '1 tailnet' : `${o.settings.tailnets} tailnets`;
  const { requests, seconds } = o.settings;
  const a = o.approvalToAccessMs;
  const c = o.approvalInContainerMs;
  return [
    {
      metric: `${label}: granted at approval / by the next sweep / failed; wall (sent over ${seconds} s)`,
      value: `${o.escalated} / ${o.grantedBySweep} / ${o.failed}; ${(o.wallMs / 1000).toFixed(1)} s`,
      target: `${requests} / 0 / 0`,
      met: o.escalated === requests,
    },
    {
      metric: `${label}: lost / double / unexpected grants`,
      value: `${o.lostGrants} / ${o.doubleGrants} / ${o.unexpectedGrants}`,
      target: '0 / 0 / 0',
      met: o.lostGrants + o.doubleGrants + o.unexpectedGrants === 0,
    },
    {
      metric: `${label}: policy writes per escalation; 412s per write`,
      value: `${(o.policyWrites / o.escalated).toFixed(2)}; ${(o.preconditionFailures / o.policyWrites).toFixed(2)}`,
    },
    {
      metric: `${label}: tailnet requests per escalation; kept-copy hits`,
      value: `${(o.tailnetRequests / o.escalated).toFixed(2)}; ${o.cacheHits} of ${o.escalated}`,
    },
    { metric: `${label}: approval → access p50 / p95 / p99`, value: `${ms(a.p50)} / ${ms(a.p95)} / ${ms(a.p99)}` },
    { metric: `${label}: of which waiting for a free container, p50 / p95`, value: `${ms(o.containerWaitMs.p50)} / ${ms(o.containerWaitMs.p95)}` },
    { metric: `${label}: the approval inside its container, p50 / p95 / p99`, value: `${ms(c.p50)} / ${ms(c.p95)} / ${ms(c.p99)}` },
    { metric: `${label}: emulator's peak concurrent requests`, value: String(o.peakConcurrentTailnetRequests) },
  ];
}
