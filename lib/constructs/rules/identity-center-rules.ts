import { IDENTITY_CENTER_ROLE_PATH } from '../../manifest';
import { problemAt } from '../validation';
import { Finding, RuntimeRule } from './rule';

/**
 * What an `identityCenter` rule trusts. In the function's own account the runtime confirms each session's role by its
 * IAM path; in another account it cannot (it may not read that account's roles), so there the role's name is all it
 * has, and anyone there who may create roles can make one named `AWSReservedSSO_<set>_<hash>`. Naming the permission
 * sets narrows that to sets someone would have to imitate by name; it is required, and the rest is warned about.
 *   {identityCenter: {accounts: ['444455556666']}}                              → error: name permissionSets
 *   {identityCenter: {accounts: ['444455556666'], permissionSets: ['Engineers']}} → warning: path not checked there
 *   {identityCenter: {}}                                                        → warning: every permission set
 */
export const identityCenterRules: RuntimeRule = ({ runtime, requests }) =>
  requests.principals.flatMap((rule, i): Finding[] => {
    if (rule.kind !== 'identityCenter') return [];
    const finding = (level: Finding['level'], prop: 'accounts' | 'permissionSets', message: string): Finding[] => [
      { level, message: problemAt(runtime, `principals[${i}].identityCenter.${prop}`, message) },
    ];
    if (rule.accounts === 'own') {
      return rule.permissionSets.length > 0
        ? []
        : finding(
            'warning',
            'permissionSets',
            "none given: every permission set of the function's account is accepted, each session as the email it is named for; " +
              'name the sets whose users may request and approve',
          );
    }
    const accounts = rule.accounts.join(', ');
    return rule.permissionSets.length === 0
      ? finding(
          'error',
          'permissionSets',
          `expected the permission sets accepted in accounts ${accounts}: there the runtime cannot confirm that a role is ` +
            "Identity Center's, so a rule accepting every permission set would accept any role named AWSReservedSSO_… that someone there creates",
        )
      : finding(
          'warning',
          'accounts',
          `${accounts}: the runtime can confirm a role's IAM path (${IDENTITY_CENTER_ROLE_PATH}) only in its own account, so in these ` +
            `it trusts the role name AWSReservedSSO_<${rule.permissionSets.join('|')}>_…; deny iam:CreateRole of such names there by SCP`,
        );
  });
