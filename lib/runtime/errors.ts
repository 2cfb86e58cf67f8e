import { SymtailError } from '../errors';

/** A request the runtime refuses before touching the API; `code` is stable for callers. */
export class RequestRejectedError extends SymtailError<'invalid-request' | 'unknown-flow' | 'unknown-target' | 'denied'> {}

/** A sweep that could not reach every tailnet; `tailnets` holds what was done on each, failures included. */
export class SweepIncompleteError extends SymtailError<'sweep-incomplete'> {
  constructor(
    failures: readonly string[],
    readonly tailnets: readonly unknown[],
  ) {
    super('sweep-incomplete', `sweep incomplete: ${failures.join('; ')}`);
  }
}

/** Codes that mean the request itself was wrong, so nothing was attempted. */
export const REJECTION_CODES: ReadonlySet<string> = new Set(['invalid-event', 'invalid-request', 'unknown-flow', 'unknown-target', 'denied']);

/** `{code, message}` of any error, for results and audit lines. Errors raised below the runtime name secrets
 * and tailnets but never quote credentials, so their messages can be passed on as they are. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof SymtailError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal-error', message: error.message };
  return { code: 'internal-error', message: String(error) };
}
