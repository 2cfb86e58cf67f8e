import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** File name → content of a Lambda package. */
export type PackageFiles = Readonly<Record<string, Buffer>>;

/** A folder holding exactly the package's files, named by their content. */
export interface StagedPackage {
  readonly directory: string;
  /** SHA-256 of the files' names and bytes (not of a zip, whose bytes carry file times). */
  readonly contentHash: Buffer;
}

/** SHA-256 over the files in name order, each as name, length and bytes, so no two packages can collide by concatenation. */
export function packageContentHash(files: PackageFiles): Buffer {
  const hash = createHash('sha256');
  for (const name of Object.keys(files).sort()) {
    hash.update(`${name}\0${files[name].length}\0`).update(files[name]);
  }
  return hash.digest();
}

/**
 * Writes `files` into `<stagingRoot>/<content hash>/`, once: an unchanged package reuses the same folder, so every
 * synth of an unchanged app points its asset at the same path. Written under a temporary name and renamed, so a
 * reader never sees a half-written folder.
 */
export function stagePackage(files: PackageFiles, stagingRoot = path.join(os.tmpdir(), 'symtail-staging')): StagedPackage {
  const contentHash = packageContentHash(files);
  const directory = path.join(stagingRoot, contentHash.toString('hex'));
  if (holdsExactly(directory, files)) return { directory, contentHash };
  fs.mkdirSync(stagingRoot, { recursive: true });
  const scratch = fs.mkdtempSync(`${directory}.tmp-`);
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(scratch, name), content);
  try {
    fs.renameSync(scratch, directory);
  } catch {
    // The folder exists: a concurrent synth staged the same content, or an earlier copy was damaged (say, by a
    // temp cleaner) and is replaced.
    if (holdsExactly(directory, files)) {
      fs.rmSync(scratch, { recursive: true, force: true });
    } else {
      fs.rmSync(directory, { recursive: true, force: true });
      fs.renameSync(scratch, directory);
    }
  }
  return { directory, contentHash };
}

function holdsExactly(directory: string, files: PackageFiles): boolean {
  try {
    const names = fs.readdirSync(directory).sort();
    const expected = Object.keys(files).sort();
    return (
      names.length === expected.length &&
      names.every((name, i) => name === expected[i] && fs.readFileSync(path.join(directory, name)).equals(files[name]))
    );
  } catch {
    return false;
  }
}
