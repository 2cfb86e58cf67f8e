/**
 * The syntax tree of a HuJSON document. Offsets index the parsed JavaScript string (UTF-16 code units),
 * so `text.slice(node.start, node.end)` is the node's source; errors, by contrast, report UTF-8 byte positions.
 */
export interface HujsonSpan {
  /** Offset of the node's first character. */
  readonly start: number;
  /** Offset just past the node's last character. */
  readonly end: number;
}

export interface HujsonString extends HujsonSpan {
  readonly kind: 'string';
  /** The literal as written, quotes and escapes included. */
  readonly raw: string;
  readonly value: string;
}

export interface HujsonNumber extends HujsonSpan {
  readonly kind: 'number';
  readonly raw: string;
  readonly value: number;
}

export interface HujsonBoolean extends HujsonSpan {
  readonly kind: 'boolean';
  readonly raw: string;
  readonly value: boolean;
}

export interface HujsonNull extends HujsonSpan {
  readonly kind: 'null';
  readonly raw: string;
  readonly value: null;
}

export interface HujsonArray extends HujsonSpan {
  readonly kind: 'array';
  readonly elements: readonly HujsonValue[];
  /** Offset of the comma after each element; one per element when the array ends with a trailing comma. */
  readonly commas: readonly number[];
}

export interface HujsonMember {
  readonly name: HujsonString;
  readonly value: HujsonValue;
}

export interface HujsonObject extends HujsonSpan {
  readonly kind: 'object';
  /** In source order; duplicate names are kept. */
  readonly members: readonly HujsonMember[];
  /** Offset of the comma after each member; one per member when the object ends with a trailing comma. */
  readonly commas: readonly number[];
}

export type HujsonLiteral = HujsonString | HujsonNumber | HujsonBoolean | HujsonNull;
export type HujsonValue = HujsonLiteral | HujsonArray | HujsonObject;

/**
 * What to build of a value when parsing an outline: `true` builds all of it; a selector (a Map, or anything that
 * answers `get` by member name) builds an object's member names and, of its member values, those it answers for,
 * each as its answer says. Anything else is checked, not built.
 */
export type HujsonSelection = true | HujsonSelector;

export interface HujsonSelector {
  get(name: string): HujsonSelection | undefined;
}

/** A value an outline parse checked but did not build: only what it is and where it lies. */
export interface HujsonSkipped extends HujsonSpan {
  readonly kind: 'skipped';
  readonly valueKind: HujsonValue['kind'];
}

/** An object built as a selection map asks: every member's name, but only the selected members' values. */
export interface HujsonOutlineObject extends HujsonSpan {
  readonly kind: 'object';
  readonly members: readonly HujsonOutlineMember[];
  /** As for HujsonObject. */
  readonly commas: readonly number[];
}

export interface HujsonOutlineMember {
  readonly name: HujsonString;
  readonly value: HujsonOutlineValue;
}

/** A node of an outline; a fully built HujsonObject is also a HujsonOutlineObject. */
export type HujsonOutlineValue = HujsonValue | HujsonOutlineObject | HujsonSkipped;

/** True when the array or object ends with a comma after its last item. */
export function hasTrailingComma(node: HujsonArray | HujsonOutlineObject): boolean {
  const items = node.kind === 'array' ? node.elements.length : node.members.length;
  return items > 0 && node.commas.length === items;
}
