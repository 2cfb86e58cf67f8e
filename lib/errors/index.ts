/**
 * The one error base, and what every edge needs to turn untrusted input into a safe refusal: limits checked before
 * anything walks the input, and quoting that keeps an error message short and inert.
 */
export { describeError, SymtailError } from './symtail-error';
export { checkBounds, INPUT_LIMITS, InputLimitError, parseBoundedJson } from './input-limits';
export type { InputLimits } from './input-limits';
export { escapeInvisible, escapeInvisibleInJson, MAX_QUOTED_CHARACTERS, quoteForMessage } from './quote';
