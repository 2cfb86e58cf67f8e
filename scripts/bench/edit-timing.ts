import { grant, revoke } from '../../lib/policy';
import { settleHeap } from './heap';
import { mean, median } from './stats';

const MEMBER = 'symtail.bench@example.com';
const UNTIL = new Date('2031-05-06T07:08:09Z');

export interface EditTiming {
  /** Median over every grant and every revoke. */
  readonly medianEditMs: number;
  /** Mean over the same: unlike the median, it spreads the cost of collections that only some edits meet. */
  readonly meanEditMs: number;
  /** Whether every grant → revoke gave back the original bytes. */
  readonly identical: boolean;
}

/**
 * Times `repeats` rounds of grant then revoke of one member in `group`, each edit on its own. With `settle`, a full
 * collection runs before each edit, so large files are timed without the previous round's garbage.
 */
export function timeEdits(text: string, group: string, repeats: number, settle: boolean): EditTiming {
  if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`timeEdits repeats: expected a whole number ≥ 1, got ${repeats}`);
  const samples: number[] = [];
  let identical = true;
  const timed = <T>(edit: () => T): T => {
    if (settle) settleHeap();
    const start = performance.now();
    const result = edit();
    samples.push(performance.now() - start);
    return result;
  };
  for (let round = 0; round < repeats; round++) {
    const granted = timed(() => grant(text, { group, member: MEMBER, until: UNTIL, requestId: 'r-bench' }));
    const revoked = timed(() => revoke(granted.text, { group, member: MEMBER }));
    identical &&= granted.changed && revoked.text === text;
  }
  return { medianEditMs: median(samples), meanEditMs: mean(samples), identical };
}
