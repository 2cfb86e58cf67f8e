import { HujsonSyntaxError } from './errors';
import { parseHujson } from './parser';
import { decodeUtf8, invalidUtf8Offset } from './utf8';

/**
 * A policy file's bytes as text, refusing any that are not UTF-8: such a file could not be rewritten byte for byte.
 * Where the reference rejects the bytes (in a comment, where a value starts) its error is thrown; elsewhere
 * (inside a string, which the reference tolerates) the error names the first bad byte.
 */
export function decodePolicyBytes(bytes: Uint8Array): string {
  const text = decodeUtf8(bytes);
  const bad = invalidUtf8Offset(text);
  if (bad < 0) return text;
  parseHujson(text);
  throw new HujsonSyntaxError(text, bad, 'invalid UTF-8');
}
