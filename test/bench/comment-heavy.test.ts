import { listLedger, sweep } from '../../lib/policy';
import { commentHeavyPolicy, manyGroupsPolicy } from '../../scripts/bench/comment-heavy';

const NOW = new Date('2026-06-01T00:00:00Z');

describe('the comment-heavy and many-groups policies the bench edits', () => {
  it('hold one expired grant and one standing member before the comments', () => {
    const text = commentHeavyPolicy(3);
    expect(text).toContain('"a@example.com" /*\n*/ /*\n*/ /*\n*/]');
    expect(listLedger(text, NOW)).toMatchObject({ overdue: [{ member: 'gone@example.com' }], standing: [{ member: 'a@example.com' }] });
    expect(sweep(text, { now: NOW }).changes).toEqual([{ kind: 'removed', group: 'prod', member: 'gone@example.com', until: '2026-01-01T00:00:00Z' }]);
  });

  it('hold an expired, a live and a standing member in every group', () => {
    const listing = listLedger(manyGroupsPolicy(4), NOW);
    expect([listing.overdue.length, listing.active.length, listing.standing.length]).toEqual([4, 4, 4]);
    expect(sweep(manyGroupsPolicy(4), { now: NOW }).changes).toHaveLength(4);
  });
});
