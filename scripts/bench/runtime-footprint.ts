import { statSync } from 'node:fs';
import * as path from 'node:path';
import { BenchSettings, FigureResult, ms } from './figure';
import { REPO_ROOT, workerScript } from './repo-paths';
import { runNode } from './run-node';
import { median, round3 } from './stats';
import { lambdaZipOf } from './synth-output';
import { withSynth } from './synth-runner';
import { withUnpackedZip } from './unpacked-zip';
import { REQUESTS_TABLE_VARIABLE } from '../../lib/requests';
import { recordKeyEnvironment } from '../../lib/testing';

const ZIP_TARGET_BYTES = 300_000;
const INIT_TARGET_MS = 100;
const CHILD_TIMEOUT_MS = 30_000;

/**
 * Figure 5: what the runtime costs once deployed: the size of the zip synth writes for the example, and the
 * handler's cold initialisation in a fresh `node` process, measured inside it around `require` (module loading
 * plus manifest validation; Node's own start excluded, and shown apart for comparison).
 */
export async function runtimeFigure(settings: BenchSettings): Promise<FigureResult> {
  return withSynth('example', '', async (report) => {
    const zip = lambdaZipOf(report);
    const zipBytes = statSync(zip).size;
    return withUnpackedZip(zip, ['index.js', 'manifest.json'], (dir) => measureInit(dir, zipBytes, settings.quick ? 3 : 9));
  });
}

async function measureInit(dir: string, zipBytes: number, runs: number): Promise<FigureResult> {
  // As in Lambda, `@aws-sdk/*` (left out of the bundle) comes from outside the package, here this checkout's.
  // With its requests table named, as synth configures it: the cold start builds the request store too.
  const env = {
    ...process.env,
    NODE_PATH: path.join(REPO_ROOT, 'node_modules'),
    AWS_REGION: 'us-east-1',
    [REQUESTS_TABLE_VARIABLE]: 'bench-requests',
    ...recordKeyEnvironment(),
  };
  const init: number[] = [];
  const processMs: number[] = [];
  const bareNodeMs: number[] = [];
  for (let run = 0; run < runs; run++) {
    let start = performance.now();
    const out = await runNode([workerScript('init-worker'), dir], { timeoutMs: CHILD_TIMEOUT_MS, env });
    processMs.push(performance.now() - start);
    init.push((JSON.parse(out) as { initMs: number }).initMs);
    start = performance.now();
    await runNode(['-e', ''], { timeoutMs: CHILD_TIMEOUT_MS, env });
    bareNodeMs.push(performance.now() - start);
  }
  const initMs = median(init);
  return {
    title: '5. Runtime footprint',
    json: {
      zipBytes,
      initMs: round3(initMs),
      initMeasured: 'inside a fresh node process, process.hrtime around require(index.js)',
      initRuns: runs,
      processWallMs: round3(median(processMs)),
      bareNodeWallMs: round3(median(bareNodeMs)),
    },
    rows: [
      {
        metric: 'Lambda zip of the example (archive.zip)',
        value: `${(zipBytes / 1000).toFixed(1)} KB`,
        target: `≤ ${ZIP_TARGET_BYTES / 1000} KB`,
        met: zipBytes <= ZIP_TARGET_BYTES,
      },
      {
        metric: 'handler cold init (require: load + manifest check + request store)',
        value: ms(initMs),
        target: `≤ ${INIT_TARGET_MS} ms`,
        met: initMs <= INIT_TARGET_MS,
      },
      { metric: 'whole process, for comparison: handler / node -e ""', value: `${ms(median(processMs))} / ${ms(median(bareNodeMs))}` },
    ],
  };
}
