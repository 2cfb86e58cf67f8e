import { AuditEvent, AuditSink, stdoutAuditSink } from '../audit';
import { AccessEngine, EngineResult } from '../engine';
import { describeError } from '../errors';
import { ACTIONS, parseEvent } from '../events';
import { InvocationDeadline, LambdaContext } from './invocation-deadline';

export type HandlerResult = EngineResult | { readonly ok: false; readonly error: { readonly code: string; readonly message: string } };

/**
 * The Lambda entry point around an engine: the event is checked against its schema before anything else,
 * so a malformed event never reaches the API. Every answer is JSON, except a sweep that could not finish: that
 * invocation fails.
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
      // A sweep that could not finish fails the invocation (the engine has audited it), so Lambda's Errors metric,
      // its async retries and the on-failure destination see it: an unswept grant would otherwise last for ever.
      if (parsed.action === 'sweep') throw error;
      return { ok: false, error: describeError(error) };
    }
  };
}
