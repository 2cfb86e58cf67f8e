/**
 * The one base of every error symtail raises. Each subclass fixes its `code` (a stable, kebab-case word callers
 * branch on and results and audit lines carry), so a code is assigned in exactly one place: where the error is made.
 *
 *   try { … } catch (e) { if (e instanceof SymtailError && e.code === 'policy-unparseable') … }
 */
export class SymtailError<Code extends string = string> extends Error {
  constructor(
    readonly code: Code,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** `{code, message}` of any error, for results, audit lines and request history. Errors symtail raises name
 * secrets and tailnets but never quote credentials, so their messages can be passed on as they are. */
export function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof SymtailError) return { code: error.code, message: error.message };
  if (error instanceof Error) return { code: 'internal-error', message: error.message };
  return { code: 'internal-error', message: String(error) };
}
