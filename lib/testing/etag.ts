import { createHash } from 'node:crypto';

/** `"<sha256 hex of the text>"`, quotes included, as the API sends it. */
export function etagOf(text: string): string {
  return `"${createHash('sha256').update(text, 'utf8').digest('hex')}"`;
}
