import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';

/** Unpacks `zip` into a temporary folder, checks `expected` files are there, hands the folder to `use`, then removes it. */
export async function withUnpackedZip<T>(zip: string, expected: readonly string[], use: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'symtail-bench-unzipped-'));
  try {
    new AdmZip(zip).extractAllTo(dir);
    const missing = expected.filter((file) => !existsSync(path.join(dir, file)));
    if (missing.length > 0) throw new Error(`${zip}: expected ${missing.join(', ')} inside`);
    return await use(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
