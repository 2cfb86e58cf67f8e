import { readFileSync } from 'node:fs';
import path from 'node:path';
import { timeEdits } from '../../scripts/bench/edit-timing';

const EXAMPLE = readFileSync(path.resolve(__dirname, '../../examples/tailscale-ssh-access/policy.hujson'), 'utf8');

describe('timeEdits', () => {
  it.each([false, true])('times every grant and revoke and sees the original bytes come back (settle %s)', (settle) => {
    const timing = timeEdits(EXAMPLE, 'prod', 2, settle);
    expect(timing.identical).toBe(true);
    expect(Number.isFinite(timing.medianEditMs)).toBe(true);
    expect(timing.medianEditMs).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(timing.meanEditMs)).toBe(true);
  });

  it('says so when the member is already there and the grant changes nothing', () => {
    const withProbe = EXAMPLE.replace('"group:prod": []', '"group:prod": ["symtail.bench@example.com"]');
    expect(timeEdits(withProbe, 'prod', 1, false).identical).toBe(false);
  });

  it('lets an edit that cannot apply fail loudly', () => {
    expect(() => timeEdits(EXAMPLE, 'nosuchgroup', 1, false)).toThrow('group:nosuchgroup');
  });

  it.each([0, 1.5, -1])('refuses %d repeats', (repeats) => {
    expect(() => timeEdits(EXAMPLE, 'prod', repeats, false)).toThrow(`timeEdits repeats: expected a whole number ≥ 1, got ${repeats}`);
  });
});
