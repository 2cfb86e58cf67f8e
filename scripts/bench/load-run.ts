import { standardize } from '../../lib/hujson';
import { listLedger } from '../../lib/policy';
import { credentialFor, identityCenterArn, LambdaProcess, provenFunctionUrlEvent, StandInCredential, TailnetEmulator } from '../../lib/testing';
import { buildLoadApp, LOAD_APPROVER, LOAD_GROUP, loadFlow, loadTailnet } from '../fixtures/load-app';
import { PackagedRequests, read, startPackagedRequests } from '../fixtures/packaged-requests';
import { PACKAGED_NODE_PATH } from '../packaged-function';
import { percentile } from './stats';

const APPROVER = credentialFor(identityCenterArn(LOAD_APPROVER));
const FAILURE_SAMPLES = 3;

export interface LoadSettings {
  /** Requests sent, each then approved. */
  readonly requests: number;
  /** The requests are sent evenly over this many seconds. */
  readonly seconds: number;
  /** Function processes (Lambda containers), each serving one event at a time. */
  readonly containers: number;
  /** Tailnets the requests are spread over, in turn. */
  readonly tailnets: number;
  /** Latency the tailnet emulator adds to every request. */
  readonly delayMs: number;
}

export interface LoadOutcome {
  readonly settings: LoadSettings;
  readonly wallMs: number;
  /** Requests whose approval answered `escalated`. */
  readonly escalated: number;
  /** Approved requests whose grant was given up on (too many 412s) and written by the sweep that ends the run. */
  readonly grantedBySweep: number;
  /** Requests or approvals that did not answer as they should, the sweep's grants aside, and a few of their answers. */
  readonly failed: number;
  readonly failureSamples: readonly string[];
  /** Escalated requests whose grant is not in their tailnet's policy file at the end. */
  readonly lostGrants: number;
  /** Logins or request ids that appear more than once in a tailnet's group. */
  readonly doubleGrants: number;
  /** Grants in the files that no escalated request accounts for. */
  readonly unexpectedGrants: number;
  /** Successful policy writes, and the 412s met on the way (the final sweep's aside). */
  readonly policyWrites: number;
  readonly preconditionFailures: number;
  /** Every request to the policy-file API (reads and writes, 412s included). */
  readonly tailnetRequests: number;
  /** The same, summed from the grants' audit lines (`roundTrips`): the emulator's count, less what grants given up on sent. */
  readonly auditedRoundTrips: number;
  /** Grants written on the copy their container kept, with no read. */
  readonly cacheHits: number;
  /** From the approval being sent to its answer (the grant written): the approver's wait. */
  readonly approvalToAccessMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  /** Of that, the wait for a container free to take the approval (each serves one event at a time). */
  readonly containerWaitMs: { readonly p50: number; readonly p95: number };
  /** The rest: the approval inside its container (proof, gate, the grant's reads and writes, the record). */
  readonly approvalInContainerMs: { readonly p50: number; readonly p95: number; readonly p99: number };
  readonly peakConcurrentTailnetRequests: number;
}

/** Lambda gives a container one event at a time: an event waits here for a free one, another than `exclude`. */
class ContainerPool {
  private readonly idle: number[];
  private readonly waiting: { exclude?: number; take: (container: number) => void }[] = [];

  constructor(size: number) {
    this.idle = Array.from({ length: size }, (_, i) => i);
  }

  /** The container idle longest (so work spreads over all of them, the hardest case for what each keeps). */
  acquire(exclude?: number): Promise<number> {
    const at = this.idle.findIndex((c) => c !== exclude);
    if (at >= 0) return Promise.resolve(this.idle.splice(at, 1)[0]);
    return new Promise((take) => this.waiting.push({ exclude, take }));
  }

  release(container: number): void {
    const at = this.waiting.findIndex((w) => w.exclude !== container);
    if (at >= 0) this.waiting.splice(at, 1)[0].take(container);
    else this.idle.push(container);
  }
}

/**
 * The load app's synthesized zip with every stand-in it reaches (see `startPackagedRequests`): a tailnet emulator
 * holding one policy file per tailnet. Each `run` starts its own containers on a reset emulator.
 */
export class LoadDeployment {
  private requesters = 0;

  private constructor(
    private readonly env: PackagedRequests,
    private readonly tailnets: number,
  ) {}

  /** The tailnet emulator every run goes to (reset at the start of each). */
  get emulator(): TailnetEmulator {
    return this.env.emulator;
  }

  static async start(tailnets: number): Promise<LoadDeployment> {
    const names = Array.from({ length: tailnets }, (_, k) => loadTailnet(k));
    const env = await startPackagedRequests([APPROVER], { tailnets: names, separatePolicies: true }, { build: (app) => buildLoadApp(app, tailnets) });
    return new LoadDeployment(env, tailnets);
  }

  /**
   * Sends `requests` requests (each by a requester of its own, to the flow of tailnet `i mod tailnets`) evenly over
   * `seconds`; as each is answered, bob approves it through another container. Then reads every tailnet's file.
   * `prepare` may queue faults on the emulator once it is reset.
   */
  async run(settings: LoadSettings, prepare?: (emulator: TailnetEmulator) => void): Promise<LoadOutcome> {
    if (settings.tailnets > this.tailnets) throw new Error(`load: ${settings.tailnets} tailnets asked, the deployment has ${this.tailnets}`);
    if (settings.containers < 2) throw new Error('load: at least two containers, so another one approves');
    const { emulator, sts } = this.env;
    emulator.reset();
    prepare?.(emulator);
    emulator.latencyMs = settings.delayMs;
    const requesters = Array.from({ length: settings.requests }, () => credentialFor(identityCenterArn(`load-${this.requesters++}@example.com`)));
    requesters.forEach((c) => sts.add(c));
    const containers = await Promise.all(
      Array.from({ length: settings.containers }, () =>
        LambdaProcess.start({ dir: this.env.pkg.dir, nodePath: PACKAGED_NODE_PATH, env: this.env.pkg.environment(this.env.standIns) }),
      ),
    );
    try {
      const pool = new ContainerPool(containers.length);
      const invoke = async (event: object, exclude?: number) => {
        const asked = performance.now();
        const container = await pool.acquire(exclude);
        const waitedMs = performance.now() - asked;
        try {
          return { container, waitedMs, answer: read(await containers[container].invoke(event)) };
        } finally {
          pool.release(container);
        }
      };
      const failures: string[] = [];
      const escalatedIds: { id: string; tailnet: number }[] = [];
      /** Approved, their grant given up on (the sweep retries it), by id: their tailnet. */
      const leftApproved = new Map<string, number>();
      const approvalMs: number[] = [];
      const waitMs: number[] = [];
      const inContainerMs: number[] = [];
      const life = async (i: number, requester: StandInCredential) => {
        const tailnet = i % settings.tailnets;
        const { flow, target } = loadFlow(tailnet);
        // The callers' part (signing their proofs) is theirs, outside the runtime's time.
        const asked = await provenFunctionUrlEvent(requester, { action: 'request', flow, target, duration: '1h', reason: `load ${i}` }, { sts: sts.url });
        const requested = await invoke(asked);
        if (requested.answer.status !== 200) return void failures.push(`request: ${requested.answer.status} ${JSON.stringify(requested.answer.body.error)}`);
        const id: string = requested.answer.body.request.id;
        const approval = await provenFunctionUrlEvent(APPROVER, { action: 'approve', requestId: id }, { sts: sts.url });
        const sent = performance.now();
        const approved = await invoke(approval, requested.container);
        approvalMs.push(performance.now() - sent);
        waitMs.push(approved.waitedMs);
        inContainerMs.push(performance.now() - sent - approved.waitedMs);
        const state = approved.answer.body.request?.state;
        if (approved.answer.status !== 200 || state !== 'escalated') {
          if (state === 'approved') leftApproved.set(id, tailnet);
          // An approved request whose grant could not be written says why in its history's last entry.
          const why = approved.answer.body.request?.history?.at(-1)?.detail ?? JSON.stringify(approved.answer.body.error);
          return void failures.push(`approve: ${approved.answer.status} ${state ?? ''}: ${String(why).slice(0, 200)}`);
        }
        escalatedIds.push({ id, tailnet });
      };
      const intervalMs = (settings.seconds * 1000) / settings.requests;
      const start = performance.now();
      const lives: Promise<void>[] = [];
      for (const [i, requester] of requesters.entries()) {
        const due = start + i * intervalMs - performance.now();
        if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
        lives.push(life(i, requester).catch((error: Error) => void failures.push(`life ${i}: ${error.message}`)));
      }
      await Promise.all(lives);
      const wallMs = performance.now() - start;
      if (approvalMs.length === 0) throw new Error(`load: no approval was answered; ${failures.slice(0, FAILURE_SAMPLES).join('; ')}`);

      const grants = containers.flatMap((c) => c.logLines()).filter((line) => line.type === 'symtail.audit' && line.action === 'escalate');
      const acl = emulator.requests.filter((r) => r.path.endsWith('/acl'));
      const policyWrites = emulator.writes;
      // A grant given up on stays approved, and the minute sweep writes it: the load ends with that sweep.
      const grantedBySweep = leftApproved.size === 0 ? [] : await this.sweepFor(containers[0], leftApproved);
      escalatedIds.push(...grantedBySweep);
      const files = this.filesOf(settings.tailnets);
      const expected = new Set(escalatedIds.map((e) => `${e.tailnet} ${e.id}`));
      const held = new Set(files.flatMap((f, k) => f.requestIds.map((id) => `${k} ${id}`)));
      return {
        settings,
        wallMs,
        escalated: escalatedIds.length - grantedBySweep.length,
        grantedBySweep: grantedBySweep.length,
        failed: failures.length - grantedBySweep.length,
        failureSamples: [...new Set(failures)].slice(0, FAILURE_SAMPLES),
        lostGrants: [...expected].filter((e) => !held.has(e)).length,
        doubleGrants: files.reduce((n, f) => n + repeats(f.requestIds) + repeats(f.members), 0),
        unexpectedGrants: [...held].filter((h) => !expected.has(h)).length,
        policyWrites,
        preconditionFailures: acl.filter((r) => r.status === 412).length,
        tailnetRequests: acl.length,
        auditedRoundTrips: grants.reduce((n, line) => n + (typeof line.roundTrips === 'number' ? line.roundTrips : 0), 0),
        cacheHits: grants.filter((line) => line.cached === true).length,
        approvalToAccessMs: { p50: percentile(approvalMs, 50), p95: percentile(approvalMs, 95), p99: percentile(approvalMs, 99) },
        containerWaitMs: { p50: percentile(waitMs, 50), p95: percentile(waitMs, 95) },
        approvalInContainerMs: { p50: percentile(inContainerMs, 50), p95: percentile(inContainerMs, 95), p99: percentile(inContainerMs, 99) },
        peakConcurrentTailnetRequests: emulator.peakConcurrentRequests,
      };
    } finally {
      await Promise.all(containers.map((c) => c.stop()));
    }
  }

  /** Runs the sweep; the requests of `approved` it grants, with their tailnets. */
  private async sweepFor(container: LambdaProcess, approved: ReadonlyMap<string, number>): Promise<{ id: string; tailnet: number }[]> {
    const swept = (await container.invoke({ action: 'sweep' })) as { requests?: { escalated?: string[] } };
    return (swept.requests?.escalated ?? []).flatMap((id) => (approved.has(id) ? [{ id, tailnet: approved.get(id)! }] : []));
  }

  /** Each tailnet's group: its members (logins, lower-cased) and the request ids of its annotated grants. */
  private filesOf(tailnets: number): { members: string[]; requestIds: string[] }[] {
    return Array.from({ length: tailnets }, (_, k) => {
      const text = this.env.emulator.policyOf(loadTailnet(k));
      const groups = (JSON.parse(standardize(text)) as { groups: Record<string, string[]> }).groups;
      const grants = listLedger(text, new Date()).active.filter((g) => g.group === LOAD_GROUP);
      return {
        members: groups[`group:${LOAD_GROUP}`].map((m) => m.toLowerCase()),
        requestIds: grants.flatMap((g) => (g.requestId === undefined ? [] : [g.requestId])),
      };
    });
  }

  stop(): Promise<void> {
    return this.env.stop();
  }
}

/** How many entries repeat an earlier one. */
function repeats(values: readonly string[]): number {
  return values.length - new Set(values).size;
}
