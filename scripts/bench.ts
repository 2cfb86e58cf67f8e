// `npm run bench`: the performance figures of symtail against the local tailnet emulator, as a table or as JSON.
import { loadavg } from 'node:os';
import { BenchArgs, parseBenchArgs, USAGE } from './bench/args';
import { commentHeavyFigure } from './bench/comment-heavy';
import { contentionFigure } from './bench/contention';
import { escalationFigure } from './bench/escalation';
import { BenchSettings, FigureKey, FigureResult } from './bench/figure';
import { describeMachine } from './bench/machine';
import { policySizeFigure } from './bench/policy-size';
import { requestsFigure } from './bench/requests';
import { runtimeFigure } from './bench/runtime-footprint';
import { slackFigure } from './bench/slack-front-door';
import { synthFigure } from './bench/synth';
import { formatTable } from './bench/table';
import { loadFigure } from './bench/load';

const FIGURES: Record<FigureKey, (settings: BenchSettings) => Promise<FigureResult>> = {
  escalation: escalationFigure,
  contention: contentionFigure,
  policySize: policySizeFigure,
  commentHeavy: commentHeavyFigure,
  synth: synthFigure,
  runtime: runtimeFigure,
  slack: slackFigure,
  requests: requestsFigure,
  load: loadFigure,
};

async function main(args: BenchArgs): Promise<number> {
  const settings: BenchSettings = { delayMs: args.delayMs, quick: args.quick };
  const machine = { ...describeMachine(), loadAverageAtStart: loadavg()[0] };
  const results = new Map<FigureKey, FigureResult>();
  const failures = new Map<FigureKey, string>();
  for (const key of args.only) {
    process.stderr.write(`bench: ${key}…\n`);
    const start = performance.now();
    try {
      results.set(key, await FIGURES[key](settings));
    } catch (error) {
      // One broken figure must not hide the others; it is reported and fails the run.
      failures.set(key, (error as Error).message);
    }
    process.stderr.write(`bench: ${key} took ${((performance.now() - start) / 1000).toFixed(1)} s\n`);
  }
  if (args.json) {
    const figures = Object.fromEntries(args.only.map((key) => [key, results.get(key)?.json ?? { error: failures.get(key) }]));
    process.stdout.write(`${JSON.stringify({ machine, settings, ...figures }, null, 2)}\n`);
  } else {
    const header = [
      `symtail benchmarks, ${new Date().toISOString()}`,
      `machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}, ${machine.platform}, load average ${machine.loadAverageAtStart.toFixed(2)} at start`,
      `emulator delay: ${settings.delayMs} ms per request${settings.quick ? '; QUICK run (fewer repeats): a smoke test, not a measurement' : ''}`,
    ];
    const shown = args.only.flatMap((key) => {
      const result = results.get(key);
      return result ? [result] : [{ title: key, json: {}, rows: [{ metric: 'FAILED', value: failures.get(key) ?? '' }] }];
    });
    process.stdout.write(`${formatTable(header, shown)}\n`);
  }
  return failures.size === 0 ? 0 : 1;
}

let args: BenchArgs;
try {
  args = parseBenchArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
} else {
  main(args).then(
    (code) => {
      process.exitCode = code;
    },
    (error: Error) => {
      process.stderr.write(`bench: ${error.stack ?? error.message}\n`);
      process.exitCode = 1;
    },
  );
}
