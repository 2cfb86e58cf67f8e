import { loadCorpus } from './corpus-files';
import { timeEdits } from './edit-timing';
import { BenchSettings, FigureResult, ms, ratio } from './figure';
import { generatePolicy } from './policy-generator';
import { workerScript } from './repo-paths';
import { runNode } from './run-node';
import { median, round3 } from './stats';

const LARGEST_CORPUS_TARGET_MS = 1;
const RATIO_TARGET = 12;
const GENERATED = [
  { label: '100KB', bytes: 100_000, repeats: 30, quickRepeats: 5 },
  { label: '1MB', bytes: 1_000_000, repeats: 15, quickRepeats: 3 },
  { label: '10MB', bytes: 10_000_000, repeats: 7, quickRepeats: 2 },
] as const;
const CORPUS_REPEATS = 25;
const CORPUS_QUICK_REPEATS = 5;

/**
 * Figure 3: the cost of one edit (a grant or a revoke, which parse the whole file and rewrite one group) on every
 * real policy file of the corpus, and on generated files of 100 KB, 1 MB and 10 MB.
 */
export async function policySizeFigure(settings: BenchSettings): Promise<FigureResult> {
  const corpus = loadCorpus();
  if (corpus.editable.length === 0) throw new Error('policy corpus: no file with an editable group');
  // Compiled and warm before anything is timed, as in a Lambda that has served a few requests.
  for (const f of corpus.editable.slice(0, 10)) timeEdits(f.text, f.group, 5, false);

  const perFile = corpus.editable.map((f) => ({ ...f, ...timeEdits(f.text, f.group, settings.quick ? CORPUS_QUICK_REPEATS : CORPUS_REPEATS, false) }));
  const largest = perFile.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slowest = perFile.reduce((a, b) => (b.medianEditMs > a.medianEditMs ? b : a));
  const notIdentical = perFile.filter((f) => !f.identical).map((f) => f.name);

  const generated = GENERATED.map((g) => {
    const policy = generatePolicy(g.bytes);
    const timing = timeEdits(policy.text, policy.editGroup, settings.quick ? g.quickRepeats : g.repeats, true);
    if (!timing.identical) notIdentical.push(`generated ${g.label}`);
    return { ...g, ...timing };
  });
  const editMs = (label: string) => generated.find((g) => g.label === label)!.medianEditMs;
  const growth = editMs('10MB') / editMs('1MB');
  const roomy = await withRoomyYoungGeneration(settings.quick);

  return {
    title: '3. Policy size',
    json: {
      corpusFilesEdited: perFile.length,
      corpusSkippedUnparseable: corpus.unparseable.length,
      corpusSkippedWithoutGroups: corpus.withoutGroups.length,
      corpusMedianEditMs: round3(median(perFile.map((f) => f.medianEditMs))),
      corpusSlowestFile: slowest.name,
      corpusSlowestEditMs: round3(slowest.medianEditMs),
      largestCorpusFile: largest.name,
      largestCorpusBytes: largest.bytes,
      largestCorpusEditMs: round3(largest.medianEditMs),
      generatedEditMs: Object.fromEntries(generated.map((g) => [g.label, round3(g.medianEditMs)])),
      generatedMeanEditMs: Object.fromEntries(generated.map((g) => [g.label, round3(g.meanEditMs)])),
      ratio10MbTo1Mb: round3(growth),
      youngGenerationMb: YOUNG_GENERATION_MB,
      roomyYoungGenerationEditMs: { '1MB': round3(roomy.oneMb), '10MB': round3(roomy.tenMb) },
      roomyYoungGenerationRatio: round3(roomy.tenMb / roomy.oneMb),
      notByteIdentical: notIdentical,
    },
    rows: [
      {
        metric: `corpus: ${perFile.length} files edited (${corpus.unparseable.length} unparseable, ${corpus.withoutGroups.length} without groups skipped)`,
        value: `median ${ms(median(perFile.map((f) => f.medianEditMs)))}`,
      },
      { metric: `corpus: slowest file (${slowest.bytes} B)`, value: ms(slowest.medianEditMs) },
      {
        metric: `corpus: largest file (${largest.bytes} B)`,
        value: ms(largest.medianEditMs),
        target: `< ${LARGEST_CORPUS_TARGET_MS} ms`,
        met: largest.medianEditMs < LARGEST_CORPUS_TARGET_MS,
      },
      ...generated.map((g) => ({ metric: `generated ${g.label}: per edit, median (mean)`, value: `${ms(g.medianEditMs)} (${ms(g.meanEditMs)})` })),
      { metric: 'generated 10MB ÷ 1MB', value: ratio(growth), target: `≤ ${RATIO_TARGET} (linear)`, met: growth <= RATIO_TARGET },
      {
        metric: `same in node --max-semi-space-size=${YOUNG_GENERATION_MB}: 1MB / 10MB / ratio`,
        value: `${ms(roomy.oneMb)} / ${ms(roomy.tenMb)} / ${ratio(roomy.tenMb / roomy.oneMb)}`,
      },
      {
        metric: 'grant → revoke byte-identical',
        value: notIdentical.length === 0 ? 'all' : `${notIdentical.length} differ`,
        target: 'all',
        met: notIdentical.length === 0,
      },
    ],
  };
}

/** Young-generation semi-space, in MB, large enough to hold the syntax tree of a 10 MB file while it is built. */
const YOUNG_GENERATION_MB = 128;

/**
 * The 1 MB and 10 MB edits again in a child whose young generation holds a whole parse, so nothing is promoted:
 * the difference from the figures above is what garbage collection adds as files outgrow the default.
 */
async function withRoomyYoungGeneration(quick: boolean): Promise<{ oneMb: number; tenMb: number }> {
  const out = await runNode([`--max-semi-space-size=${YOUNG_GENERATION_MB}`, workerScript('edit-worker'), String(quick ? 2 : 5), '1000000', '10000000'], {
    timeoutMs: 120_000,
  });
  const medians = JSON.parse(out) as Record<string, number>;
  return { oneMb: medians['1000000'], tenMb: medians['10000000'] };
}
