import { SymtailError } from './symtail-error';

/** How much untrusted JSON the runtime takes: bytes of its text (UTF-8), and levels of arrays and objects. */
export interface InputLimits {
  readonly maxBytes: number;
  readonly maxDepth: number;
}

/**
 * What every edge takes from outside (a requests-API body, a Slack payload, a direct event): 16 KB and 32 levels,
 * far above any request symtail serves, far below what makes parsing, validating or quoting costly.
 */
export const INPUT_LIMITS: InputLimits = { maxBytes: 16 * 1024, maxDepth: 32 };

/** Input over a limit, refused before it is parsed or walked; the message names the limit, never the input. */
export class InputLimitError extends SymtailError<'input-too-large' | 'input-too-deep'> {
  constructor(where: string, limit: 'bytes' | 'depth', max: number) {
    super(
      limit === 'bytes' ? 'input-too-large' : 'input-too-deep',
      limit === 'bytes' ? `${where}: larger than the limit of ${max} bytes` : `${where}: nested deeper than the limit of ${max} levels`,
    );
  }
}

/**
 * `JSON.parse`, once the text is known to be within `limits`: the size first, then the depth, counted by one pass
 * over the text without recursion (brackets inside strings do not count), so an input 200,000 levels deep is
 * refused in linear time and never reaches a recursive walk. Depth: `1` is 0 levels, `[]` 1, `{"a":[1]}` 2. A
 * syntax error is JSON.parse's own SyntaxError.
 */
export function parseBoundedJson(text: string, limits: InputLimits, where: string): unknown {
  // Each UTF-16 unit is at most 3 bytes: a short text needs no count.
  if (text.length * 3 > limits.maxBytes && Buffer.byteLength(text, 'utf8') > limits.maxBytes) throw new InputLimitError(where, 'bytes', limits.maxBytes);
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash: the next unit is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limits.maxDepth) throw new InputLimitError(where, 'depth', limits.maxDepth);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return JSON.parse(text);
}

/**
 * The same limits for a value already parsed (an event Lambda decoded): walked with a stack of its own, never by
 * recursion, and given up as soon as a limit is passed. The size counted is that of `JSON.stringify(value)`, so for
 * that text both functions agree. `maxBytes` may be Infinity, to bound the depth alone.
 */
export function checkBounds(value: unknown, limits: InputLimits, where: string): void {
  let bytes = 0;
  const add = (n: number) => {
    bytes += n;
    if (bytes > limits.maxBytes) throw new InputLimitError(where, 'bytes', limits.maxBytes);
  };
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, depth } = stack.pop()!;
    if (typeof v === 'string') {
      add(limits.maxBytes === Infinity ? 0 : Buffer.byteLength(JSON.stringify(v), 'utf8'));
    } else if (typeof v === 'object' && v !== null) {
      if (depth + 1 > limits.maxDepth) throw new InputLimitError(where, 'depth', limits.maxDepth);
      const entries = Array.isArray(v) ? v.map((item) => [undefined, item] as const) : Object.entries(v);
      // Brackets, commas, and for objects each key with its quotes and colon.
      add(2 + Math.max(0, entries.length - 1));
      for (const [key, item] of entries) {
        if (key !== undefined) add(Buffer.byteLength(JSON.stringify(key), 'utf8') + 1);
        stack.push({ value: item, depth: depth + 1 });
      }
    } else {
      add(String(JSON.stringify(v) ?? 'null').length);
    }
  }
}
