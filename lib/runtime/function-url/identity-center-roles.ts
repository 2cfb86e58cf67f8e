import type { IAMClient } from '@aws-sdk/client-iam';
import { IDENTITY_CENTER_ROLE_PATH } from '../../manifest';
import { RequestError } from '../../requests';

/** What IAM says of a role the runtime asked about: its path, or why it would not show it. */
export type RoleAnswer = { readonly path: string } | { readonly refused: 'no-such-role' | 'access-denied' };

/** Asks IAM for a role of the function's account by name; throws when IAM could not be asked. */
export type RoleLookup = (roleName: string) => Promise<RoleAnswer>;

/** How long a verdict is kept per container. A refusal is kept briefly: a flood of forged calls asks IAM once a minute. */
export const CONFIRMED_FOR_MS = 15 * 60_000;
export const REFUSED_FOR_MS = 60_000;
/** Role names remembered at once; the oldest verdict goes first. */
const MAX_VERDICTS = 1000;

/**
 * `iam:GetRole` through the AWS SDK v3 (which the Lambda runtime provides; `AWS_ENDPOINT_URL_IAM` may point it at a
 * stand-in), loaded on first use so a cold start that never sees an Identity Center caller does not pay for it.
 * `NoSuchEntity` and `AccessDenied` are answers (the runtime may read only roles under Identity Center's path, so any
 * other role is denied); anything else (unreachable, throttled, a 5xx) is thrown.
 */
export function iamRoleLookup(client?: IAMClient): RoleLookup {
  return async (roleName) => {
    // `require`, not `import()`: the bundle is CommonJS, and the Lambda runtime's SDK resolves through require.
    const sdk = require('@aws-sdk/client-iam') as typeof import('@aws-sdk/client-iam');
    client ??= new sdk.IAMClient({ maxAttempts: 2, requestHandler: { connectionTimeout: 1000, requestTimeout: 2000, throwOnRequestTimeout: true } });
    try {
      const { Role } = await client.send(new sdk.GetRoleCommand({ RoleName: roleName }));
      return { path: Role?.Path ?? '' };
    } catch (error) {
      const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
      if (name === 'NoSuchEntityException' || $metadata?.httpStatusCode === 404) return { refused: 'no-such-role' };
      if (name === 'AccessDenied' || name === 'AccessDeniedException' || $metadata?.httpStatusCode === 403) return { refused: 'access-denied' };
      throw error;
    }
  };
}

interface Verdict {
  readonly refusal?: string;
  readonly until: number;
}

/**
 * Whether an `AWSReservedSSO_…` role of the function's account is IAM Identity Center's: anyone allowed
 * `iam:CreateRole` can make a role of that name, but only Identity Center makes roles under its reserved path, which
 * an assumed-role ARN does not show. So the runtime asks IAM (`GetRole`), once per role per container for a while,
 * refusals included, and concurrent asks share one call.
 *   AWSReservedSSO_Engineers_0123456789abcdef at /aws-reserved/sso.amazonaws.com/  → Identity Center's
 *   AWSReservedSSO_Anything_0123456789abcdef  at /                                 → not-identity-center (403)
 */
export class IdentityCenterRoles {
  private readonly verdicts = new Map<string, Verdict>();
  private readonly asking = new Map<string, Promise<Verdict>>();

  constructor(
    private readonly lookup: RoleLookup = iamRoleLookup(),
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves when `roleName` is an Identity Center role; rejects with `not-identity-center` (403) when IAM shows it
   * elsewhere, has no such role, or may not show it, and with `identity-unavailable` (503) when IAM could not be asked.
   */
  async confirm(roleName: string): Promise<void> {
    const verdict = await this.verdictOn(roleName);
    if (verdict.refusal !== undefined) throw new RequestError('not-identity-center', verdict.refusal);
  }

  private async verdictOn(roleName: string): Promise<Verdict> {
    const known = this.verdicts.get(roleName);
    if (known !== undefined && known.until > this.now()) return known;
    let asked = this.asking.get(roleName);
    if (asked === undefined) {
      asked = this.ask(roleName).finally(() => this.asking.delete(roleName));
      this.asking.set(roleName, asked);
    }
    return asked;
  }

  private async ask(roleName: string): Promise<Verdict> {
    let answer: RoleAnswer;
    try {
      answer = await this.lookup(roleName);
    } catch (error) {
      // Not remembered: the next call asks again.
      throw new RequestError(
        'identity-unavailable',
        `IAM could not be asked whether role ${roleName} is an IAM Identity Center role (${(error as { name?: string }).name ?? 'Error'}); nothing was done, try again`,
      );
    }
    const refusal = refusalOf(roleName, answer);
    const verdict: Verdict = { ...(refusal !== undefined && { refusal }), until: this.now() + (refusal === undefined ? CONFIRMED_FOR_MS : REFUSED_FOR_MS) };
    this.verdicts.delete(roleName);
    this.verdicts.set(roleName, verdict);
    if (this.verdicts.size > MAX_VERDICTS) this.verdicts.delete(this.verdicts.keys().next().value as string);
    return verdict;
  }
}

function refusalOf(roleName: string, answer: RoleAnswer): string | undefined {
  const notIdentityCenter = `the caller's role ${roleName} is named like an IAM Identity Center role but is not one:`;
  if ('refused' in answer) {
    return answer.refused === 'no-such-role'
      ? `${notIdentityCenter} IAM has no such role in the function's account`
      : `${notIdentityCenter} IAM does not show it under ${IDENTITY_CENTER_ROLE_PATH}, the only path the runtime may read`;
  }
  return answer.path.startsWith(IDENTITY_CENTER_ROLE_PATH)
    ? undefined
    : `${notIdentityCenter} its path is ${answer.path}, not under ${IDENTITY_CENTER_ROLE_PATH}`;
}
