import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import AdmZip from 'adm-zip';
import { withUnpackedZip } from '../../scripts/bench/unpacked-zip';

let dir: string;
let zip: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'symtail-bench-zip-'));
  zip = path.join(dir, 'archive.zip');
  const archive = new AdmZip();
  archive.addFile('index.js', Buffer.from('exports.handler = 1;'));
  archive.addFile('manifest.json', Buffer.from('{}'));
  archive.writeZip(zip);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('hands over a folder holding the files, and removes it afterwards', async () => {
  let seen = '';
  const content = await withUnpackedZip(zip, ['index.js', 'manifest.json'], async (unpacked) => {
    seen = unpacked;
    return readFileSync(path.join(unpacked, 'index.js'), 'utf8');
  });
  expect(content).toBe('exports.handler = 1;');
  expect(existsSync(seen)).toBe(false);
});

test('names the files that are missing and never hands the folder over', async () => {
  const use = jest.fn();
  await expect(withUnpackedZip(zip, ['index.js', 'bundle.js', 'extra.json'], use)).rejects.toThrow(`${zip}: expected bundle.js, extra.json inside`);
  expect(use).not.toHaveBeenCalled();
});
