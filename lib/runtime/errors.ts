import { SymtailError } from '../errors';

export { describeError } from '../errors';

/** A request the runtime refuses before touching the API; `code` is stable for callers. */
export class RequestRejectedError extends SymtailError<'invalid-request' | 'unknown-flow' | 'unknown-target' | 'denied'> {}

/** A sweep that could not reach every tailnet; the audit line says what was done on the others. */
export class SweepIncompleteError extends SymtailError<'sweep-incomplete'> {
  constructor(failures: readonly string[]) {
    super('sweep-incomplete', `sweep incomplete: ${failures.join('; ')}`);
  }
}

/** Codes that mean the request itself was wrong, so nothing was attempted. */
export const REJECTION_CODES: ReadonlySet<string> = new Set(['invalid-event', 'invalid-request', 'unknown-flow', 'unknown-target', 'denied']);
