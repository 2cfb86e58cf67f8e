import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ArchiveFiles, zipArchive } from './zip-archive';

/** The Lambda's zip, written where synth can point a file asset at it. */
export interface StagedPackage {
  readonly file: string;
  /** SHA-256 of the zip: what Terraform's filebase64sha256 and Lambda's CodeSha256 compute from the same bytes. */
  readonly sha256: Buffer;
}

/**
 * Zips `files` in-process, reproducibly, and writes the zip to `<stagingRoot>/<sha256>.zip` once: an unchanged
 * package reuses the same file, so every synth of an unchanged app writes the same asset. Written under a temporary
 * name and renamed, so a reader never sees half a zip.
 */
export function stagePackage(files: ArchiveFiles, stagingRoot = path.join(os.tmpdir(), 'symtail-staging')): StagedPackage {
  const zip = zipArchive(files);
  const sha256 = createHash('sha256').update(zip).digest();
  const file = path.join(stagingRoot, `${sha256.toString('hex')}.zip`);
  if (!holds(file, zip)) {
    fs.mkdirSync(stagingRoot, { recursive: true });
    const scratch = `${file}.tmp-${process.pid}-${Date.now()}`;
    fs.writeFileSync(scratch, zip);
    fs.renameSync(scratch, file);
  }
  return { file, sha256 };
}

function holds(file: string, bytes: Buffer): boolean {
  try {
    return fs.readFileSync(file).equals(bytes);
  } catch {
    return false;
  }
}
