import { PolicyShapeError, readAccessPolicy } from '../../access';
import { HujsonValue, LineIndex, parseHujson } from '../../hujson';
import type { PolicyValidation } from '../../tailscale';
import { CheckLine, failed, passed, warned } from './checklist';

/**
 * The top-level keys of Tailscale's policy file reference (tailscale.com/kb/1395 and kb/1337: the access sections,
 * the tests, and the network-wide settings), spelled as the reference spells them.
 */
export const POLICY_KEYS: readonly string[] = [
  'acls',
  'grants',
  'ssh',
  'groups',
  'hosts',
  'ipsets',
  'tagOwners',
  'autoApprovers',
  'nodeAttrs',
  'postures',
  'defaultSrcPosture',
  'tests',
  'sshTests',
  'derpMap',
  'disableIPv4',
  'OneCGNATRoute',
  'randomizeClientPort',
];

/**
 * What the policy file's top-level keys say to a reader: Tailscale reads keys as Go's JSON does, without regard to
 * case, so two keys that differ only in case are one key written twice (an error: which one counts depends on the
 * reader), and `"Groups"` is `groups` spelled another way (a warning: write it as the reference does).
 */
export function policyKeyFindings(text: string): { readonly errors: string[]; readonly warnings: string[]; readonly keys: number } {
  let root: HujsonValue;
  try {
    root = parseHujson(text);
  } catch (error) {
    return { errors: [`it does not parse: ${(error as Error).message}`], warnings: [], keys: 0 };
  }
  if (root.kind !== 'object')
    return { errors: [`expected an object at the top level, got ${root.kind === 'array' ? 'an array' : `a ${root.kind}`}`], warnings: [], keys: 0 };
  const lines = new LineIndex(text);
  const errors: string[] = [];
  const warnings: string[] = [];
  const seen = new Map<string, { name: string; line: number }>();
  for (const { name } of root.members) {
    const line = lines.lineAt(name.start);
    const folded = name.value.toLowerCase();
    const before = seen.get(folded);
    if (before !== undefined) {
      errors.push(
        `line ${before.line} ${JSON.stringify(before.name)} and line ${line} ${JSON.stringify(name.value)} are the same key to Tailscale, which reads keys without regard to case`,
      );
      continue;
    }
    seen.set(folded, { name: name.value, line });
    const known = POLICY_KEYS.find((k) => k.toLowerCase() === folded);
    if (known === undefined) warnings.push(`line ${line} ${JSON.stringify(name.value)} is not a key of Tailscale's policy file reference`);
    else if (known !== name.value) warnings.push(`line ${line} ${JSON.stringify(name.value)} is read by Tailscale as ${JSON.stringify(known)}`);
  }
  return { errors, warnings, keys: root.members.length };
}

/**
 * The `policy-file` line: the file as read parses, its keys are the reference's, symtail can read what its groups
 * grant, and Tailscale's own validation (`POST /acl/validate` of the file as it stands) passes. A file that does not
 * validate fails: Tailscale refuses every write until it does.
 */
export function policyFileLine(id: string, text: string, validation: PolicyValidation | { readonly error: string }): CheckLine {
  const { errors, warnings, keys } = policyKeyFindings(text);
  if ('error' in validation) warnings.push(`Tailscale's validation could not be asked: ${validation.error}`);
  else if (!validation.ok) errors.push(`Tailscale finds it invalid: ${validation.message ?? 'no message'}`);
  if (errors.length > 0) {
    return failed(id, errors.join('; '), 'correct the policy file (admin console → Access controls): until it validates, every grant and sweep is refused');
  }
  try {
    readAccessPolicy(text);
  } catch (error) {
    if (!(error instanceof PolicyShapeError)) throw error;
    warnings.push(`what its groups grant cannot be read, so requests show no impact: ${error.message}`);
  }
  const noted = 'error' in validation ? [] : (validation.warnings ?? []);
  if (warnings.length > 0) return warned(id, warnings.join('; '), "write the keys as Tailscale's policy file reference does (tailscale.com/kb/1337)");
  return passed(
    id,
    `parses, its ${keys} keys are Tailscale's, and Tailscale validates it${noted.length === 0 ? '' : ` (with ${noted.length} warning${noted.length === 1 ? '' : 's'}: ${noted.join('; ')})`}`,
  );
}
