// needs-shared: policy-corpus
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { grant } from '../../lib/policy';
import { loadCorpus } from '../../scripts/bench/corpus-files';
import { CORPUS_DIR } from '../policy/corpus';

describe('loadCorpus on the shared policy corpus', () => {
  const corpus = loadCorpus(CORPUS_DIR);

  it('sets aside exactly the three files that are not HuJSON', () => {
    expect(corpus.unparseable.sort()).toEqual([
      'alexraskin__infrastructure__tailscale_policy.hujson',
      'anoopkansupada__tailscale-policy__policy.hujson',
      'kingozone__unraid__policy.hujson',
    ]);
  });

  it('accounts for every one of the 127 files once', () => {
    const names = [...corpus.editable.map((f) => f.name), ...corpus.unparseable, ...corpus.withoutGroups];
    expect(names).toHaveLength(127);
    expect(new Set(names).size).toBe(127);
  });

  it('names for each editable file a group that a grant can be written into', () => {
    expect(corpus.editable.length).toBeGreaterThan(40);
    for (const f of corpus.editable) {
      expect(f.bytes).toBe(Buffer.byteLength(f.text));
      expect(grant(f.text, { group: f.group, member: 'probe@example.com', until: new Date('2031-01-01T00:00:00Z') }).changed).toBe(true);
    }
  });
});

describe('loadCorpus on files made for the purpose', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'symtail-bench-corpus-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('skips README.md and SOURCES.tsv, and sorts files by why they cannot be edited', () => {
    const files: Record<string, string> = {
      'README.md': '# not a policy',
      'SOURCES.tsv': 'file\trepo\n',
      'broken.hujson': '{"groups": {',
      'no-groups.hujson': '{"acls": []}',
      'groups-not-object.hujson': '{"groups": []}',
      'only-odd-names.hujson': '{"groups": {"group:has space": [], "group:x": "not an array"}}',
      'second-name-ok.hujson': '{"groups": {"group:has space": [], "group:ops": ["a@example.com"]}}',
    };
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    const corpus = loadCorpus(dir);
    expect(corpus.unparseable).toEqual(['broken.hujson']);
    expect(corpus.withoutGroups).toEqual(['groups-not-object.hujson', 'no-groups.hujson', 'only-odd-names.hujson']);
    expect(corpus.editable.map((f) => [f.name, f.group])).toEqual([['second-name-ok.hujson', 'ops']]);
  });
});
