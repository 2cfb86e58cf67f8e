import * as fs from 'fs';
import * as path from 'path';
import { assessGroupAccess, summarizeGroupAccess } from '../../lib/access';

const DANGERS = fs.readFileSync(path.resolve(__dirname, '../../examples/access-dangers/policy.hujson'), 'utf8');

describe('summarizeGroupAccess: the few lines an approver reads', () => {
  it('lists what the group grants and each danger, one line each, with its line number', () => {
    expect(summarizeGroupAccess(DANGERS, 'group:oncall')).toEqual({
      group: 'group:oncall',
      rules: [
        'line 15 acls: *:*',
        'line 19 grants: tag:db: ip tcp:5432',
        'line 23 ssh: accept as root to tag:prod',
        'line 32 tagOwners: may apply tag:prod',
        'line 38 autoApprovers: routes to 10.0.0.0/8 approved automatically',
        'line 40 autoApprovers: exit nodes approved automatically',
      ],
      dangers: [
        'line 15 all-destinations: group:oncall reaches every destination (*:*)',
        'line 23 root-ssh: group:oncall may ssh as root to tag:prod without check',
        "line 32 tag-owner: group:oncall may apply tag:prod: a device a member tags keeps tag:prod's access after the membership ends",
        'line 38 auto-approver: routes to 10.0.0.0/8 advertised by a device of group:oncall are approved automatically and stay after the membership ends',
        'line 40 auto-approver: exit nodes advertised by a device of group:oncall are approved automatically and stay after the membership ends',
      ],
    });
  });

  it('names the selector when the rule reaches the group through it, and leaves out tests', () => {
    const text =
      '{\n"acls": [{"action": "accept", "src": ["autogroup:member"], "dst": ["tag:dns:53"]}],\n"tests": [{"src": "group:eng", "accept": ["tag:dns:53"]}],\n}';
    expect(summarizeGroupAccess(text, 'group:eng')).toEqual({ group: 'group:eng', rules: ['line 2 acls: tag:dns:53 (through autogroup:member)'], dangers: [] });
  });
});

describe('assessGroupAccess: advice for an escalation, never a refusal', () => {
  it('warns once per flagged danger, naming the group', () => {
    const { summary, warnings } = assessGroupAccess(DANGERS, 'group:oncall');
    expect(summary?.dangers).toHaveLength(5);
    expect(warnings).toEqual(summary?.dangers.map((d) => `group:oncall carries a flagged danger: ${d}`));
  });

  it.each([
    [
      'access sections it cannot read',
      '{\n  "acls": [{"action": "accept", "src": "group:eng", "dst": ["*:*"]}],\n}',
      'group:eng: access impact unknown: acls[0].src (line 2): expected an array',
    ],
    ['text that is not HuJSON', '{\n  "acls": [,]\n}', 'group:eng: access impact unknown: hujson: line 2'],
  ])('answers %s with a warning instead of a summary', (_name, text, warning) => {
    const assessment = assessGroupAccess(text, 'group:eng');
    expect(assessment.summary).toBeUndefined();
    expect(assessment.warnings).toEqual([expect.stringContaining(warning)]);
  });
});
