import { quoteForMessage, SymtailError } from '../errors';

/** Policy messages quote logins, keys and annotations through the one bounded, escaping quote. */
export { quoteForMessage };
/** A request the policy engine refuses before reading the file: the message names the field and what was expected. */
export class PolicyInputError extends SymtailError<'invalid-policy-argument' | 'invalid-login'> {
  constructor(
    readonly field: string,
    expected: string,
    got?: string,
    code: 'invalid-policy-argument' | 'invalid-login' = 'invalid-policy-argument',
  ) {
    super(code, `${field}: expected ${expected}${got === undefined ? '' : `, got ${got}`}`);
  }
}

/** A login that must not go into a policy file. */
export class LoginError extends PolicyInputError {
  constructor(field: string, expected: string, got: string) {
    super(field, expected, got, 'invalid-login');
  }
}

/** The policy file cannot take the edit: the group is missing, or the file's shape is not a policy's. */
export class PolicyEditError extends SymtailError<'policy-edit-failed'> {
  constructor(message: string) {
    super('policy-edit-failed', message);
  }
}

/**
 * The edit names a group the policy file lacks, or the file has no `groups` section at all (`sectionMissing`);
 * `hint` says what the caller can do about it.
 */
export class MissingGroupError extends PolicyEditError {
  constructor(
    readonly group: string,
    readonly hint: string,
    readonly sectionMissing = false,
  ) {
    const name = quoteForMessage(`group:${group}`);
    super(
      sectionMissing
        ? `policy file: no "groups" section, so group ${name} does not exist (${hint})`
        : `policy file: group ${name} does not exist in "groups" (${hint})`,
    );
  }
}

/** What to add by hand to a policy file without a `groups` section, so that it has `group:<group>`. */
export function groupsSectionFix(group: string): string {
  return `add "groups": {${JSON.stringify(`group:${group}`)}: []} to the policy file`;
}

/**
 * An edit that, once the file is formatted as Tailscale stores it, would change the ledger of a member it does not
 * name (standing, or granted until when and by which request): nothing is written. `before` and `after` say what the
 * member's entries read as.
 */
export class OtherMemberChangedError extends SymtailError<'other-member-changed'> {
  constructor(
    readonly group: string,
    readonly member: string,
    readonly before: string,
    readonly after: string,
  ) {
    super(
      'other-member-changed',
      `policy file: the edit would change group:${group} member ${quoteForMessage(member)} from ${before} to ${after} ` +
        'once formatted as Tailscale stores the file, so nothing was written: check the symtail comments around that member by hand',
    );
  }
}
