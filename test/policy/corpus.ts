import * as fs from 'fs';
import * as path from 'path';
import { SHARED_DIR } from '../support/shared-data';

/** Real public policy files, read in place (see SOURCES.tsv beside them). */
export const CORPUS_DIR = path.join(SHARED_DIR, 'policy-corpus');

/** The files the corpus README names as not HuJSON. */
export const INVALID_FILES = new Set([
  'alexraskin__infrastructure__tailscale_policy.hujson',
  'anoopkansupada__tailscale-policy__policy.hujson',
  'kingozone__unraid__policy.hujson',
]);

export interface CorpusFile {
  readonly name: string;
  readonly text: string;
}

export function corpusFiles(): CorpusFile[] {
  return fs
    .readdirSync(CORPUS_DIR)
    .filter((name) => name !== 'README.md' && name !== 'SOURCES.tsv')
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(CORPUS_DIR, name), 'utf8') }));
}
