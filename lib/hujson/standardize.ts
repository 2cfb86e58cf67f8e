import { parseHujsonDocument } from './parser';
import { CommentSpan } from './scanner';
import { characterAt } from './utf8';

/**
 * Standard JSON with the same byte offsets: every byte of a comment and every trailing comma becomes a space,
 * except whitespace (space, tab, CR, LF), which is kept, so lines and columns stay where they were.
 * Throws HujsonSyntaxError when the text is not HuJSON.
 */
export function standardize(text: string): string {
  const doc = parseHujsonDocument(text);
  const out: string[] = [];
  let copied = 0;
  for (const { start, end } of blankRegions(doc.comments, doc.trailingCommas)) {
    out.push(text.slice(copied, start), blank(text, start, end));
    copied = end;
  }
  out.push(text.slice(copied));
  return out.join('');
}

/** Comments and trailing commas merged in source order; the parser reports each kind in ascending order. */
function* blankRegions(comments: readonly CommentSpan[], commas: readonly number[]): Generator<CommentSpan> {
  let c = 0;
  let t = 0;
  while (c < comments.length || t < commas.length) {
    if (t >= commas.length || (c < comments.length && comments[c].start < commas[t])) {
      yield comments[c++];
    } else {
      const at = commas[t++];
      yield { start: at, end: at + 1 };
    }
  }
}

function blank(text: string, start: number, end: number): string {
  let out = '';
  let spaces = 0;
  for (let i = start; i < end;) {
    const code = text.charCodeAt(i);
    if (code === 0x09 || code === 0x0a || code === 0x0d) {
      out += ' '.repeat(spaces) + text[i];
      spaces = 0;
      i++;
    } else if (code < 0x80) {
      spaces++;
      i++;
    } else {
      const c = characterAt(text, i);
      spaces += c.bytes;
      i += c.units;
    }
  }
  return out + ' '.repeat(spaces);
}
