// needs-shared: hujson-vectors
import { HujsonSyntaxError, parseHujson, parseHujsonDocument, standardize } from '../../lib/hujson';
import { derivedParseVectors, ParseVector, upstreamParseVectors } from './vectors';

function outcome(input: string | Uint8Array): string | null {
  try {
    parseHujson(input);
    return null;
  } catch (e) {
    if (!(e instanceof HujsonSyntaxError)) throw e;
    return e.message;
  }
}

function withoutOffsets(text: string, offsets: readonly number[]): string {
  return text
    .split('')
    .filter((_, i) => !offsets.includes(i))
    .join('');
}

const upstream = upstreamParseVectors();
const derived = derivedParseVectors();

describe.each([
  ['reference parse vectors', upstream],
  ['derived parse vectors', derived],
])('%s', (_, vectors: ParseVector[]) => {
  it('are all there', () => expect(vectors.length).toBeGreaterThan(30));

  it.each(vectors.map((v) => [v.id, v] as const))('%s: same verdict and message as the reference', (_id, v) => {
    expect(outcome(v.input)).toBe(v.wantErr);
  });
});

describe('standardize against the vectors', () => {
  const standardizable = [...upstream, ...derived].filter((v) => v.wantStd !== undefined && typeof v.input === 'string');
  const text = (v: ParseVector) => v.input as string;
  const keepsOffsets = (v: ParseVector) => Buffer.byteLength(v.wantStd as string) === Buffer.byteLength(text(v));

  it.each(standardizable.filter(keepsOffsets).map((v) => [v.id, v] as const))('%s: equals the reference output', (_id, v) =>
    expect(standardize(text(v))).toBe(v.wantStd),
  );

  // The recorded output of these came from a cloned tree, whose copy drops a comma that directly follows a value;
  // the reference's Standardize itself blanks it, which is what keeps offsets. The comma is the only difference.
  it.each(standardizable.filter((v) => !keepsOffsets(v)).map((v) => [v.id, v] as const))(
    '%s: equals the reference output, with the trailing comma kept as a space',
    (_id, v) => {
      const std = standardize(text(v));
      expect(Buffer.byteLength(std)).toBe(Buffer.byteLength(text(v)));
      const commas = parseHujsonDocument(text(v)).trailingCommas;
      expect(commas.length).toBeGreaterThan(0);
      expect(commas.every((at) => std[at] === ' ')).toBe(true);
      expect(withoutOffsets(std, commas)).toBe(v.wantStd);
    },
  );
});
