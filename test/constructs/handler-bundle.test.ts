import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findPackageRoot, HANDLER_BUNDLE_PATH, locateHandlerBundle } from '../../lib/constructs/synth/handler-bundle';

const trees: string[] = [];
afterAll(() => trees.forEach((tree) => fs.rmSync(tree, { recursive: true, force: true })));

function tempTree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-bundle-test-'));
  trees.push(root);
  for (const [name, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    fs.writeFileSync(path.join(root, name), content);
  }
  return root;
}

const symtailPackage = JSON.stringify({ name: 'symtail' });

test('the package root is found from this checkout', () => {
  expect(findPackageRoot(__dirname)).toBe(path.resolve(__dirname, '../..'));
});

test('the walk up passes other packages and unreadable package.json files', () => {
  const root = tempTree({
    'package.json': symtailPackage,
    'node_modules/other/package.json': JSON.stringify({ name: 'other' }),
    'node_modules/other/lib/broken/package.json': '{ not json',
    'node_modules/other/lib/broken/deep/.keep': '',
  });
  expect(findPackageRoot(path.join(root, 'node_modules/other/lib/broken/deep'))).toBe(root);
});

test('an installed copy finds its own root, not the app that depends on it', () => {
  const app = tempTree({
    'package.json': JSON.stringify({ name: 'my-infra' }),
    'node_modules/symtail/package.json': symtailPackage,
    [`node_modules/symtail/${HANDLER_BUNDLE_PATH}`]: 'bundle',
    'node_modules/symtail/dist/lib/constructs/synth/.keep': '',
  });
  expect(locateHandlerBundle(path.join(app, 'node_modules/symtail/dist/lib/constructs/runtime'))).toBe(
    path.join(app, 'node_modules/symtail', HANDLER_BUNDLE_PATH),
  );
});

test('a missing bundle says to run npm run build', () => {
  const root = tempTree({ 'package.json': symtailPackage, 'lib/constructs/.keep': '' });
  expect(() => locateHandlerBundle(path.join(root, 'lib/constructs'))).toThrow(
    `the bundle ${path.join(root, HANDLER_BUNDLE_PATH)} is missing: run "npm run build" in ${root} first`,
  );
});

test('outside any symtail package the error says so', () => {
  const root = tempTree({ 'package.json': JSON.stringify({ name: 'elsewhere' }) });
  expect(() => findPackageRoot(root)).toThrow(`cannot find the symtail package: no package.json named "symtail" at or above ${root}`);
});
