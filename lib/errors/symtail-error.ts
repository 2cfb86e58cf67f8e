import { ERROR_CODES, ErrorCode } from './codes';

/**
 * The one base of every error symtail raises. Each subclass fixes its `code` (a stable, kebab-case word callers
 * branch on and results and audit lines carry), so a code is assigned in exactly one place: where the error is made.
 * A code is one of {@link ERROR_CODES}, which gives its HTTP status.
 *
 *   try { … } catch (e) { if (e instanceof SymtailError && e.code === 'policy-unparseable') … }
 */
export class SymtailError<Code extends ErrorCode = ErrorCode> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The HTTP status an edge answers this error with. */
  get httpStatus(): (typeof ERROR_CODES)[Code]['status'] {
    return ERROR_CODES[this.code].status;
  }
}

/** An error as results, audit lines and request history carry it. */
export interface DescribedError {
  readonly code: ErrorCode;
  readonly message: string;
}

/** `{code, message}` of any error, for results, audit lines and request history. Errors symtail raises name
 * secrets and tailnets but never quote credentials, so their messages can be passed on as they are. */
export function describeError(error: unknown): DescribedError {
  if (error instanceof SymtailError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal-error', message: error.message };
  return { code: 'internal-error', message: String(error) };
}
