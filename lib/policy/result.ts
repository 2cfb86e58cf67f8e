import { applyEdits, TextEdit } from './text-edits';
import { EditResult, PolicyChange } from './types';

export function edited(text: string, edits: readonly TextEdit[], changes: PolicyChange[], warnings: string[]): EditResult {
  const result = edits.length === 0 ? text : applyEdits(text, edits);
  return { text: result, changed: result !== text, changes, warnings };
}

export function unchanged(text: string, change: PolicyChange | undefined, warnings: string[]): EditResult {
  return { text, changed: false, changes: change === undefined ? [] : [change], warnings };
}
