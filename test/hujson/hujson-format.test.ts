// needs-shared: hujson-vectors, policy-corpus
import * as fs from 'fs';
import * as path from 'path';
import fc from 'fast-check';
import { decodeUtf8, format, HujsonSyntaxError, parseHujson, parseHujsonDocument, standardize } from '../../lib/hujson';
import { hujsonishStrings, mutatedPolicies } from './hujson-arbitrary';
import { SHARED_DIR } from '../support/shared-data';
import { VECTORS_DIR } from './vectors';

interface FormatCase {
  id: string;
  in: string;
  expected: string;
}

interface CorpusCase {
  name: string;
  input_file: string;
  expected: string;
  alreadyFormatted: boolean;
}

const read = <T>(name: string): T => JSON.parse(fs.readFileSync(path.join(VECTORS_DIR, name), 'utf8')) as T;
const cases = read<{ cases: FormatCase[]; formatErrorsInput: string }>('format_cases.json');
const corpus = read<{ cases: CorpusCase[] }>('format_corpus.json').cases;
const corpusText = (c: CorpusCase) => decodeUtf8(fs.readFileSync(path.join(SHARED_DIR, 'policy-corpus', c.input_file)));

describe('format against the reference Format', () => {
  it('has every vector', () => {
    expect(cases.cases).toHaveLength(39);
    expect(corpus).toHaveLength(124);
  });

  it.each(cases.cases.map((c) => [c.id, c] as const))('%s: byte-identical', (_id, c) => {
    expect(format(c.in)).toBe(c.expected);
  });

  it.each(corpus.map((c) => [c.name, c] as const))('%s: byte-identical', (_name, c) => {
    expect(format(corpusText(c))).toBe(c.expected);
  });

  it('is idempotent on every output', () => {
    for (const expected of [...cases.cases, ...corpus].map((c) => c.expected)) expect(format(expected)).toBe(expected);
  });

  it('knows which corpus files were already canonical', () => {
    for (const c of corpus) expect(format(corpusText(c)) === corpusText(c)).toBe(c.alreadyFormatted);
  });

  it('refuses a document that is not HuJSON, as the reference does', () => {
    expect(() => format(cases.formatErrorsInput)).toThrow(HujsonSyntaxError);
  });
});

describe('format on awkward input', () => {
  it('lays out a member followed by 125,687 comments without running out of stack', () => {
    const text = `{"groups": {"group:a": ["a@b.c"${'/**/'.repeat(125_687)}]}}`;
    const out = format(text);
    expect(out.startsWith('{"groups": {"group:a": ["a@b.c" /**/ /**/')).toBe(true);
    expect(format(out)).toBe(out);
  });

  it('keeps plain JSON plain: no trailing commas where the input had no comments or trailing commas', () => {
    const text = JSON.stringify({ groups: { 'group:a': Array.from({ length: 12 }, (_, i) => `user${i}@example.com`) } });
    const out = format(text);
    expect(out).toContain('[\n\t"user0@example.com",\n');
    expect(out).toContain('\t"user11@example.com"\n]}}\n');
    expect(JSON.parse(out)).toEqual(JSON.parse(text));
  });

  it('re-encodes a string with escapes as the reference does, and leaves one without escapes as written', () => {
    expect(format('["\\u0041\\/", "\\ud83d!", "é"]')).toBe('["A/", "\uFFFD!", "é"]\n');
  });
});

describe('format on generated documents', () => {
  const parses = (text: string) => {
    try {
      parseHujson(text);
      return true;
    } catch {
      return false;
    }
  };
  const valueOf = (text: string) => JSON.parse(standardize(text)) as unknown;

  it('keeps the value, keeps every comment, and is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(hujsonishStrings, mutatedPolicies), (text) => {
        fc.pre(parses(text));
        const out = format(text);
        expect(format(out)).toBe(out);
        expect(valueOf(out)).toEqual(valueOf(text));
        expect(parseHujsonDocument(out).comments.length).toBe(parseHujsonDocument(text).comments.length);
      }),
      { numRuns: 2000, seed: 20261129 },
    );
  });
});
