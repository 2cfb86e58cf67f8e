import { SymtailError } from '../errors';

/** A policy file whose access sections do not have the shape Tailscale gives them; names the field and its line. */
export class PolicyShapeError extends SymtailError<'policy-invalid'> {
  constructor(
    readonly field: string,
    readonly line: number,
    expected: string,
  ) {
    super('policy-invalid', `${field} (line ${line}): expected ${expected}`);
  }
}
