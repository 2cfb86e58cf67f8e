import { listLedger, sweep } from '../../lib/policy';
import { timeEdits } from './edit-timing';
import { BenchSettings, FigureResult, ms, ratio } from './figure';
import { settleHeap } from './heap';
import { median, round3 } from './stats';

/** Comments after a group's last member; each spans a line, the case that once cost a scan of all comments per line. */
const COMMENT_COUNTS = [16_384, 32_768, 65_536] as const;
const RATIO_TARGET = 5;
const LARGEST_TARGET_MS = 100;
const GROUP_COUNT = 10_000;
const REPEATS = 9;
const QUICK_REPEATS = 3;
const NOW = new Date('2026-06-01T00:00:00Z');

/** A policy whose `group:prod` holds one expired grant, one standing member and then `comments` comments. */
export function commentHeavyPolicy(comments: number): string {
  const expired = '"gone@example.com" /* symtail: until=2026-01-01T00:00:00Z */';
  return `{\n\t"groups": {\n\t\t"group:prod": [${expired}, "a@example.com"${' /*\n*/'.repeat(comments)}],\n\t},\n}\n`;
}

/** A policy with `groups` groups of three members: an expired grant, a live one and a standing member. */
export function manyGroupsPolicy(groups: number): string {
  const lines = ['{', '\t"groups": {'];
  for (let g = 0; g < groups; g++) {
    lines.push(
      `\t\t"group:g${g}": [`,
      '\t\t\t"gone@example.com", // symtail: until=2026-01-01T00:00:00Z',
      '\t\t\t"live@example.com", // symtail: until=2031-01-01T00:00:00Z req=r-1',
      '\t\t\t"standing@example.com",',
      '\t\t],',
    );
  }
  lines.push('\t},', '}', '');
  return lines.join('\n');
}

function timeOnce(repeats: number, work: () => unknown): number {
  const samples: number[] = [];
  for (let i = 0; i < repeats; i++) {
    settleHeap();
    const start = performance.now();
    work();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

/**
 * Figure: the edit layer on comment-heavy arrays and on a file of 10,000 groups. Each operation is linear in the file,
 * so four times the comments should cost about four times as much.
 */
export async function commentHeavyFigure(settings: BenchSettings): Promise<FigureResult> {
  const repeats = settings.quick ? QUICK_REPEATS : REPEATS;
  // Compiled and warm before anything is timed, so the smallest size does not pay for the first compilation.
  for (const comments of COMMENT_COUNTS) timeEdits(commentHeavyPolicy(comments), 'prod', 2, false);
  const edits = COMMENT_COUNTS.map((comments) => {
    const text = commentHeavyPolicy(comments);
    const timing = timeEdits(text, 'prod', repeats, true);
    return { comments, ...timing, sweepMs: timeOnce(repeats, () => sweep(text, { now: NOW })), listMs: timeOnce(repeats, () => listLedger(text, NOW)) };
  });
  const at = (comments: number) => edits.find((e) => e.comments === comments)!;
  const growth = at(65_536).medianEditMs / at(16_384).medianEditMs;
  const largest = at(65_536).medianEditMs;
  const groups = manyGroupsPolicy(GROUP_COUNT);
  const groupsSweepMs = timeOnce(repeats, () => sweep(groups, { now: NOW }));
  const groupsListMs = timeOnce(repeats, () => listLedger(groups, NOW));
  const identical = edits.every((e) => e.identical);
  return {
    title: 'Comment-heavy arrays and many groups',
    json: {
      editMs: Object.fromEntries(edits.map((e) => [e.comments, round3(e.medianEditMs)])),
      sweepMs: Object.fromEntries(edits.map((e) => [e.comments, round3(e.sweepMs)])),
      listMs: Object.fromEntries(edits.map((e) => [e.comments, round3(e.listMs)])),
      ratio64kTo16k: round3(growth),
      groups: GROUP_COUNT,
      groupsSweepMs: round3(groupsSweepMs),
      groupsListMs: round3(groupsListMs),
      grantRevokeIdentical: identical,
    },
    rows: [
      ...edits.map((e) => ({
        metric: `${e.comments} comments: grant or revoke / sweep / list, median`,
        value: `${ms(e.medianEditMs)} / ${ms(e.sweepMs)} / ${ms(e.listMs)}`,
      })),
      { metric: '65536 ÷ 16384 comments, per edit', value: ratio(growth), target: `≤ ${RATIO_TARGET} (linear ≈ 4)`, met: growth <= RATIO_TARGET },
      { metric: '65536 comments, per edit', value: ms(largest), target: `< ${LARGEST_TARGET_MS} ms`, met: largest < LARGEST_TARGET_MS },
      { metric: `${GROUP_COUNT} groups: sweep / list`, value: `${ms(groupsSweepMs)} / ${ms(groupsListMs)}` },
      { metric: 'grant → revoke byte-identical', value: identical ? 'all' : 'some differ', target: 'all', met: identical },
    ],
  };
}
