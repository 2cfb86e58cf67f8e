import fc from 'fast-check';
import { GROUP_NAME_PATTERN as MANIFEST_GROUP_NAME_PATTERN, MANIFEST_SCHEMA } from '../../lib/manifest';
import { GROUP_NAME_PATTERN, PolicyInputError, REQUEST_ID_PATTERN, formatExpiry, validateGroupName, validateRequestId } from '../../lib/policy';
import { EVENT_SCHEMAS } from '../../lib/runtime/event-schemas';

// Near-misses as well as fits: the pattern alphabets, plus characters that could end a comment or a line.
const candidate = fc.string({ unit: fc.constantFrom(...'aZ09._-:/* "\n\u00e9'.split('')), maxLength: 140 });

function accepts(validate: (value: string) => string, value: string): boolean {
  try {
    return validate(value) === value;
  } catch (e) {
    if (e instanceof PolicyInputError) return false;
    throw e;
  }
}

describe('the policy engine owns the name patterns', () => {
  it.each([
    ['group names', GROUP_NAME_PATTERN, (v: string) => validateGroupName(v)],
    ['request ids', REQUEST_ID_PATTERN, (v: string) => validateRequestId(v)],
  ])('its validator for %s accepts exactly what the exported pattern matches', (_name, pattern, validate) => {
    const regex = new RegExp(pattern);
    fc.assert(
      fc.property(candidate, (value) => accepts(validate, value) === regex.test(value)),
      { numRuns: 2000, seed: 20261123 },
    );
  });

  it('the manifest schema and the event schemas check with the same patterns', () => {
    expect(MANIFEST_GROUP_NAME_PATTERN).toBe(GROUP_NAME_PATTERN);
    expect(MANIFEST_SCHEMA.properties.targets.additionalProperties.properties.groupName.pattern).toBe(GROUP_NAME_PATTERN);
    for (const schema of [EVENT_SCHEMAS.escalate, EVENT_SCHEMAS.deescalate]) {
      expect(schema.properties.requestId.pattern).toBe(REQUEST_ID_PATTERN);
    }
  });
});

describe('formatExpiry', () => {
  it.each([
    ['drops milliseconds', '2026-11-23T18:00:00.999Z', '2026-11-23T18:00:00Z'],
    ['keeps whole seconds as they are', '2026-11-23T18:00:07Z', '2026-11-23T18:00:07Z'],
    ['writes UTC whatever the offset given', '2026-11-23T19:00:00+01:00', '2026-11-23T18:00:00Z'],
    ['keeps a year past 9999 whole', '+010000-01-01T00:00:00.500Z', '+010000-01-01T00:00:00Z'],
  ])('%s', (_name, input, expected) => {
    expect(formatExpiry(new Date(input))).toBe(expected);
  });

  it('names the same instant, cut to the whole second below', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        const written = formatExpiry(date);
        expect(written).toMatch(/:\d{2}Z$/);
        expect(new Date(written).getTime()).toBe(Math.floor(date.getTime() / 1000) * 1000);
      }),
      { numRuns: 1000, seed: 20261123 },
    );
  });
});
