import fc from 'fast-check';
import {
  decodePolicyBytes,
  HujsonArray,
  HujsonObject,
  HujsonSyntaxError,
  MAX_DEPTH,
  findMember,
  hujsonToValue,
  parseHujson,
  standardize,
} from '../../lib/hujson';

function syntaxError(input: string | Uint8Array): HujsonSyntaxError {
  try {
    parseHujson(input);
  } catch (e) {
    if (e instanceof HujsonSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('parseHujson tree', () => {
  it('records offsets into the text, commas and trailing commas', () => {
    const text = '{ "a" : [1, "x" , ] , /* c */ "b": null }';
    const root = parseHujson(text) as HujsonObject;
    expect(root.kind).toBe('object');
    expect(text.slice(root.start, root.end)).toBe(text);
    const a = root.members[0].value as HujsonArray;
    expect(text.slice(a.start, a.end)).toBe('[1, "x" , ]');
    expect(a.elements.map((e) => text.slice(e.start, e.end))).toEqual(['1', '"x"']);
    expect(a.commas.map((c) => text[c])).toEqual([',', ',']);
    expect(a.commas.length).toBe(a.elements.length);
    expect(root.commas.length).toBe(1);
  });

  it('decodes strings and numbers', () => {
    expect(hujsonToValue(parseHujson('["\\u00e9\\n", -1.5e2, true, false, null]'))).toEqual(['é\n', -150, true, false, null]);
  });

  it('lets the first of duplicate names win, as look-ups do', () => {
    const root = parseHujson('{"a": 1, "a": 2}') as HujsonObject;
    expect(hujsonToValue(root)).toEqual({ a: 1 });
    expect(findMember(root, 'a')?.value).toMatchObject({ value: 1 });
    expect(findMember(root, 'b')).toBeUndefined();
  });

  it('keeps a member named __proto__ as data', () => {
    const value = hujsonToValue(parseHujson('{"__proto__": {"polluted": true}}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('parseHujson errors', () => {
  it.each([
    ['a column after a two-byte character counts bytes', '"é" x', 1, 6],
    ['a column after a four-byte character counts bytes', '["😊" x]', 1, 9],
    ['lines count LF, and CR is an ordinary byte', '{\r\n"a": 1,\r\n"b" 2}', 3, 5],
    ['an error on the first column of a later line', '[\n1,\n]\n]', 4, 1],
  ])('%s', (_name, input, line, column) => {
    const e = syntaxError(input);
    expect([e.line, e.column]).toEqual([line, column]);
    expect(e.message).toMatch(new RegExp(`^hujson: line ${line}, column ${column}: `));
  });

  it('reports the byte offset and the bare reason', () => {
    const e = syntaxError('{"é": x}');
    expect(e.offset).toBe(7);
    expect(e.reason).toBe('invalid literal: x');
  });

  it('reports a byte that is not UTF-8 as \\x.. where a value should start', () => {
    expect(syntaxError(new Uint8Array([0x5b, 0xc3, 0x5d])).message).toBe("hujson: line 1, column 2: invalid character '\\xc3' at start of value");
  });

  it('accepts bytes that are not UTF-8 inside a string, as the reference does', () => {
    expect(hujsonToValue(parseHujson(new Uint8Array([0x22, 0xff, 0x22])))).toBe('\uFFFD');
  });

  it('reports a control character in hexadecimal', () => {
    expect(syntaxError('[\u0000]').reason).toBe("invalid character '\\u0000' at start of value");
  });

  it('refuses nesting deeper than its limit with a position instead of overflowing the stack', () => {
    const e = syntaxError('['.repeat(MAX_DEPTH + 1) + ']'.repeat(MAX_DEPTH + 1));
    expect(e.reason).toBe(`exceeded max depth of ${MAX_DEPTH}`);
    expect(e.column).toBe(MAX_DEPTH + 1);
    expect(() => parseHujson('['.repeat(MAX_DEPTH) + ']'.repeat(MAX_DEPTH))).not.toThrow();
  });
});

describe('a string literal of several megabytes', () => {
  const EIGHT_MB = 8_000_000;
  // Each escape is a step of the check: a pattern that alternates per character ran out of backtracking stack here.
  const escapes = '\\u0041'.repeat(EIGHT_MB / 6);

  it('is read in one pass, escapes and all', () => {
    const value = hujsonToValue(parseHujson(`{\n"note": "${escapes}"\n}`)) as { note: string };
    expect(value.note).toBe('A'.repeat(EIGHT_MB / 6));
  });

  it.each([
    ['a control character at its end', `${escapes}\u0001`],
    ['a bad escape at its end', `${'x'.repeat(EIGHT_MB)}\\q`],
  ])('with %s is refused as a syntax error naming its line, the literal cut short in the message', (_name, inside) => {
    const e = syntaxError(`{\n"acls": [],\n"note": "${inside}"\n}`);
    expect([e.line, e.column]).toEqual([3, 9]);
    expect(e.reason).toBe(`invalid literal: "${inside.slice(0, 79)}... (${inside.length + 2} characters)`);
  });
});

describe('decodePolicyBytes', () => {
  const bytes = (...parts: (string | number[])[]) => new Uint8Array(Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))));

  it('decodes UTF-8, keeping a byte order mark for the parser to refuse', () => {
    expect(decodePolicyBytes(bytes('{"é": 1}'))).toBe('{"é": 1}');
    expect(decodePolicyBytes(bytes([0xef, 0xbb, 0xbf], '{}'))).toBe('\ufeff{}');
  });

  it.each([
    ["in a comment, with the reference's error", bytes('{} // ', [0xc3, 0x28], '\n'), 'hujson: line 1, column 4: invalid UTF-8 in comment'],
    ["where a value starts, with the reference's error", bytes('[', [0xff], ']'), "hujson: line 1, column 2: invalid character '\\xff' at start of value"],
    ['inside a string, which could not be written back', bytes('{\n"a": "', [0xed, 0xa0, 0x80], '"}'), 'hujson: line 2, column 7: invalid UTF-8'],
  ])('refuses bytes that are not UTF-8 %s', (_name, input, message) => {
    expect(() => decodePolicyBytes(input)).toThrow(HujsonSyntaxError);
    expect(() => decodePolicyBytes(input)).toThrow(message);
  });
});

describe('standardize', () => {
  it('keeps byte offsets and line breaks, blanking comments and trailing commas', () => {
    const text = '{\r\n\t"a": [1, 2,], // é\r\n\t/* x\n */ "b": 1,\n}';
    const std = standardize(text);
    expect(Buffer.byteLength(std)).toBe(Buffer.byteLength(text));
    expect(std.split('\n').length).toBe(text.split('\n').length);
    expect(JSON.parse(std)).toEqual({ a: [1, 2], b: 1 });
  });

  it('returns standard JSON unchanged', () => {
    const text = '{"a": [1, 2]}';
    expect(standardize(text)).toBe(text);
  });

  it('refuses text that is not HuJSON', () => {
    expect(() => standardize('{a: 1}')).toThrow(HujsonSyntaxError);
  });
});

describe('parseHujson on arbitrary input', () => {
  const pieces = fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"a"',
    '"\\u00e9"',
    '1',
    '-0.5e3',
    'true',
    'null',
    ' ',
    '\n',
    '\r\n',
    '\t',
    '// c\n',
    '/* c */',
    '/',
    '*',
    '"',
    '\\',
    'é',
    '😊',
    '\u00a0',
    "'",
    '+',
    '.',
  );
  const documents = fc.array(pieces, { maxLength: 40 }).map((p) => p.join(''));

  it('either parses or throws HujsonSyntaxError whose line, column and offset agree', () => {
    fc.assert(
      fc.property(documents, (text) => {
        try {
          parseHujson(text);
        } catch (e) {
          expect(e).toBeInstanceOf(HujsonSyntaxError);
          const { line, column, offset } = e as HujsonSyntaxError;
          const before = Buffer.from(text, 'utf8').subarray(0, offset).toString('latin1');
          expect(line).toBe(1 + before.split('\n').length - 1);
          expect(column).toBe(1 + offset - (before.lastIndexOf('\n') + 1));
        }
      }),
      { numRuns: 2000, seed: 20261123 },
    );
  });

  it('standardizes whatever it accepts to JSON of the same value and byte length', () => {
    fc.assert(
      fc.property(documents, (text) => {
        let value: unknown;
        try {
          value = hujsonToValue(parseHujson(text));
        } catch {
          return;
        }
        const std = standardize(text);
        expect(Buffer.byteLength(std)).toBe(Buffer.byteLength(text));
        expect(() => JSON.parse(std)).not.toThrow();
        expect(hujsonToValue(parseHujson(std))).toEqual(value);
      }),
      { numRuns: 2000, seed: 20261123 },
    );
  });
});
