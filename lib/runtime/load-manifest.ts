import { readFileSync } from 'node:fs';
import { Manifest, ManifestError, validateManifest } from '../manifest';

/** Reads and re-validates the manifest the Lambda carries; a broken one fails the cold start loudly. */
export function loadManifest(file: string): Manifest {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ManifestError([`${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ManifestError([`${file}: not JSON (${(error as Error).message})`]);
  }
  return validateManifest(value);
}
