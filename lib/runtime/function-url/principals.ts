import { PrincipalRule } from '../../manifest';
import { IdentityCenterRoles } from './identity-center-roles';

/** An IAM Identity Center session: `assumed-role/AWSReservedSSO_<permission set>_<16 hex>/<session name>`. */
const IDENTITY_CENTER = /^arn:aws[a-z-]*:sts::(\d{12}):assumed-role\/(AWSReservedSSO_([A-Za-z0-9+=,.@_-]+)_[0-9a-f]{16})\/([^/]+)$/;
/** What an Identity Center session name must be to count as an email: ASCII, one "@". */
const SESSION_EMAIL = /^[\x21-\x3f\x41-\x7e]{1,128}@[\x21-\x3f\x41-\x7e]{1,253}$/;

/** An IAM role's ARN, path allowed: `arn:aws:iam::<account>:role/<path/><name>`. */
const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/(?:[^/]+\/)*([^/]+)$/;
/** How a function URL names a caller that assumed a role: the role's name (never its path), then the session. */
const ASSUMED_ROLE = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/;

/**
 * Whether an exact-ARN rule names the caller. A rule naming a role matches every session of that role: a function
 * URL reports a role caller as `arn:aws:sts::<account>:assumed-role/<name>/<session>`, never as the role's own ARN,
 * and the session name is the assumer's to choose, so the role, not the session, is the identity.
 *   rule arn:aws:iam::111122223333:role/ci/platform-ci   matches   arn:aws:sts::111122223333:assumed-role/platform-ci/build-42
 */
function matchesArnRule(ruleArn: string, callerArn: string): boolean {
  if (ruleArn === callerArn) return true;
  const role = ROLE_ARN.exec(ruleArn);
  const caller = ASSUMED_ROLE.exec(callerArn);
  return role !== null && caller !== null && role[1] === caller[1] && role[2] === caller[2] && role[3] === caller[3];
}

/** A Lambda function ARN (qualified or not); its 5th field is the account the function runs in. */
const FUNCTION_ARN = /^arn:aws[a-z-]*:lambda:[a-z0-9-]+:(\d{12}):function:[^:]+(:[^:]+)?$/;

/** The account of the function an invocation was made on, from the invocation context; undefined when unknown. */
export function functionAccountOf(invokedFunctionArn: string | undefined): string | undefined {
  return invokedFunctionArn === undefined ? undefined : FUNCTION_ARN.exec(invokedFunctionArn)?.[1];
}

/**
 * The email of a requests-API caller, by the runtime's principal rules: an exact ARN first, then IAM Identity Center
 * sessions in an accepted account (`own`: `functionAccount`, the account the function runs in, from the invocation
 * context and never the event) and permission set, whose session name is the email. Undefined when no rule maps the
 * caller. A session in the function's own account counts only once `roles` confirms its role is Identity Center's
 * (else `not-identity-center`, 403); in another account the role cannot be read, and its name is trusted (synth warns).
 */
export async function callerEmail(
  rules: readonly PrincipalRule[],
  callerArn: string,
  functionAccount: string | undefined,
  roles: IdentityCenterRoles,
): Promise<string | undefined> {
  for (const rule of rules) {
    if (rule.kind === 'arn' && matchesArnRule(rule.arn, callerArn)) return rule.email;
  }
  const sso = IDENTITY_CENTER.exec(callerArn);
  if (sso === null) return undefined;
  const [, account, roleName, permissionSet, session] = sso;
  if (!SESSION_EMAIL.test(session)) return undefined;
  const accepted = rules.some(
    (rule) =>
      rule.kind === 'identityCenter' &&
      (rule.accounts === 'own' ? account === functionAccount : rule.accounts.includes(account)) &&
      (rule.permissionSets.length === 0 || rule.permissionSets.includes(permissionSet)),
  );
  if (!accepted) return undefined;
  if (account === functionAccount) await roles.confirm(roleName);
  return session.toLowerCase();
}
