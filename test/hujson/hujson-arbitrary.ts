import fc from 'fast-check';
import { policySpec, renderPolicy } from '../policy/policy-arbitrary';

/** Fragments of HuJSON and of what is not: joined at random they reach most of the parser's errors. */
export const hujsonPieces = fc.constantFrom(
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"a"',
  '"groups"',
  '"group:g0"',
  '"\\u00e9"',
  '"\\x"',
  '"\t"',
  '1',
  '-0.5e3',
  '01',
  '1.',
  'true',
  'nul',
  'null',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '// c\n',
  '// c',
  '/* c */',
  '/* c',
  '/',
  '*',
  '"',
  '\\',
  'é',
  '😊',
  '\u00a0',
  '\udc80',
  "'",
  '+',
  '.',
);

/** Random fragments, alone or as the values of a policy's "groups" and "acls". */
export const hujsonishStrings = fc.tuple(fc.array(hujsonPieces, { maxLength: 40 }), fc.boolean()).map(([parts, wrapped]) => {
  const body = parts.join('');
  return wrapped ? `{"groups": {"group:g0": ${body}}, "acls": ${body}}` : body;
});

const mutation = fc.record({ at: fc.nat(), remove: fc.nat({ max: 3 }), insert: fc.oneof(hujsonPieces, fc.constant('')) });

/** Generated policies (groups g0, g1, …), as written or with a few bytes removed or inserted anywhere. */
export const mutatedPolicies = fc.tuple(policySpec, fc.array(mutation, { maxLength: 3 })).map(([spec, mutations]) =>
  mutations.reduce((text, m) => {
    const at = m.at % (text.length + 1);
    return text.slice(0, at) + m.insert + text.slice(at + m.remove);
  }, renderPolicy(spec)),
);
