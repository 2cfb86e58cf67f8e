import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import * as ts from 'typescript';

/**
 * Every `ts` block of README.md, as a reader would paste it: written into a scratch project inside the repository
 * (so `cdktf` and `@cdktf/provider-aws` resolve as in a CDKTF project, and `symtail` is this package as built, through
 * its package.json), type-checked in one program, and each one that builds an app run to synthesize its stack.
 *
 * A block is a whole program. A block preceded by `<!-- snippet: continues-previous -->` goes on from the program
 * before it, inserted before that program's `app.synth();`. Any other marker, or a TypeScript fence of another name,
 * fails the test: no block is left out silently.
 */
const ROOT = path.resolve(__dirname, '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const run = promisify(execFile);

interface Snippet {
  /** 1-based line of the block's opening fence. */
  readonly line: number;
  /** The program to check: the block, or the program it continues with the block inserted. */
  readonly program: string;
  readonly continues: boolean;
}

const MARKER = /<!-- snippet: ([\w-]+) -->\n$/;
const SYNTH_CALL = /^app\.synth\(\);$/m;

function snippets(markdown: string): Snippet[] {
  const found: Snippet[] = [];
  const fence = /^```ts\n([\s\S]*?)^```$/gm;
  for (let m = fence.exec(markdown); m !== null; m = fence.exec(markdown)) {
    const line = markdown.slice(0, m.index).split('\n').length;
    const marker = MARKER.exec(markdown.slice(0, m.index))?.[1];
    if (marker !== undefined && marker !== 'continues-previous')
      throw new Error(`README.md line ${line}: unknown snippet marker "${marker}"; the one marker is continues-previous`);
    const block = m[1];
    if (marker === undefined) {
      found.push({ line, program: block, continues: false });
      continue;
    }
    const previous = found[found.length - 1];
    if (previous === undefined || !SYNTH_CALL.test(previous.program)) {
      throw new Error(`README.md line ${line}: continues-previous, but no block before it ends its program with app.synth();`);
    }
    found.push({ line, program: previous.program.replace(SYNTH_CALL, `${block}app.synth();`), continues: true });
  }
  return found;
}

const SNIPPETS = snippets(README);
let scratch: string;

beforeAll(() => {
  expect(fs.existsSync(path.join(ROOT, 'dist/lib/index.d.ts'))).toBe(true); // `npm run build` first (npm test does)
  fs.mkdirSync(path.join(ROOT, 'test/.tmp'), { recursive: true });
  scratch = fs.mkdtempSync(path.join(ROOT, 'test/.tmp/readme-snippets-'));
  // `symtail` is this package, resolved through its package.json (main, types, exports) as an installed copy would be.
  fs.mkdirSync(path.join(scratch, 'node_modules'));
  fs.symlinkSync(ROOT, path.join(scratch, 'node_modules/symtail'), 'dir');
  SNIPPETS.forEach((s, i) => fs.writeFileSync(path.join(scratch, `snippet-${i}.ts`), s.program));
  diagnostics = compile();
}, 60_000);

let diagnostics: string[];

/** One program over every block, emitted to `out/` for the synth runs; its diagnostics name the README line. */
function compile(): string[] {
  const files = SNIPPETS.map((_, i) => path.join(scratch, `snippet-${i}.ts`));
  const program = ts.createProgram(files, {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    strict: true,
    skipLibCheck: true,
    types: ['node'],
    typeRoots: [path.join(ROOT, 'node_modules/@types')],
    outDir: path.join(scratch, 'out'),
  });
  const emitted = program.emit();
  return [...ts.getPreEmitDiagnostics(program), ...emitted.diagnostics].map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : undefined;
    const snippet = d.file ? SNIPPETS[Number(/snippet-(\d+)\.ts$/.exec(d.file.fileName)?.[1])] : undefined;
    const where = snippet && at ? `README.md block at line ${snippet.line}, its program's line ${at.line + 1}` : 'README.md';
    return `${where}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

test('README.md has TypeScript blocks, all fenced as ts, the fragments marked as continuing the block before', () => {
  expect(SNIPPETS.length).toBeGreaterThanOrEqual(3);
  expect(README.match(/^```(typescript|tsx|js|javascript)\b/gm)).toBeNull();
  expect(SNIPPETS.filter((s) => s.continues).length).toBeGreaterThanOrEqual(1);
  // The main snippet is what most readers paste: it sets where the alarms go and grants a caller.
  expect(SNIPPETS[0].program).toMatch(/alarmTopic: true/);
  expect(SNIPPETS[0].program).toMatch(/runtime\.grantRequest\(/);
});

test('every ts block type-checks against the built package as a CDKTF project (cdktf init: CommonJS, strict)', () => {
  expect(diagnostics).toEqual([]);
});

describe('every program that builds an app synthesizes', () => {
  test.each(SNIPPETS.map((s, i) => ({ ...s, i })).filter((s) => /new App\(/.test(s.program)))(
    'the block at README.md line $line',
    async ({ i }) => {
      const js = path.join(scratch, 'out', `snippet-${i}.js`);
      expect(fs.existsSync(js)).toBe(true);
      const cwd = fs.mkdtempSync(path.join(scratch, `synth-${i}-`));
      await run(process.execPath, [js], { cwd, env: { PATH: process.env.PATH, CHECKPOINT_DISABLE: '1' } });
      const stacks = fs.readdirSync(path.join(cwd, 'cdktf.out/stacks'));
      for (const stack of stacks) {
        const json = JSON.parse(fs.readFileSync(path.join(cwd, 'cdktf.out/stacks', stack, 'cdk.tf.json'), 'utf8')) as {
          resource: Record<string, unknown>;
          output: Record<string, unknown>;
        };
        expect(Object.keys(json.resource)).toContain('aws_lambda_function');
        expect(Object.keys(json.output)).toContain('function_name');
      }
      expect(stacks.length).toBeGreaterThan(0);
    },
    60_000,
  );
});
