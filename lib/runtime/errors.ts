import { HujsonSyntaxError, PolicyEditError, PolicyInputError } from '../policy';

/** A request the runtime refuses before touching the API; `code` is stable for callers. */
export class RequestRejectedError extends Error {
  constructor(
    readonly code: 'invalid-request' | 'unknown-flow' | 'unknown-target' | 'denied',
    message: string,
  ) {
    super(message);
    this.name = 'RequestRejectedError';
  }
}

/** A sweep that could not reach every tailnet; `tailnets` holds what was done on each, failures included. */
export class SweepIncompleteError extends Error {
  readonly code = 'sweep-incomplete';
  constructor(
    failures: readonly string[],
    readonly tailnets: readonly unknown[],
  ) {
    super(`sweep incomplete: ${failures.join('; ')}`);
    this.name = 'SweepIncompleteError';
  }
}

/** Codes that mean the request itself was wrong, so nothing was attempted. */
export const REJECTION_CODES: ReadonlySet<string> = new Set(['invalid-event', 'invalid-request', 'unknown-flow', 'unknown-target', 'denied']);

function codeOf(error: Error): string {
  if (error instanceof PolicyInputError) return 'invalid-request';
  if (error instanceof HujsonSyntaxError) return 'policy-unparseable';
  if (error instanceof PolicyEditError) return 'policy-edit-failed';
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : 'internal-error';
}

/** `{code, message}` of any error, for results and audit lines. Errors raised below the runtime name secrets
 * and tailnets but never quote credentials, so their messages can be passed on as they are. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof Error) return { code: codeOf(error), message: error.message };
  return { code: 'internal-error', message: String(error) };
}
