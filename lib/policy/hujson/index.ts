export * from './ast';
export { HujsonSyntaxError } from './errors';
export type { HujsonDocument } from './parser';
export { MAX_DEPTH, parseHujson, parseHujsonDocument, parseHujsonOutline } from './parser';
export { standardize } from './standardize';
export { decodePolicyBytes } from './decode';
export { decodeUtf8 } from './utf8';
export { findMember, hujsonToValue } from './value';
