import { AppendStyle } from './append';
import { HujsonOutlineObject, HujsonOutlineValue, hasTrailingComma } from '../hujson';
import { indentUnit } from './layout';

/**
 * How to add to `container`: the file's indentation unit, and for a container with no items yet, the trailing-comma
 * habit of the nearest enclosing object that has members.
 */
export function appendStyle(text: string, root: HujsonOutlineValue, enclosing: readonly HujsonOutlineObject[]): AppendStyle {
  const withMembers = enclosing.find((o) => o.members.length > 0);
  return { indentUnit: indentUnit(text, root), trailingCommaWhenEmpty: withMembers !== undefined && hasTrailingComma(withMembers) };
}
