import { AuditEvent, AuditSink, stdoutAuditSink } from '../audit';
import { AccessEngine, EngineResult } from '../engine';
import { SweepIncompleteError, describeError } from '../errors';
import { ACTIONS, parseEvent } from '../events';
import { InvocationDeadline, LambdaContext } from './invocation-deadline';

export type HandlerResult = EngineResult | { readonly ok: false; readonly error: { readonly code: string; readonly message: string }; readonly tailnets?: readonly unknown[] };

/**
 * The Lambda entry point around an engine: the event is checked against its schema before anything else,
 * so a malformed event never reaches the API; every answer, success or failure, is JSON.
 */
export function createHandler(engine: AccessEngine, audit: AuditSink = stdoutAuditSink, deadline?: InvocationDeadline) {
  return async function handler(event: unknown, context?: LambdaContext): Promise<HandlerResult> {
    deadline?.start(context);
    let parsed;
    try {
      parsed = parseEvent(event);
    } catch (error) {
      const described = describeError(error);
      const action = (event as { action?: unknown } | null)?.action;
      audit({
        type: 'symtail.audit',
        time: new Date().toISOString(),
        action: ACTIONS.includes(action as never) ? (action as AuditEvent['action']) : 'invalid',
        outcome: 'rejected',
        error: described,
      });
      return { ok: false, error: described };
    }
    try {
      return await engine.handle(parsed);
    } catch (error) {
      // A partial sweep still did work on the tailnets it reached: say what, beside the error.
      return { ok: false, error: describeError(error), ...(error instanceof SweepIncompleteError ? { tailnets: error.tailnets } : {}) };
    }
  };
}
