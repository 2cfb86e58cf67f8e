import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { workerScript } from './repo-paths';
import { runNode } from './run-node';
import { SynthReport, SynthVariant } from './synth-variants';

const SYNTH_TIMEOUT_MS = 120_000;

/**
 * Synthesizes `variant` in a fresh Node process into a temporary outdir, hands the report to `use` while the
 * outdir still exists, then removes it whatever happens.
 */
export async function withSynth<T>(variant: SynthVariant, arg: string, use: (report: SynthReport) => T | Promise<T>): Promise<T> {
  const outdir = mkdtempSync(path.join(tmpdir(), `symtail-bench-${variant}-`));
  try {
    const stdout = await runNode([workerScript('synth-worker'), variant, outdir, arg], {
      timeoutMs: SYNTH_TIMEOUT_MS,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    });
    return await use(JSON.parse(stdout) as SynthReport);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
