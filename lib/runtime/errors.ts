import { SymtailError } from '../errors';

export { describeError, REJECTION_CODES } from '../errors';

/** A request the runtime refuses before touching the API; `code` is stable for callers. */
export class RequestRejectedError extends SymtailError<
  'invalid-request' | 'invalid-email' | 'unknown-flow' | 'unknown-target' | 'denied' | 'revoke-not-allowed'
> {}

/** A sweep that could not reach every tailnet; the audit line says what was done on the others. */
export class SweepIncompleteError extends SymtailError<'sweep-incomplete'> {
  constructor(failures: readonly string[]) {
    super('sweep-incomplete', `sweep incomplete: ${failures.join('; ')}`);
  }
}

/** A direct escalate or deescalate event names its own requester, so anyone allowed to invoke the function could
 * grant anyone: refused unless the runtime opts in (`allowAssertedIdentity`). */
export class AssertedIdentityError extends SymtailError<'authenticated-request-required'> {
  constructor(action: string) {
    super(
      'authenticated-request-required',
      `event.action: "${action}" names its requester in the event, which this runtime does not trust; ` +
        'ask through the requests API (symtail request --url …), where the caller is authenticated by IAM',
    );
  }
}
