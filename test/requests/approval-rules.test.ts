import { ApprovalRules, ApproverDirectory, approverStanding, isAllowedRequester, RequestError, RequestParty } from '../../lib/requests';

const RULES: ApprovalRules = {
  autoApprove: false,
  approvers: ['bob@example.com', 'Carol@Example.com'],
  approverGroups: [],
  requiredApprovals: 1,
  allowSelfApproval: false,
  approvalWindowSeconds: 3600,
  allowedRequesters: [],
};

/** Identity overrides: frank's and both of grace's emails map to GitHub logins. */
const LOGINS: Record<string, string> = { 'frank@example.com': 'frank@github', 'grace@corp.com': 'grace@github', 'grace@corp.io': 'grace@github' };

/** A request of `email`, for the login its grant goes to. */
const requestOf = (email: string): RequestParty => ({ email, login: LOGINS[email.toLowerCase()] ?? email });

/** A tailnet whose `group:admins` has dave as a standing member, and erin only as a just-in-time grant (so not listed). */
function directory(reads: string[] = []): ApproverDirectory {
  const standing: Record<string, string[]> = { admins: ['Dave@example.com'], oncall: ['frank@github', 'grace@github'] };
  return {
    loginFor: (email) => LOGINS[email.toLowerCase()] ?? email,
    standingMembers: async (group) => {
      reads.push(group);
      return standing[group] ?? [];
    },
  };
}

describe('approverStanding decides who may vote on a request', () => {
  test.each<[string, Partial<ApprovalRules>, string, string, string]>([
    ['a listed approver', {}, 'bob@example.com', 'alice@example.com', 'email'],
    ['a listed approver, compared without case', {}, 'carol@EXAMPLE.com', 'alice@example.com', 'email'],
    ['a standing member of an approver group', { approvers: [], approverGroups: ['admins'] }, 'dave@example.com', 'alice@example.com', 'group:admins'],
    ['a standing member through an identity override', { approvers: [], approverGroups: ['oncall'] }, 'frank@example.com', 'alice@example.com', 'group:oncall'],
    ['the requester when self-approval is allowed', { allowSelfApproval: true }, 'bob@example.com', 'bob@example.com', 'email'],
  ])('allows %s', async (_what, rules, approver, requester, via) => {
    await expect(approverStanding({ ...RULES, ...rules }, approver, requestOf(requester), directory())).resolves.toBe(via);
  });

  test.each<[string, Partial<ApprovalRules>, string, string, string]>([
    ['the requester (self-approval is never allowed by default)', {}, 'bob@example.com', 'BOB@example.com', 'self-approval'],
    ['someone not listed', {}, 'mallory@example.com', 'alice@example.com', 'not-an-approver'],
    ['a just-in-time member of an approver group', { approvers: [], approverGroups: ['admins'] }, 'erin@example.com', 'alice@example.com', 'not-an-approver'],
    [
      'a member of a group that is not an approver group',
      { approvers: [], approverGroups: ['oncall'] },
      'dave@example.com',
      'alice@example.com',
      'not-an-approver',
    ],
    ['the requester even when in an approver group', { approvers: [], approverGroups: ['admins'] }, 'dave@example.com', 'dave@example.com', 'self-approval'],
    ['the requester under another email that maps to the same login', { approvers: ['grace@corp.io'] }, 'grace@corp.io', 'grace@corp.com', 'self-approval'],
    [
      'the requester under another email, as a standing member of the approver group',
      { approvers: [], approverGroups: ['oncall'] },
      'grace@corp.io',
      'grace@corp.com',
      'self-approval',
    ],
  ])('refuses %s', async (_what, rules, approver, requester, code) => {
    const refused = approverStanding({ ...RULES, ...rules }, approver, requestOf(requester), directory());
    await expect(refused).rejects.toBeInstanceOf(RequestError);
    await expect(refused).rejects.toMatchObject({ code, httpStatus: 403 });
  });

  test('reads the approver group at the moment of the vote, every vote', async () => {
    const reads: string[] = [];
    const dir = directory(reads);
    const rules = { ...RULES, approvers: [], approverGroups: ['admins'] };
    await approverStanding(rules, 'dave@example.com', requestOf('alice@example.com'), dir);
    await approverStanding(rules, 'dave@example.com', requestOf('alice@example.com'), dir);
    expect(reads).toEqual(['admins', 'admins']);
  });

  test('never reads the tailnet for a listed approver', async () => {
    const reads: string[] = [];
    await approverStanding({ ...RULES, approverGroups: ['admins'] }, 'bob@example.com', requestOf('alice@example.com'), directory(reads));
    expect(reads).toEqual([]);
  });

  test('names the approvers in its refusal', async () => {
    await expect(approverStanding({ ...RULES, approverGroups: ['admins'] }, 'x@example.com', requestOf('a@example.com'), directory())).rejects.toThrow(
      'x@example.com is not an approver of this flow; approvers: bob@example.com, Carol@Example.com; standing members of group:admins',
    );
  });
});

describe('isAllowedRequester', () => {
  test.each<[readonly string[], string, boolean]>([
    [[], 'anyone@anywhere.test', true],
    [['alice@example.com'], 'ALICE@example.com', true],
    [['alice@example.com'], 'bob@example.com', false],
    [['@example.com'], 'bob@Example.COM', true],
    [['@example.com'], 'bob@sub.example.com', false],
    [['@example.com'], 'bob@example.com.evil.test', false],
  ])('%j allows %s: %s', (allowed, email, expected) => {
    expect(isAllowedRequester(allowed, email)).toBe(expected);
  });
});
