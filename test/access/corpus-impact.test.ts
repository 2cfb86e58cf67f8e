// needs-shared: policy-corpus
import { groupImpact, readAccessPolicy } from '../../lib/access';
import { hujsonToValue, parseHujson } from '../../lib/hujson';
import { corpusFiles, INVALID_FILES } from '../policy/corpus';

const valid = corpusFiles().filter((f) => !INVALID_FILES.has(f.name));

type Plain = Record<string, unknown>;
const plain = (text: string) => hujsonToValue(parseHujson(text)) as Plain;
const list = (value: unknown) => (Array.isArray(value) ? (value as Plain[]) : []);
const strings = (value: unknown) => (Array.isArray(value) ? (value as string[]) : []);

/** Every `group:` name the file defines or mentions in a rule's source or an owner list. */
function groupsNamed(text: string): string[] {
  return [...new Set(text.match(/"group:[^"\s]+"/g) ?? [])].map((quoted) => quoted.slice(1, -1));
}

describe('access analysis of the real policy corpus', () => {
  it.each(valid.map((f) => [f.name, f.text]))('%s: every group analysed, every item citing a line of the file', (_name, text) => {
    const policy = readAccessPolicy(text);
    const lineCount = text.split('\n').length;
    for (const group of groupsNamed(text)) {
      const impact = groupImpact(policy, group);
      for (const item of [...impact.rules, ...impact.dangers]) {
        expect(item.line).toBeGreaterThanOrEqual(1);
        expect(item.line).toBeLessThanOrEqual(lineCount);
      }
      // A tagOwners item cites the line of its key: the tag is written there.
      for (const rule of impact.rules) {
        if (rule.section === 'tagOwners') expect(text.split('\n')[rule.line - 1]).toContain(JSON.stringify(rule.tag));
      }
    }
  });

  // Differential: the danger counts agree with a naive count over the comment-free value of each file.
  it('finds the same tag-owning groups, root ssh without check and * destinations as a naive count', () => {
    const found = { tagOwningGroups: 0, rootSshWithoutCheck: 0, allDestinationRules: 0 };
    const naive = { tagOwningGroups: 0, rootSshWithoutCheck: 0, allDestinationRules: 0 };
    for (const { text } of valid) {
      const policy = readAccessPolicy(text);
      const value = plain(text);
      const owners = Object.values((value.tagOwners ?? {}) as Record<string, string[]>).flat();
      const defined = Object.keys((value.groups ?? {}) as Plain);
      for (const group of defined) {
        const impact = groupImpact(policy, group);
        if (impact.rules.some((r) => r.section === 'tagOwners' && r.via === group)) found.tagOwningGroups++;
        if (owners.includes(group)) naive.tagOwningGroups++;
      }
      // Counted per rule, whichever group it reaches: a rule for `*` counts once.
      found.rootSshWithoutCheck += policy.ssh.filter((r) => r.action === 'accept' && r.users.includes('root')).length;
      naive.rootSshWithoutCheck += list(value.ssh).filter((r) => r.action === 'accept' && strings(r.users).includes('root')).length;
      found.allDestinationRules +=
        policy.acls.filter((r) => r.dst.some((d) => d.host === '*')).length + policy.grants.filter((r) => r.dst.some((d) => d.host === '*')).length;
      naive.allDestinationRules +=
        list(value.acls).filter((r) => strings(r.dst ?? r.ports).some((d) => d === '*' || d.startsWith('*:'))).length +
        list(value.grants).filter((r) => strings(r.dst).includes('*')).length;
      // A group no rule names is reached only through the selectors for every user.
      const nobody = groupImpact(policy, 'group:symtail-probe-nobody');
      expect(nobody.rules.filter((r) => !['*', 'autogroup:member', 'autogroup:danger-all'].includes(r.via))).toEqual([]);
    }
    expect(found).toEqual(naive);
    expect(found.tagOwningGroups).toBeGreaterThan(0);
  });
});
