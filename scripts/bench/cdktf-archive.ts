import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { REPO_ROOT } from './repo-paths';
import { runNode } from './run-node';

/** The script cdktf 0.21 runs in a child `node` to zip an ARCHIVE asset, since its synth is synchronous. */
const CDKTF_ARCHIVER = path.join(REPO_ROOT, 'node_modules/cdktf/lib/private/fs.js');

/** Wall time of the zip step of an ARCHIVE asset as cdktf performs it during synth, on the folder `dir`. */
export async function cdktfArchiveMs(dir: string): Promise<number> {
  if (!existsSync(CDKTF_ARCHIVER)) throw new Error(`${CDKTF_ARCHIVER}: not found; this cdktf zips assets some other way`);
  const out = mkdtempSync(path.join(tmpdir(), 'symtail-bench-archive-'));
  try {
    const start = performance.now();
    await runNode([CDKTF_ARCHIVER, dir, path.join(out, 'archive.zip')], { timeoutMs: 60_000 });
    return performance.now() - start;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
