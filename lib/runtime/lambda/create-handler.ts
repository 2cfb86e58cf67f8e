import { ReminderResult, RequestService, SweepRecord, TickResult } from '../../requests';
import { AuditEvent, AuditSink, stdoutAuditSink } from '../audit';
import type { CheckResult } from '../doctor';
import { AccessEngine, EngineResult, SweepResult } from '../engine';
import { checkBounds, DescribedError, INPUT_LIMITS } from '../../errors';
import { AssertedIdentityError, describeError } from '../errors';
import { ACTIONS, EventError, HandlerEvent, parseEvent, RuntimeEvent } from '../events';
import { FunctionUrlResult } from '../function-url/function-url-event';
import type { SlackOutcome } from '../slack-interactions';
import { InvocationDeadline, LambdaContext } from './invocation-deadline';

/** What the handler answers an event of the engine's own. */
export type EngineAnswer =
  | Exclude<EngineResult, SweepResult>
  | (SweepResult & { readonly requests?: TickResult; readonly reminders?: ReminderResult })
  | { readonly ok: false; readonly error: DescribedError };

/** What the handler answers: the engine's answer, the checklist, a route's HTTP answer, or what became of a Slack hand-off. */
export type HandlerResult = EngineAnswer | CheckResult | FunctionUrlResult | SlackOutcome;

/**
 * A kind of event the function serves besides the engine's own (a function URL's HTTP request, a Slack hand-off).
 * Routes are asked in order; the first that matches answers, and the event never reaches the engine.
 */
export interface EventRoute {
  matches(event: unknown): boolean;
  handle(event: unknown, context?: LambdaContext): Promise<HandlerResult>;
}

export interface HandlerOptions {
  readonly routes?: readonly EventRoute[];
  /** Requests whose expiries, retries and endings the minute sweep drives. */
  readonly requests?: RequestService;
  /** The reminders the minute sweep sends after the requests' part; they never fail it. */
  readonly reminders?: { sweep(now: Date): Promise<ReminderResult> };
  /** Where each scheduled (not dry-run) sweep notes when it started and how it ended, for the check. */
  readonly sweepRecord?: SweepRecord;
  /** What answers `{"action":"check"}`. */
  readonly doctor?: { check(): Promise<CheckResult> };
}

/** Events whose requester is a field of the event: honoured only when the runtime opts in. */
function assertsIdentity(event: HandlerEvent): boolean {
  return event.action === 'escalate' || event.action === 'deescalate';
}

/**
 * The Lambda entry point around an engine: routes first (each checks its own events), then the engine's events,
 * checked against their schema before anything else so a malformed event never reaches the API. Every event is held
 * to the input limits first (a direct event to 16 KB and 32 levels, a route's envelope to the depth), before anything
 * walks it. Every answer is JSON, except a sweep that could not finish: that invocation fails.
 */
export function createHandler(engine: AccessEngine, audit: AuditSink = stdoutAuditSink, deadline?: InvocationDeadline, options: HandlerOptions = {}) {
  const reject = (action: AuditEvent['action'], error: unknown) => {
    const described = describeError(error);
    audit({ type: 'symtail.audit', time: new Date().toISOString(), action, outcome: 'rejected', error: described });
    return { ok: false as const, error: described };
  };
  return async function handler(event: unknown, context?: LambdaContext): Promise<HandlerResult> {
    deadline?.start(context);
    const route = options.routes?.find((r) => r.matches(event));
    // A route's envelope is Lambda's, and its route bounds the body it carries; a direct event is input as a whole.
    try {
      checkBounds(event, route === undefined ? INPUT_LIMITS : { maxBytes: Infinity, maxDepth: INPUT_LIMITS.maxDepth }, 'event');
    } catch (error) {
      return reject('invalid', error);
    }
    if (route !== undefined) return route.handle(event, context);
    let parsed;
    try {
      parsed = parseEvent(event);
    } catch (error) {
      const action = (event as { action?: unknown } | null)?.action;
      return reject(ACTIONS.includes(action as never) ? (action as AuditEvent['action']) : 'invalid', error);
    }
    if (assertsIdentity(parsed) && !engine.manifest.requests.allowAssertedIdentity) {
      return reject(parsed.action, new AssertedIdentityError(parsed.action));
    }
    if (parsed.action === 'check') {
      if (options.doctor === undefined)
        return reject('check', new EventError('event.action: "check" needs a runtime with its deployment wired (the Lambda handler)'));
      try {
        return await options.doctor.check();
      } catch (error) {
        return { ok: false, error: describeError(error) };
      }
    }
    if (parsed.action === 'sweep' && parsed.dryRun !== true) {
      const { requests, reminders } = options;
      return recordedSweep<EngineAnswer>(options.sweepRecord, engine.now, audit, () =>
        requests === undefined ? engine.sweep(parsed) : sweepWithRequests(engine, requests, parsed, reminders),
      );
    }
    try {
      return await engine.handle(parsed);
    } catch (error) {
      // A sweep that could not finish fails the invocation (the engine has audited it), so Lambda's Errors metric,
      // its async retries and the on-failure destination see it: an unswept grant would otherwise last for ever.
      if (parsed.action === 'sweep') throw error;
      return { ok: false, error: describeError(error) };
    }
  };
}

/**
 * A scheduled sweep, noted in the sweep's record: when it started (written while it runs), and when it succeeded or
 * failed and why. The record is bookkeeping for the check: a failure to write it is audited (`sweep-record`) and never
 * changes the sweep's outcome, which is still thrown when the sweep could not finish.
 */
async function recordedSweep<T>(record: SweepRecord | undefined, now: () => Date, audit: AuditSink, sweep: () => Promise<T>): Promise<T> {
  if (record === undefined) return sweep();
  const noteFailure = (error: unknown) => {
    const { name = 'Error', message = String(error) } = error as { name?: string; message?: string };
    audit({
      type: 'symtail.audit',
      time: now().toISOString(),
      action: 'sweep-record',
      outcome: 'failed',
      error: { code: 'sweep-record-failed', message: `${name}: ${message}` },
    });
  };
  const started = record.started(now()).catch(noteFailure);
  try {
    const result = await sweep();
    await started;
    await record.succeeded(now()).catch(noteFailure);
    return result;
  } catch (error) {
    await started;
    await record.failed(now(), describeError(error)).catch(noteFailure);
    throw error;
  }
}

/**
 * The minute sweep: grants first, then requests, then reminders. Requests whose grant ran out are ended only when the
 * grant sweep finished, and the grants it still found are checked against their requests (those of closed requests
 * removed); pending expiries, escalation retries and reminders go on even when it did not, and its failure is still
 * thrown. Reminders never throw: a reminder that could not be sent is audited and tried again next minute.
 */
async function sweepWithRequests(
  engine: AccessEngine,
  requests: RequestService,
  event: RuntimeEvent & { action: 'sweep' },
  reminders?: HandlerOptions['reminders'],
): Promise<EngineAnswer> {
  let swept: SweepResult;
  try {
    swept = await engine.sweep(event);
  } catch (error) {
    await requests.tick(engine.now(), { grantsSwept: false });
    await reminders?.sweep(engine.now());
    throw error;
  }
  const grantsHeld = swept.tailnets.flatMap((t) => t.requestsHeld);
  const ticked = await requests.tick(engine.now(), { grantsSwept: true, grantsHeld });
  return { ...swept, requests: ticked, ...(reminders !== undefined && { reminders: await reminders.sweep(engine.now()) }) };
}
