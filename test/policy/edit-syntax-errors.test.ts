// needs-shared: policy-corpus, hujson-vectors
import fc from 'fast-check';
import { grant, listLedger, PolicyEditError, revoke, sweep } from '../../lib/policy';
import { decodeUtf8, HujsonSyntaxError, parseHujson } from '../../lib/hujson';
import { corpusFiles } from './corpus';
import { hujsonishStrings, mutatedPolicies } from '../hujson/hujson-arbitrary';
import { NOW } from './policy-arbitrary';
import { derivedParseVectors, upstreamParseVectors } from '../hujson/vectors';

// The edits build only the parts of a file they read; these pin that they still refuse exactly the files
// parseHujson refuses, with its message and position.

const EDITS: readonly (readonly [string, (text: string) => unknown])[] = [
  ['grant', (text) => grant(text, { group: 'g0', member: 'zed@example.com', until: new Date('2026-07-01T00:00:00Z'), createGroup: true })],
  ['revoke', (text) => revoke(text, { group: 'g0', member: 'alice@example.com' })],
  ['sweep', (text) => sweep(text, { now: NOW, exclusiveGroups: ['g1'] })],
  ['listLedger', (text) => listLedger(text, NOW)],
];

/** The syntax error's message and byte offset, or 'accepted' (a file that parses may still be refused as a policy). */
function syntaxVerdict(run: () => unknown): string {
  try {
    run();
    return 'accepted';
  } catch (e) {
    if (e instanceof PolicyEditError) return 'accepted';
    if (!(e instanceof HujsonSyntaxError)) throw e;
    return `${e.message} (byte ${e.offset})`;
  }
}

function expectEditsRefuseAsTheParserDoes(text: string): void {
  const full = syntaxVerdict(() => parseHujson(text));
  for (const [, edit] of EDITS) expect(syntaxVerdict(() => edit(text))).toBe(full);
}

describe('grant, revoke, sweep and listLedger refuse what parseHujson refuses, with its message and position', () => {
  const vectors = [...upstreamParseVectors(), ...derivedParseVectors()];
  it.each(vectors.map((v) => [v.id, v] as const))('vector %s', (_id, v) => {
    expectEditsRefuseAsTheParserDoes(typeof v.input === 'string' ? v.input : decodeUtf8(v.input));
  });

  it.each(corpusFiles().map((f) => [f.name, f.text] as const))('corpus file %s', (_name, text) => {
    expectEditsRefuseAsTheParserDoes(text);
  });

  it('on arbitrary strings', () => {
    fc.assert(fc.property(hujsonishStrings, expectEditsRefuseAsTheParserDoes), { numRuns: 1500, seed: 20261123 });
  });

  it('on generated policies, as written and with bytes removed or inserted anywhere', () => {
    fc.assert(fc.property(mutatedPolicies, expectEditsRefuseAsTheParserDoes), { numRuns: 1000, seed: 20261123 });
  });
});
