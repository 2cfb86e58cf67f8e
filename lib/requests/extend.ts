import { ApproverDirectory, samePerson } from './approval-rules';
import { RequestError } from './errors';
import { AccessRequest } from './model';

/** A flow's self-extension setting, as the requests core reads it. */
export interface SelfExtensionRule {
  /** Longest a grant may last in all, from its first start to the extension's end, as the flow states it. */
  readonly maxTotal: string;
  /** Whether a grant lasting `seconds` in all is within `maxTotal`. */
  readonly allows: (seconds: number) => boolean;
}

/** How an extension is approved: by its requester alone (within the flow's self-extension maximum), or by approvers. */
export type ExtensionApproval = 'self' | 'approvers';

/**
 * Checks that `email` may extend `original` at `now`: only its requester, only while it is `escalated` and its grant
 * has not ended. Throws `not-the-requester` (403) or `not-extendable` (409) otherwise.
 */
export function checkExtendable(original: AccessRequest, email: string, directory: ApproverDirectory, now: Date): void {
  if (!samePerson(directory, original.requester.email, email)) {
    throw new RequestError('not-the-requester', `request ${original.id}: only its requester ${original.requester.email} may extend it, not ${email}`);
  }
  if (original.state !== 'escalated' || original.until === undefined) {
    throw new RequestError('not-extendable', `request ${original.id} is ${original.state}; only an escalated request can be extended`);
  }
  if (original.escalatedAt === undefined) {
    throw new RequestError('not-extendable', `request ${original.id} was granted before grant times were sealed in its record; make a new request instead`);
  }
  if (Date.parse(original.until) <= now.getTime()) {
    throw new RequestError('not-extendable', `request ${original.id}: its grant ended at ${original.until}; make a new request instead`);
  }
}

/**
 * When the grant `r` holds began: an extension carries the start of its chain; otherwise the time it was escalated.
 * Both are sealed in the record (the history is not, and is never read for this).
 *
 *   alice escalated 10:00 until 10:30, extended at 10:25 by 1h → grantedSince 10:00, until 11:30 (1h30m in all)
 */
export function grantStartOf(r: AccessRequest): string {
  // `grantedSince` is sealed only on an extension (with `extends`): on any other record it is never read.
  const start = r.extends === undefined ? r.escalatedAt : r.grantedSince;
  if (start === undefined) throw new RequestError('not-extendable', `request ${r.id} was never granted; there is nothing to extend`);
  return start;
}

/**
 * The extension's `until`: `seconds` from `now`, as any grant, so no grant ever ends later than its flow's maximum
 * from now (the grant sweep removes one that does). It must end after the grant's current end, or it extends nothing
 * (`not-extendable`).
 *
 *   granted 10:00 until 10:30; at 10:20 extended for 1h → until 11:20
 */
export function extendedUntil(original: AccessRequest, seconds: number, now: Date): string {
  const until = new Date(now.getTime() + seconds * 1000).toISOString();
  if (Date.parse(until) <= Date.parse(original.until!)) {
    throw new RequestError(
      'not-extendable',
      `duration: request ${original.id}'s grant already lasts until ${original.until}; an extension runs from now, so ask for longer than that`,
    );
  }
  return until;
}

/**
 * How an extension lasting until `until` of a grant that began at `grantedSince` is approved: by approvers when the
 * flow has no self-extension; by its requester alone within the flow's `maxTotal`; refused (`extension-too-long`,
 * nothing written) beyond it.
 */
export function extensionApproval(rule: SelfExtensionRule | undefined, flow: string, grantedSince: string, until: string): ExtensionApproval {
  if (rule === undefined) return 'approvers';
  const total = (Date.parse(until) - Date.parse(grantedSince)) / 1000;
  if (!rule.allows(total)) {
    throw new RequestError(
      'extension-too-long',
      `duration: flow "${flow}" lets a grant be extended to at most ${rule.maxTotal} in all (from ${grantedSince}); extending to ${until} is longer`,
    );
  }
  return 'self';
}

/** Whether `original` was ended `extended` by the extension `extensionId`, as its sealed record says. */
export function isExtendedBy(original: AccessRequest, extensionId: string): boolean {
  return original.state === 'extended' && original.extendedBy === extensionId;
}

/**
 * At the grant, why `extension` no longer holds, or undefined: the request it extends must still be escalated (or
 * already `extended`, by a retry of this one), and a self-extension (no approvals) must be allowed by the flow as
 * deployed now, up to `until` in all.
 */
export function extensionProblem(
  original: AccessRequest | undefined,
  extension: AccessRequest,
  rule: SelfExtensionRule | undefined,
  until: string,
): string | undefined {
  if (original === undefined) return `the request it extends, ${extension.extends}, is not stored`;
  if (original.state !== 'escalated' && !isExtendedBy(original, extension.id)) return `the request it extends, ${original.id}, is ${original.state} now`;
  if (extension.approvals.length > 0) return undefined;
  if (extension.fromBreakGlass === true) return 'it extends a break-glass grant, which only approvers may extend';
  if (rule === undefined) return 'its flow no longer allows self-extension';
  const total = (Date.parse(until) - Date.parse(extension.grantedSince!)) / 1000;
  return rule.allows(total) ? undefined : `it would last longer in all than the flow's self-extension maximum ${rule.maxTotal} now`;
}
