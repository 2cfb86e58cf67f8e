// Builds `symtail/cdktn`, the constructs for cdktn (the maintained fork of cdktf), from the compiled constructs
// entry: one source, two families. Every module the entry reaches that loads cdktf or @cdktf/provider-aws, itself or
// through another module, is copied from dist/lib to dist/cdktn (same layout, same depth) with those module
// specifiers rewritten to cdktn's packages:
//
//   require("@cdktf/provider-aws/lib/iam-role")  →  require("@cdktn/provider-aws/lib/iam-role")
//   require("./text-rules")                      →  require("../../lib/constructs/text-rules")
//
// Every other module stays shared (the copies import it from dist/lib), so the two entries hold one SymtailError,
// one manifest schema. JavaScript and declarations are parsed and only their module specifiers change; a string
// that merely mentions cdktf is left alone. Source maps of the copies are shifted to match, so they stay exact.
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..');
const FROM = path.join(root, 'dist/lib');
const TO = path.join(root, 'dist/cdktn');
const PACKAGES = [
  ['cdktf', 'cdktn'],
  ['@cdktf/provider-aws', '@cdktn/provider-aws'],
];

/** `@cdktf/provider-aws/lib/iam-role` → `@cdktn/provider-aws/lib/iam-role`; undefined for any other specifier. */
function rewritten(specifier) {
  for (const [from, to] of PACKAGES) {
    if (specifier === from || specifier.startsWith(`${from}/`)) return to + specifier.slice(from.length);
  }
  return undefined;
}

const isRequire = (callee) =>
  (ts.isIdentifier(callee) && callee.text === 'require') ||
  (ts.isPropertyAccessExpression(callee) && ts.isIdentifier(callee.expression) && callee.expression.text === 'require' && callee.name.text === 'resolve') ||
  callee.kind === ts.SyntaxKind.ImportKeyword;

/**
 * Every module specifier of a compiled file, with the offsets of its text between the quotes: imports and exports,
 * `import x = require()`, `import("…")` types, `declare module "…"`, `require()`, `require.resolve()` and `import()`
 * calls. A require whose module is not a literal is refused: it could not be rewritten.
 */
function moduleSpecifiers(file, text) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith('.d.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS);
  const found = [];
  const literal = (node) => {
    const start = node.getStart(source) + 1;
    const end = node.getEnd() - 1;
    if (text.slice(start, end) !== node.text) throw new Error(`${file}: module specifier ${text.slice(start - 1, end + 1)} has escapes`);
    found.push({ start, end, specifier: node.text });
  };
  const visit = (node) => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) literal(node.moduleSpecifier);
    else if (ts.isExternalModuleReference(node)) literal(node.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isModuleDeclaration(node) && ts.isStringLiteral(node.name)) literal(node.name);
    else if (ts.isCallExpression(node) && isRequire(node.expression)) {
      const [argument] = node.arguments;
      if (!argument || !ts.isStringLiteralLike(argument)) {
        const { line } = source.getLineAndCharacterOfPosition(node.getStart(source));
        throw new Error(`${file}:${line + 1}: a module loaded by a computed name cannot be rewritten for cdktn`);
      }
      literal(argument);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  const reference = source.typeReferenceDirectives.find((ref) => rewritten(ref.fileName) !== undefined);
  if (reference) throw new Error(`${file}: /// <reference types="${reference.fileName}" /> cannot be rewritten for cdktn`);
  return found.sort((a, b) => a.start - b.start);
}

/** The file a relative specifier names, among the compiled files of one kind (`.js` or `.d.ts`). */
function resolveLocal(from, specifier, extension) {
  const base = path.resolve(path.dirname(from), specifier);
  const candidates = [base.replace(/\.js$/, extension), `${base}${extension}`, path.join(base, `index${extension}`)];
  const file = candidates.find((c) => fs.existsSync(c) && fs.statSync(c).isFile());
  if (file === undefined) throw new Error(`${from}: cannot resolve ${specifier}`);
  return file;
}

/** The modules an entry reaches, each with its specifiers and the local file each relative one names. */
function moduleGraph(entry, extension) {
  const modules = new Map();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop();
    if (modules.has(file)) continue;
    const text = fs.readFileSync(file, 'utf8');
    const specifiers = moduleSpecifiers(file, text).map((s) => ({ ...s, local: s.specifier.startsWith('.') ? resolveLocal(file, s.specifier, extension) : undefined }));
    modules.set(file, { text, specifiers });
    for (const s of specifiers) if (s.local) queue.push(s.local);
  }
  return modules;
}

/** The modules that load cdktf's family, directly or through other modules (a fixed point, so cycles are fine). */
function familyBound(modules) {
  const bound = new Set();
  for (let grew = true; grew; ) {
    grew = false;
    for (const [file, { specifiers }] of modules) {
      if (!bound.has(file) && specifiers.some((s) => rewritten(s.specifier) !== undefined || bound.has(s.local))) {
        bound.add(file);
        grew = true;
      }
    }
  }
  return bound;
}

const posix = (p) => p.split(path.sep).join('/');

/** Edits that turn a dist/lib module into its dist/cdktn copy. */
function editsFor(file, specifiers, bound) {
  const out = path.join(TO, path.relative(FROM, file));
  const edits = [];
  for (const s of specifiers) {
    const family = rewritten(s.specifier);
    if (family !== undefined) edits.push({ ...s, replacement: family });
    else if (s.local !== undefined && !bound.has(s.local)) {
      // A shared module: the copy reaches it where it is, in dist/lib, by the same kind of path it was named with.
      const shared = posix(path.relative(path.dirname(out), path.resolve(path.dirname(file), s.specifier)));
      edits.push({ ...s, replacement: shared.startsWith('.') ? shared : `./${shared}` });
    }
  }
  return { out, edits };
}

function applyEdits(text, edits) {
  let result = '';
  let at = 0;
  for (const e of edits) {
    result += text.slice(at, e.start) + e.replacement;
    at = e.end;
  }
  return result + text.slice(at);
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = BASE64.indexOf(char);
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

function encodeVlq(values) {
  let out = '';
  for (const v of values) {
    let rest = v < 0 ? (-v << 1) | 1 : v << 1;
    do {
      let digit = rest & 31;
      rest >>>= 5;
      if (rest > 0) digit |= 32;
      out += BASE64[digit];
    } while (rest > 0);
  }
  return out;
}

/**
 * A source map for the edited text: on each line with an edit, a generated column at or after the end of the edited
 * text moves by the change in length (other fields of a segment are relative to the previous segment and unchanged).
 */
function shiftSourceMap(map, text, edits) {
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineOf = (offset) => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1] <= offset) line++;
    return line;
  };
  const shifts = new Map();
  for (const e of edits) {
    const line = lineOf(e.start);
    const list = shifts.get(line) ?? [];
    list.push({ after: e.end - lineStarts[line], delta: e.replacement.length - (e.end - e.start) });
    shifts.set(line, list);
  }
  const lines = map.mappings.split(';').map((line, index) => {
    const lineShifts = shifts.get(index);
    if (lineShifts === undefined || line === '') return line;
    let column = 0;
    let shiftedColumn = 0;
    return line
      .split(',')
      .map((segment) => {
        const values = decodeVlq(segment);
        column += values[0];
        const moved = column + lineShifts.filter((s) => column >= s.after).reduce((sum, s) => sum + s.delta, 0);
        values[0] = moved - shiftedColumn;
        shiftedColumn = moved;
        return encodeVlq(values);
      })
      .join(',');
  });
  return { ...map, mappings: lines.join(';') };
}

function write(file, text) {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

function build(extension) {
  const entry = path.join(FROM, `index${extension}`);
  const modules = moduleGraph(entry, extension);
  const bound = familyBound(modules);
  bound.add(entry);
  for (const file of bound) {
    const { text, specifiers } = modules.get(file);
    const { out, edits } = editsFor(file, specifiers, bound);
    write(out, applyEdits(text, edits));
    if (extension === '.js' && fs.existsSync(`${file}.map`)) {
      const map = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
      write(`${out}.map`, JSON.stringify(shiftSourceMap(map, text, edits)));
    }
  }
  return bound.size;
}

fs.rmSync(TO, { recursive: true, force: true });
build('.js');
build('.d.ts');
