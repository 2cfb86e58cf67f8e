import { OtherMemberChangedError } from './errors';
import { allGroups, groupsObject } from './groups';
import { containerLayout } from './layout';
import { readMembers } from './members';
import { outlineForAllGroups } from './outline';
import { PolicyChange } from './types';

/** Each member's entries in one group, in file order, as the ledger reads them. */
interface MemberLedger {
  readonly group: string;
  /** As first written. */
  readonly member: string;
  readonly entries: string[];
}

/** `group\0login` with the login folded, as members compare. */
const keyOf = (group: string, login: string) => `${group}\u0000${login.toLowerCase()}`;

/** Every member of every group, by group and login: `standing`, `until=… req=…` or `a malformed annotation`, per entry. */
function memberLedgers(text: string): Map<string, MemberLedger> {
  const groups = groupsObject(outlineForAllGroups(text));
  const ledgers = new Map<string, MemberLedger>();
  for (const { name: group, array } of groups === undefined ? [] : allGroups(groups).groups) {
    for (const entry of readMembers(text, array, containerLayout(text, array))) {
      if (entry.login === undefined) continue;
      const key = keyOf(group, entry.login);
      const ledger = ledgers.get(key) ?? { group, member: entry.login, entries: [] };
      const { annotation } = entry;
      if (annotation.kind === 'none') ledger.entries.push('standing');
      else if (annotation.kind === 'malformed') ledger.entries.push('a malformed annotation');
      else ledger.entries.push(`until=${annotation.until}${annotation.requestId === undefined ? '' : ` req=${annotation.requestId}`}`);
      ledgers.set(key, ledger);
    }
  }
  return ledgers;
}

function describe(ledger: MemberLedger | undefined): string {
  return ledger === undefined ? 'absent' : ledger.entries.join(' and ');
}

/**
 * Refuses an edit that changes the ledger of a member it does not name: `before` is the file as read, `after` what
 * would be written (edited, and formatted as Tailscale stores it), `changes` what the edit says it did. Formatting
 * moves comments; a comment it moved onto the wrong member would change that member's standing or expiry, and the
 * next sweep would act on it.
 */
export function refuseOtherMemberChanges(before: string, after: string, changes: readonly PolicyChange[]): void {
  const named = new Set(changes.map((c) => keyOf(c.group, c.member)));
  const was = memberLedgers(before);
  const now = memberLedgers(after);
  for (const key of new Set([...was.keys(), ...now.keys()])) {
    if (named.has(key)) continue;
    const [a, b] = [was.get(key), now.get(key)];
    if (describe(a) === describe(b)) continue;
    const { group, member } = (a ?? b)!;
    throw new OtherMemberChangedError(group, member, describe(a), describe(b));
  }
}
