import { quoteForMessage, SymtailError } from '../errors';

/** Policy messages quote logins, keys and annotations through the one bounded, escaping quote. */
export { quoteForMessage };
/** A request the policy engine refuses before reading the file: the message names the field and what was expected. */
export class PolicyInputError extends SymtailError<'invalid-request'> {
  constructor(
    readonly field: string,
    expected: string,
    got?: string,
  ) {
    super('invalid-request', `${field}: expected ${expected}${got === undefined ? '' : `, got ${got}`}`);
  }
}

/** A login that must not go into a policy file. */
export class LoginError extends PolicyInputError {}

/** The policy file cannot take the edit: the group is missing, or the file's shape is not a policy's. */
export class PolicyEditError extends SymtailError<'policy-edit-failed'> {
  constructor(message: string) {
    super('policy-edit-failed', message);
  }
}

/** The edit names a group the policy file lacks; `hint` says what the caller can do about it. */
export class MissingGroupError extends PolicyEditError {
  constructor(
    readonly group: string,
    readonly hint: string,
  ) {
    super(`policy file: group ${quoteForMessage(`group:${group}`)} does not exist in "groups" (${hint})`);
  }
}
