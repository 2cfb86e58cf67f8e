const CONTEXT_LINES = 3;

function splitLines(text: string): string[] {
  // Keep each line's own terminator so CRLF files diff as they are.
  return text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

/**
 * A unified diff of two policy texts. Policy edits change one contiguous region per group, so trimming the
 * common leading and trailing lines finds the change in linear time without a general diff algorithm.
 * Returns '' when the texts are equal.
 */
export function policyDiff(before: string, after: string, label = 'policy.hujson'): string {
  if (before === after) return '';
  const a = splitLines(before);
  const b = splitLines(after);
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const from = Math.max(0, head - CONTEXT_LINES);
  const aEnd = a.length - tail;
  const bEnd = b.length - tail;
  const aStop = Math.min(a.length, aEnd + CONTEXT_LINES);
  const bStop = Math.min(b.length, bEnd + CONTEXT_LINES);
  const show = (line: string) => line.replace(/\r?\n$/, '');
  const out = [
    `--- ${label}`,
    `+++ ${label}`,
    `@@ -${from + 1},${aStop - from} +${from + 1},${bStop - from} @@`,
    ...a.slice(from, head).map((l) => ' ' + show(l)),
    ...a.slice(head, aEnd).map((l) => '-' + show(l)),
    ...b.slice(head, bEnd).map((l) => '+' + show(l)),
    ...a.slice(aEnd, aStop).map((l) => ' ' + show(l)),
  ];
  return out.join('\n') + '\n';
}
