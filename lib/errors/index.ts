/**
 * The one error base and the one table of its codes, and what every edge needs to turn untrusted input into a safe
 * refusal: limits checked before anything walks the input, and quoting that keeps an error message short and inert.
 */
export { auditOutcomeOf, ERROR_CODES, errorKindOf, httpStatusOf, REJECTION_CODES } from './codes';
export type { ErrorCode, ErrorKind, HttpStatus } from './codes';
export { describeError, SymtailError } from './symtail-error';
export type { DescribedError } from './symtail-error';
export { checkBounds, INPUT_LIMITS, InputLimitError, parseBoundedJson } from './input-limits';
export type { InputLimits } from './input-limits';
export { escapeInvisible, escapeInvisibleInJson, MAX_QUOTED_CHARACTERS, quoteForMessage } from './quote';
