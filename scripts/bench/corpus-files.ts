import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateGroupName } from '../../lib/policy';
import { findMember, HujsonValue, parseHujson } from '../../lib/hujson';
import { POLICY_CORPUS_DIR } from './repo-paths';

export interface EditableFile {
  readonly name: string;
  readonly text: string;
  readonly bytes: number;
  /** The first group whose name the manifest would accept. */
  readonly group: string;
}

export interface Corpus {
  readonly editable: EditableFile[];
  readonly unparseable: string[];
  readonly withoutGroups: string[];
}

/** The corpus files, split into those an escalation could edit and those it could not (and why). */
export function loadCorpus(dir = POLICY_CORPUS_DIR): Corpus {
  const corpus: Corpus = { editable: [], unparseable: [], withoutGroups: [] };
  const names = readdirSync(dir)
    .filter((name) => name !== 'README.md' && name !== 'SOURCES.tsv')
    .sort();
  for (const name of names) {
    const text = readFileSync(path.join(dir, name), 'utf8');
    let root: HujsonValue;
    try {
      root = parseHujson(text);
    } catch {
      corpus.unparseable.push(name);
      continue;
    }
    const group = firstEditableGroup(root);
    if (group === undefined) corpus.withoutGroups.push(name);
    else corpus.editable.push({ name, text, bytes: Buffer.byteLength(text), group });
  }
  return corpus;
}

function firstEditableGroup(root: HujsonValue): string | undefined {
  if (root.kind !== 'object') return undefined;
  const groups = findMember(root, 'groups')?.value;
  if (groups?.kind !== 'object') return undefined;
  for (const { name, value } of groups.members) {
    if (value.kind !== 'array' || !name.value.startsWith('group:')) continue;
    try {
      return validateGroupName(name.value.slice('group:'.length));
    } catch {
      // A name the manifest could not hold (a space, a colon): no escalation would target it.
    }
  }
  return undefined;
}
