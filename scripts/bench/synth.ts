import { BenchSettings, FigureResult, ms, ratio } from './figure';
import { median, round3 } from './stats';
import { withSynth } from './synth-runner';
import { SynthReport } from './synth-variants';

const TARGETS = 200;
const RATIO_TARGET = 1.5;

/** Terraform type → count, as a stable key: two apps with the same resources share one bare counterpart. */
const countsKey = (r: SynthReport) => JSON.stringify(Object.fromEntries(Object.entries(r.resources).sort(([a], [b]) => a.localeCompare(b))));
const totalResources = (r: SynthReport) => Object.values(r.resources).reduce((a, b) => a + b, 0);

/**
 * Figure 4: wall time of `app.synth()` for the SSH-access example and for a 200-target deployment, each compared
 * with a bare stack of the same AWS resources. Every synthesis runs in a fresh process, rounds interleaved so
 * drift in the machine's load falls on all variants alike.
 */
export async function synthFigure(settings: BenchSettings): Promise<FigureResult> {
  const rounds = settings.quick ? 1 : 5;
  const example: SynthReport[] = [];
  const many: SynthReport[] = [];
  const bare = new Map<string, number[]>();
  for (let round = 0; round < rounds; round++) {
    example.push(await withSynth('example', '', (r) => r));
    many.push(await withSynth('many-targets', String(TARGETS), (r) => r));
    for (const key of new Set([countsKey(example[0]), countsKey(many[0])])) {
      const sample = await withSynth('bare', key, (r) => {
        if (countsKey(r) !== key) throw new Error(`bare stack: synthesized ${countsKey(r)}, expected ${key}`);
        return r.ms;
      });
      bare.set(key, [...(bare.get(key) ?? []), sample]);
    }
  }
  const exampleMs = median(example.map((r) => r.ms));
  const manyMs = median(many.map((r) => r.ms));
  const exampleBareMs = median(bare.get(countsKey(example[0]))!);
  const manyBareMs = median(bare.get(countsKey(many[0]))!);
  const exampleRatio = exampleMs / exampleBareMs;
  const manyRatio = manyMs / manyBareMs;
  return {
    title: '4. Synth (fresh process)',
    json: {
      rounds,
      measured: 'in the child: performance.now() at the end of app.synth(), i.e. since the process started',
      exampleMs: round3(exampleMs),
      targets200Ms: round3(manyMs),
      bareMs: round3(manyBareMs),
      exampleBareMs: round3(exampleBareMs),
      ratioToBare: round3(manyRatio),
      exampleRatioToBare: round3(exampleRatio),
      resources: many[0].resources,
    },
    rows: [
      { metric: `example (${totalResources(example[0])} AWS resources)`, value: ms(exampleMs) },
      { metric: 'example ÷ bare stack of the same resources', value: ratio(exampleRatio), target: `≤ ${RATIO_TARGET}`, met: exampleRatio <= RATIO_TARGET },
      { metric: `${TARGETS} targets and flows (${totalResources(many[0])} AWS resources)`, value: ms(manyMs) },
      { metric: 'bare stack of the same resources', value: ms(manyBareMs) },
      { metric: `${TARGETS} targets ÷ bare`, value: ratio(manyRatio), target: `≤ ${RATIO_TARGET}`, met: manyRatio <= RATIO_TARGET },
    ],
  };
}
