import { describeError } from '../errors';
import { noLongerApproved } from './approval-rules';
import { breakGlassProblem } from './break-glass';
import { RequestError } from './errors';
import { extensionProblem } from './extend';
import { AccessRequest } from './model';
import { partyOf, RecordKeeper, RequestOutcome, tamperedError } from './record-keeper';

/** Codes of a record refused before the grant; the request is failed with its reason. */
export const REFUSALS: ReadonlySet<string> = new Set(['tampered', 'approval-no-longer-valid']);

/**
 * Before any grant write (the vote that completes the quorum, auto-approval, every sweep retry): the record's MAC
 * must verify, and its approvals must satisfy the flow's rules as deployed now. Otherwise the request is failed
 * and reported, and nothing is read from or written to the tailnet.
 */
export async function gate(keeper: RecordKeeper, r: AccessRequest, now: Date): Promise<RequestOutcome | undefined> {
  let error: RequestError;
  if (!(await keeper.options.seal.verify(r))) {
    error = tamperedError(r);
  } else {
    const rules = keeper.options.access.rules(r.flow);
    const directory = keeper.options.access.directory(r.flow);
    const why =
      r.extends !== undefined
        ? ((await extensionGrantProblem(keeper, r, now)) ??
          (r.approvals.length === 0 ? undefined : await noLongerApproved(rules, r.approvals, partyOf(r), r.deadline, directory, now)))
        : r.breakGlass === true
          ? breakGlassProblem(rules.breakGlass, rules.allowedRequesters, r, directory)
          : await noLongerApproved(rules, r.approvals, partyOf(r), r.deadline, directory, now);
    if (why === undefined) return undefined;
    error = new RequestError('approval-no-longer-valid', `request ${r.id}: ${why}; it is not granted`);
  }
  return { request: await keeper.refuse(r, error, now), escalationError: describeError(error) };
}

/**
 * Why an extension may not be granted now, or undefined: the request it extends must still hold the grant (or be
 * `extended` by this very one, a retry), and one approved by its requester alone must still be within the flow's
 * self-extension maximum as deployed now.
 */
async function extensionGrantProblem(keeper: RecordKeeper, r: AccessRequest, now: Date): Promise<string | undefined> {
  const original = await keeper.read(r.extends!);
  const rules = keeper.options.access.rules(r.flow);
  // `check` also judges the requester against the flow's allowedRequesters as deployed now.
  const seconds = keeper.options.access.check(
    { flow: r.flow, target: r.target, duration: r.duration, ...(r.reason === undefined ? {} : { reason: r.reason }) },
    r.requester.email,
  ).seconds;
  const problem = extensionProblem(original, r, rules.selfExtension, new Date(now.getTime() + seconds * 1000).toISOString());
  if (problem !== undefined) return problem;
  // The grant it moves must stand in the policy file: the original's, or this extension's own on a retry.
  if (!(await keeper.options.access.holds(original)) && !(await keeper.options.access.holds(r))) {
    return `the policy file holds no grant of the request it extends, ${original.id}, now`;
  }
  return undefined;
}
