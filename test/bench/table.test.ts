import { FigureResult } from '../../scripts/bench/figure';
import { formatTable } from '../../scripts/bench/table';

const figures: FigureResult[] = [
  {
    title: '1. Latency',
    json: {},
    rows: [
      { metric: 'p50', value: '41.0 ms' },
      { metric: 'p50 ÷ limit', value: '1.02×', target: '≤ 1.15', met: true },
    ],
  },
  { title: '2. Size', json: {}, rows: [{ metric: 'zip', value: '400 KB', target: '≤ 300 KB', met: false }] },
];

describe('formatTable', () => {
  const lines = formatTable(['symtail benchmarks', 'machine: test'], figures).split('\n');

  it('prints the header, a blank line, the column names and a rule, then one line per metric', () => {
    expect(lines.slice(0, 3)).toEqual(['symtail benchmarks', 'machine: test', '']);
    expect(lines[3].split(/\s{2,}/)).toEqual(['figure', 'metric', 'value', 'target', 'met']);
    expect(lines[4]).toMatch(/^-+( {2}-+){4}$/);
    expect(lines).toHaveLength(5 + 3);
  });

  it('names each figure on its first line only, and says yes or NO where there is a target', () => {
    expect(lines.slice(5).map((l) => l.split(/\s{2,}/))).toEqual([
      ['1. Latency', 'p50', '41.0 ms'],
      ['', 'p50 ÷ limit', '1.02×', '≤ 1.15', 'yes'],
      ['2. Size', 'zip', '400 KB', '≤ 300 KB', 'NO'],
    ]);
  });

  it('starts every column at the same place on every line, counting characters rather than bytes', () => {
    const valueColumn = [...lines[3]].join('').indexOf('value');
    for (const line of lines.slice(5)) {
      const chars = [...line];
      expect(chars[valueColumn - 1]).toBe(' ');
      expect(chars[valueColumn]).not.toBe(' ');
    }
  });
});
