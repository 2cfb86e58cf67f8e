import { existsSync } from 'node:fs';
import { loadCorpus } from './corpus-files';
import { timeEdits } from './edit-timing';
import { BenchSettings, FigureResult, FigureRow, ms, ratio } from './figure';
import { generatePolicy } from './policy-generator';
import { POLICY_CORPUS_DIR, workerScript } from './repo-paths';
import { runNode } from './run-node';
import { median, round3 } from './stats';

const LARGEST_CORPUS_TARGET_MS = 1;
const RATIO_TARGET = 12;
const TEN_MB = 10_000_000;
/** Young-generation semi-space, in MB: room for much of a 10 MB file's syntax tree while it is built. */
const YOUNG_GENERATION_MB = 128;
const GENERATED = [
  { label: '100KB', bytes: 100_000, repeats: 30, quickRepeats: 5 },
  { label: '1MB', bytes: 1_000_000, repeats: 25, quickRepeats: 3 },
  { label: '10MB', bytes: TEN_MB, repeats: 7, quickRepeats: 2 },
] as const;
const CORPUS_REPEATS = 25;
const CORPUS_QUICK_REPEATS = 5;

/**
 * Figure 3: the cost of one edit (a grant or a revoke, which parse the whole file and rewrite one group) on every
 * real policy file of the corpus, and on generated files of 100 KB, 1 MB and 10 MB.
 */
export async function policySizeFigure(settings: BenchSettings): Promise<FigureResult> {
  const corpus = existsSync(POLICY_CORPUS_DIR) ? corpusFigures(settings) : undefined;
  const generated = GENERATED.map((g) => {
    const policy = generatePolicy(g.bytes);
    const timing = timeEdits(policy.text, policy.editGroup, settings.quick ? g.quickRepeats : g.repeats, true);
    return { ...g, ...timing };
  });
  const notIdentical = [...(corpus?.notIdentical ?? []), ...generated.filter((g) => !g.identical).map((g) => `generated ${g.label}`)];
  const editMs = (label: string) => generated.find((g) => g.label === label)!.medianEditMs;
  const growth = editMs('10MB') / editMs('1MB');
  const roomy = await withRoomyYoungGeneration(settings.quick);

  return {
    title: '3. Policy size',
    json: {
      ...(corpus?.json ?? { corpusSkipped: `${POLICY_CORPUS_DIR} not found` }),
      generatedEditMs: Object.fromEntries(generated.map((g) => [g.label, round3(g.medianEditMs)])),
      generatedMeanEditMs: Object.fromEntries(generated.map((g) => [g.label, round3(g.meanEditMs)])),
      ratio10MbTo1Mb: round3(growth),
      youngGenerationMb: YOUNG_GENERATION_MB,
      roomyYoungGeneration10MbEditMs: round3(roomy),
      notByteIdentical: notIdentical,
    },
    rows: [
      ...(corpus?.rows ?? [{ metric: 'corpus: skipped, the optional test data is not there', value: POLICY_CORPUS_DIR }]),
      ...generated.map((g) => ({ metric: `generated ${g.label}: per edit, median (mean)`, value: `${ms(g.medianEditMs)} (${ms(g.meanEditMs)})` })),
      { metric: 'generated 10MB ÷ 1MB', value: ratio(growth), target: `≤ ${RATIO_TARGET} (linear)`, met: growth <= RATIO_TARGET },
      { metric: `generated 10MB in node --max-semi-space-size=${YOUNG_GENERATION_MB}: per edit, median`, value: ms(roomy) },
      {
        metric: 'grant → revoke byte-identical',
        value: notIdentical.length === 0 ? 'all' : `${notIdentical.length} differ`,
        target: 'all',
        met: notIdentical.length === 0,
      },
    ],
  };
}

/** Edits of every real policy file of the shared corpus (only when it is beside the checkout). */
function corpusFigures(settings: BenchSettings): { json: Record<string, unknown>; rows: FigureRow[]; notIdentical: string[] } {
  const corpus = loadCorpus();
  if (corpus.editable.length === 0) throw new Error('policy corpus: no file with an editable group');
  // Compiled and warm before anything is timed, as in a Lambda that has served a few requests.
  for (const f of corpus.editable.slice(0, 10)) timeEdits(f.text, f.group, 5, false);

  const perFile = corpus.editable.map((f) => ({ ...f, ...timeEdits(f.text, f.group, settings.quick ? CORPUS_QUICK_REPEATS : CORPUS_REPEATS, false) }));
  const largest = perFile.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const slowest = perFile.reduce((a, b) => (b.medianEditMs > a.medianEditMs ? b : a));
  return {
    notIdentical: perFile.filter((f) => !f.identical).map((f) => f.name),
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
    ],
  };
}

/**
 * The 10 MB edit again in a child with a roomier young generation, so less of the syntax tree is promoted: the
 * difference from the default is what garbage collection adds once a file's tree outgrows the young generation.
 */
async function withRoomyYoungGeneration(quick: boolean): Promise<number> {
  const out = await runNode([`--max-semi-space-size=${YOUNG_GENERATION_MB}`, workerScript('edit-worker'), String(quick ? 2 : 7), String(TEN_MB)], {
    timeoutMs: 120_000,
  });
  return (JSON.parse(out) as Record<string, number>)[String(TEN_MB)];
}
