import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../lib/cli/main';

export const NOW = new Date('2026-11-23T12:00:00Z');

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `symtail <argv>` in-process, in `dir`, with the clock stopped at NOW and `env` as its environment. */
export async function symtail(argv: string[], dir: string, env: Record<string, string> = {}): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    env,
    cwd: dir,
    now: () => NOW,
  });
  return { code, stdout, stderr };
}

/** A fresh directory holding `files`; removed by `cleanup`. */
export function workspace(files: Record<string, string>): { dir: string; read(name: string): string; mtime(name: string): number; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'symtail-cli-'));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return {
    dir,
    read: (name) => fs.readFileSync(path.join(dir, name), 'utf8'),
    mtime: (name) => fs.statSync(path.join(dir, name)).mtimeMs,
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
