/** Replace `text.slice(start, end)` with `insert`; an insertion has start === end. */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly insert: string;
}

export const insertAt = (at: number, insert: string): TextEdit => ({ start: at, end: at, insert });
export const deleteRange = (start: number, end: number): TextEdit => ({ start, end, insert: '' });

/** Applies non-overlapping edits, all given in offsets of the original text, in one pass. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  const out: string[] = [];
  let copied = 0;
  for (const edit of sorted) {
    if (edit.start < copied) throw new Error(`internal error: overlapping edits at offset ${edit.start}`);
    out.push(text.slice(copied, edit.start), edit.insert);
    copied = edit.end;
  }
  out.push(text.slice(copied));
  return out.join('');
}
