import fc from 'fast-check';
import { format } from '../../lib/hujson';
import { LedgerListing, grant, listLedger, revoke } from '../../lib/policy';

// Differential: whatever the layout of a group's array (comments and whitespace in every slot, carriage-return runs,
// annotations anywhere), a grant must add exactly the new member and leave every other member's status as the
// ledger read it before; a revoke must give back the exact bytes. Formatting may move a person's comment onto another
// line (and so to another member), but never the annotation a grant wrote; and an edit of canonical text, formatted
// again as Tailscale stores it, reads exactly as the edit did. SYMTAIL_AWKWARD_RUNS widens the search locally.
const RUNS = { numRuns: Number(process.env.SYMTAIL_AWKWARD_RUNS ?? 400), seed: 20261129 };
const NOW = new Date('2026-06-01T00:00:00Z');
const NEW = { group: 'prod', member: 'new@x.io', until: new Date('2029-01-01T00:00:00Z'), requestId: 'r-new' };

const piece = fc.constantFrom(
  ' ',
  '\t',
  '\n',
  '\r\n',
  '\r',
  '\r\r\n',
  '  \t',
  '/*n*/',
  '/* note */',
  '/*\n*/',
  '// note\n',
  '// note\r\n',
  '/* symtail: until=2030-01-01T00:00:00Z */',
  '/* symtail: until=2020-01-01T00:00:00Z req=old */',
  '// symtail: until=2031-01-01T00:00:00Z req=r-1\n',
  '/* symtail: bad */',
);
const slot = fc.array(piece, { maxLength: 4 }).map((p) => p.join(''));
const login = fc.constantFrom('a@x.io', 'b@x.io', 'C@x.io', 'd@x.io', 'e@x.io', 'f\\u0040x.io');

const awkwardArray = fc
  .record({
    open: slot,
    members: fc.array(fc.record({ login, beforeComma: slot, afterComma: slot }), { maxLength: 5 }),
    trailingComma: fc.boolean(),
  })
  .map(({ open, members, trailingComma }) => {
    const parts = ['[', open];
    members.forEach((m, i) => {
      parts.push(`"${m.login}"`, m.beforeComma);
      if (i < members.length - 1 || trailingComma) parts.push(',', m.afterComma);
    });
    return `${parts.join('')}]`;
  });

const policyWith = (array: string) => `{\r\n  "groups": {"group:dev": ["a@x.io"], "group:prod": ${array}},\n}\n`;

/** The listing with the new member taken out, for comparison with the listing before. */
function without(listing: LedgerListing, member: string): LedgerListing {
  const keep = <T extends { member: string }>(entries: T[]) => entries.filter((e) => e.member !== member);
  return { active: keep(listing.active), overdue: keep(listing.overdue), standing: keep(listing.standing), warnings: listing.warnings };
}

const NEW_ENTRY = { group: 'prod', member: 'new@x.io', until: '2029-01-01T00:00:00Z', requestId: 'r-new' };

/** Grants NEW and checks that exactly it was added; returns the granted text. */
function grantExactly(text: string): string {
  const before = listLedger(text, NOW);
  const granted = grant(text, NEW).text;
  const after = listLedger(granted, NOW);
  expect(after.active).toContainEqual(NEW_ENTRY);
  expect(without(after, 'new@x.io')).toEqual(before);
  return granted;
}

/**
 * Revoking the grant gives back the bytes it was granted on, unless the grant dropped orphan annotations (it says so,
 * one warning each): then the ledger reads as before, and a second grant and revoke give back the bytes.
 */
function expectRoundTrip(text: string, granted: string): void {
  const dropped = grant(text, NEW).warnings.filter((w) => w.includes('belonged to no member'));
  const revoked = revoke(granted, { group: 'prod', member: 'new@x.io' }).text;
  if (dropped.length === 0) {
    expect(revoked).toBe(text);
    return;
  }
  expect(listLedger(revoked, NOW)).toEqual(listLedger(text, NOW));
  expect(revoke(grant(revoked, NEW).text, { group: 'prod', member: 'new@x.io' }).text).toBe(revoked);
}

describe('grant and revoke on awkward layouts', () => {
  it('grant adds exactly the new member, whose grant survives formatting; revoke gives back the bytes, less orphan annotations', () => {
    fc.assert(
      fc.property(awkwardArray, (array) => {
        const text = policyWith(array);
        const granted = grantExactly(text);
        expect(listLedger(format(granted), NOW).active).toContainEqual(NEW_ENTRY);
        expectRoundTrip(text, granted);
      }),
      RUNS,
    );
  });

  it('an edit of the canonical form reads the same once formatted as Tailscale stores it', () => {
    fc.assert(
      fc.property(awkwardArray, (array) => {
        const canonical = format(policyWith(array));
        const granted = grantExactly(canonical);
        expect(listLedger(format(granted), NOW)).toEqual(listLedger(granted, NOW));
        expectRoundTrip(canonical, granted);
      }),
      RUNS,
    );
  });
});
