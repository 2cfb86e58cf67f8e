import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { TailnetEmulator } from '../../lib/testing';
import { clientFor, FakeClock, startEmulator } from './harness';

let emulator: TailnetEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.stop());

const space = fc.constantFrom('', ' ', '\t', '\n', '\r\n', '\t\t', '  \r\n\t');
const prose = fc.string({ unit: 'grapheme', maxLength: 20 }).map((s) => s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]|\*\//g, ''));
const comment = fc.oneof(
  fc.constant(''),
  prose.map((s) => `/* ${s} */`),
  prose.map((s) => `// ${s}\n`),
);
const gap = fc.tuple(space, comment, space).map((parts) => parts.join(''));
const login = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/), fc.constantFrom('example.com', 'github', 'passkey'))
  .map(([name, domain]) => JSON.stringify(`${name}@${domain}`));
const members = fc.array(fc.tuple(gap, login), { maxLength: 4 });
const group = fc.tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,8}$/), members, fc.boolean(), gap);

/** A `groups`-only policy file, with whitespace, comments, CRLF and trailing commas wherever people put them. */
const policyText = fc
  .tuple(gap, fc.uniqueArray(group, { selector: ([name]) => name, maxLength: 4 }), gap, fc.boolean())
  .map(([lead, groups, tail, finalNewline]) => {
    const entries = groups.map(([name, list, trailing, after]) => {
      const items = list.map(([g, l]) => `${g}${l}`).join(',');
      return `"group:${name}": [${items}${trailing && list.length > 0 ? ',' : ''}${after}]`;
    });
    return `${lead}{"groups": {${entries.join(`,${'\r\n\t'}`)}}${tail}}${finalNewline ? '\n' : ''}`;
  });

it('writes and reads back any policy text byte for byte, with ETag = quoted sha256', async () => {
  const client = clientFor(emulator, new FakeClock());
  await fc.assert(
    fc.asyncProperty(policyText, async (text) => {
      const { etag: written } = await client.setPolicy('example.com', text, emulator.etag);
      const read = await client.getPolicy('example.com');
      expect(read.text).toBe(text);
      expect(read.etag).toBe(written);
      expect(read.etag).toBe(`"${createHash('sha256').update(text, 'utf8').digest('hex')}"`);
    }),
    { numRuns: 60 },
  );
});
