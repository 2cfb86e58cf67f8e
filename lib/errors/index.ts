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
