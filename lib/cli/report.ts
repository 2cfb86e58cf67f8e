import { EditResult, PolicyChange } from '../policy';
import { escapeInvisible } from '../errors';

/** One line per change, for people. */
export function describeChange(c: PolicyChange): string | undefined {
  const who = `${c.member} ${c.kind === 'removed' ? 'from' : 'in'} group:${c.group}`;
  const req = c.requestId === undefined ? '' : ` (request ${c.requestId})`;
  switch (c.kind) {
    case 'added':
      return `added ${c.member} to group:${c.group} until ${c.until}${req}`;
    case 'extended':
      return `extended ${who} until ${c.until} (was ${c.previousUntil})${req}`;
    case 'unchanged':
      return `unchanged: ${who} already granted until ${c.until}`;
    case 'removed':
      return `removed ${who}${c.until === undefined ? '' : ` (granted until ${c.until})`}`;
    case 'group-created':
      return `created group:${c.group}`;
    case 'standing':
      return undefined; // the warning says it
  }
}

/** Changes and warnings of an edit, as stderr lines. */
export function describeEdit(result: Pick<EditResult, 'changes' | 'warnings'>): string {
  const lines = [...result.changes.map(describeChange).filter((l): l is string => l !== undefined), ...result.warnings.map((w) => `warning: ${w}`)];
  // Members and warnings quote the policy file, which may hold any character.
  return lines.map((l) => `${escapeInvisible(l)}\n`).join('');
}
