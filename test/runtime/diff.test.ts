import { policyDiff } from '../../lib/runtime/diff';

describe('policyDiff', () => {
  test('is empty for equal texts', () => {
    expect(policyDiff('{\n}\n', '{\n}\n')).toBe('');
  });

  test('shows one hunk with three lines of context around a changed line', () => {
    const before = ['{', '  "a": 1,', '  "b": 2,', '  "c": 3,', '  "d": [],', '  "e": 5,', '  "f": 6,', '  "g": 7,', '  "h": 8,', '}', ''].join('\n');
    const after = before.replace('"d": []', '"d": ["x"]');
    expect(policyDiff(before, after, 'p')).toBe(
      [
        '--- p',
        '+++ p',
        '@@ -2,7 +2,7 @@',
        '   "a": 1,',
        '   "b": 2,',
        '   "c": 3,',
        '-  "d": [],',
        '+  "d": ["x"],',
        '   "e": 5,',
        '   "f": 6,',
        '   "g": 7,',
        '',
      ].join('\n'),
    );
  });

  test('shows an added line and keeps CRLF files readable', () => {
    const before = '[\r\n\t"a",\r\n]\r\n';
    const after = '[\r\n\t"a",\r\n\t"b",\r\n]\r\n';
    expect(policyDiff(before, after, 'p')).toBe(['--- p', '+++ p', '@@ -1,3 +1,4 @@', ' [', ' \t"a",', '+\t"b",', ' ]', ''].join('\n'));
  });

  test('handles a text without a final newline', () => {
    expect(policyDiff('a', 'b', 'p')).toBe(['--- p', '+++ p', '@@ -1,1 +1,1 @@', '-a', '+b', ''].join('\n'));
  });
});
