import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';
import { auditOutcomeOf, describeError, ERROR_CODES, ErrorCode, errorKindOf, httpStatusOf, REJECTION_CODES, SymtailError } from '../../lib/errors';

const LIB = path.resolve(__dirname, '../../lib');
const CODES = Object.keys(ERROR_CODES) as ErrorCode[];

test.each(CODES)('%s is kebab-case, with a status of its own and a meaning of one line', (code) => {
  const { status, meaning } = ERROR_CODES[code];
  expect(code).toMatch(/^[a-z]+(-[a-z]+)*$/);
  expect([400, 401, 403, 404, 409, 500, 502, 503]).toContain(status);
  expect(meaning).toMatch(/^[a-zA-Z'][^\n]{9,119}[^.\s]$/);
});

test.each(CODES)('an error with code %s answers its status, and is audited rejected for a 4xx, failed for a 5xx', (code) => {
  const error = new SymtailError(code, 'why');
  expect(error.httpStatus).toBe(ERROR_CODES[code].status);
  expect(httpStatusOf(code)).toBe(ERROR_CODES[code].status);
  const rejection = ERROR_CODES[code].status < 500;
  expect([errorKindOf(code), auditOutcomeOf(code), REJECTION_CODES.has(code)]).toEqual(
    rejection ? ['rejection', 'rejected', true] : ['failure', 'failed', false],
  );
});

test('a code a deployed function answers that this version does not know is not taken for a rejection', () => {
  expect(REJECTION_CODES.has('a-code-from-a-newer-runtime')).toBe(false);
  expect(REJECTION_CODES.has('constructor')).toBe(false);
});

test('an error symtail did not raise is an internal error: 500, audited failed, its message kept', () => {
  expect(describeError(new TypeError('x is undefined'))).toEqual({ code: 'internal-error', message: 'x is undefined' });
  expect(describeError('thrown text')).toEqual({ code: 'internal-error', message: 'thrown text' });
  expect([httpStatusOf('internal-error'), auditOutcomeOf('internal-error')]).toEqual([500, 'failed']);
});

/** The type errors of a small program beside lib/, compiled with the repository's own settings. */
function typeErrors(source: string): string[] {
  const file = path.join(LIB, '__code-check__.ts');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    types: [],
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  host.getSourceFile = (name, language, ...rest) => (name === file ? ts.createSourceFile(name, source, language) : read(name, language, ...rest));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program, program.getSourceFile(file)).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
}

test('an error cannot be made with a code outside the table, nor a class declared with one', () => {
  expect(typeErrors(`import { RequestError } from './requests/errors';\nnew RequestError('already-decided', 'ok');\n`)).toEqual([]);
  expect(typeErrors(`import { RequestError } from './requests/errors';\nnew RequestError('alredy-decided', 'typo');\n`)).toEqual([
    expect.stringContaining(`Argument of type '"alredy-decided"' is not assignable`),
  ]);
  expect(typeErrors(`import { SymtailError } from './errors';\nexport class E extends SymtailError<'no-such-code'> {}\n`)).toEqual([
    expect.stringContaining(`Type '"no-such-code"' does not satisfy the constraint`),
  ]);
}, 30_000);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sources(full);
    return name.endsWith('.ts') && !name.endsWith('.generated.ts') ? [full] : [];
  });
}

test('every code in the table is raised somewhere in lib: the table holds no code nothing gives', () => {
  const text = sources(LIB)
    .filter((f) => f !== path.join(LIB, 'errors/codes.ts'))
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  expect(CODES.filter((code) => !text.includes(`'${code}'`))).toEqual([]);
});
