// `wasm2vec svd`: count-based vectors (PPMI + randomized truncated SVD); hyperwords' option names
// (--win, --cds, --neg, --eig, --sub, --dyn, --w+c) work as well as this CLI's.
import { parseCommandLine, numberOption, flagOption, threadsOption } from '../args.js';
import { Wasm2VecError } from '../../errors.js';
import { trainSvd, type TrainedSvd } from '../../svd/train.js';
import type { SvdOptions } from '../../svd/options.js';
import { printMemoryPlan } from '../dry-run.js';
import { createProgressReporter, formatCount } from '../progress.js';
import { refuseOutputOverInput } from '../../runtime/atomic-write.js';
import { interruptSignal } from '../interrupt.js';
import type { EmbeddingFormat } from '../../formats/types.js';

const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, 'save-ppmi': { type: 'string' }, dim: { type: 'string' },
  window: { type: 'string' }, win: { type: 'string' }, symmetric: { type: 'string' }, weighting: { type: 'string' }, dyn: { type: 'boolean' },
  subsample: { type: 'string' }, sub: { type: 'string' }, 'min-count': { type: 'string' }, 'max-vocab-size': { type: 'string' },
  cds: { type: 'string' }, neg: { type: 'string' }, eig: { type: 'string' }, 'add-contexts': { type: 'boolean' }, 'w+c': { type: 'boolean' },
  'no-normalize': { type: 'boolean' }, oversamples: { type: 'string' }, 'power-iterations': { type: 'string' }, memory: { type: 'string' },
  threads: { type: 'string' }, seed: { type: 'string' }, format: { type: 'string' }, 'temp-dir': { type: 'string' },
  'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export const SVD_USAGE = `usage: wasm2vec svd --input FILE --output FILE [options]

Count-based vectors (Levy, Goldberg & Dagan 2015, the hyperwords recipe): co-occurrence counts,
PPMI with context-distribution smoothing, randomized truncated SVD; W = U·Σ^eig, rows L2-normalised.

  --input FILE          corpus: text or .gz, "-" for stdin
  --output FILE         where to write the vectors
  --save-ppmi FILE      also write the PPMI matrix (Matrix Market; rows words, columns contexts, vocabulary order)
  --dim N               singular triplets kept (vector size), default 100
  --window N            context words on each side, default 2                   (--win)
  --symmetric 0|1       1 (default): left and right context; 0: left only
  --weighting W         uniform (default): plain counts; linear: dynamic window (expected
                        weight (window+1-d)/window); harmonic: 1/d as GloVe      (--dyn = linear)
  --subsample T         drop a word of frequency f with probability 1 - sqrt(T/f), default 0 (--sub)
  --min-count N         drop rarer words, default 5
  --max-vocab-size N    prune while counting past N words, default off
  --cds A               context-distribution smoothing, default 0.75
  --neg K               shift PMI by log K before clipping at 0, default 1
  --eig P               eigenvalue weighting W = U·Σ^P, default 0.5 (0 and 1 are the usual others)
  --add-contexts        return W + C (C = V·Σ^P)                                 (--w+c)
  --no-normalize        keep the rows' lengths
  --oversamples P       randomized SVD oversampling, default 10
  --power-iterations Q  default 7 (4 when dim ≥ vocabulary/10)
  --memory GIB          soft limit for counting and the records, in GiB; default half the RAM, at most 3
  --threads N           worker threads, default: all cores
  --seed N              random seed (test matrix, subsampling), default 1
  --format F            word2vec-text (default), word2vec-binary, glove-text, fasttext-vec
  --temp-dir DIR        where temporary files go, default the OS temporary directory
  --dry-run             count the vocabulary (the plan depends on it), print the memory plan
                        (each region, how threads share it, its size; the total) and exit 0
                        without counting pairs, training or writing; --output is not needed
  --quiet               no progress or summary`;

const FORMATS: EmbeddingFormat[] = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec'];

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS);
  if (values.help) {
    console.log(SVD_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the corpus file)');
  if (!values.output && !values['dry-run']) throw new Wasm2VecError('missing --output (where to write the vectors)');
  const format = (values.format ?? 'word2vec-text') as EmbeddingFormat;
  if (!FORMATS.includes(format)) throw new Wasm2VecError(`--format must be one of ${FORMATS.join(', ')}, got "${values.format}"`);
  if (values.window !== undefined && values.win !== undefined) throw new Wasm2VecError('give --window or --win, not both');
  if (values.subsample !== undefined && values.sub !== undefined) throw new Wasm2VecError('give --subsample or --sub, not both');
  if (values.dyn && values.weighting !== undefined && values.weighting !== 'linear') throw new Wasm2VecError(`--dyn contradicts --weighting ${values.weighting}`);
  const weighting = values.dyn ? 'linear' : values.weighting;
  if (weighting !== undefined && !['uniform', 'linear', 'harmonic'].includes(weighting)) {
    throw new Wasm2VecError(`--weighting must be uniform, linear or harmonic, got "${weighting}"`);
  }
  const quiet = values.quiet === true;
  const progress = createProgressReporter({ enabled: !quiet });
  if (values.output) refuseOutputOverInput(values.output, [values.input, values['save-ppmi']]);
  const signal = interruptSignal(); // SIGINT/SIGTERM (src/cli/interrupt.ts) abort training and the save
  try {
    const started = performance.now();
    const options: SvdOptions = {
      input: values.input,
      savePpmi: values['save-ppmi'],
      dim: numberOption('dim', values.dim),
      window: numberOption('window', values.window ?? values.win),
      symmetric: flagOption('symmetric', values.symmetric),
      weighting: weighting as 'uniform' | 'linear' | 'harmonic' | undefined,
      subsample: numberOption('subsample', values.subsample ?? values.sub),
      minCount: numberOption('min-count', values['min-count']),
      maxVocabSize: numberOption('max-vocab-size', values['max-vocab-size']),
      cds: numberOption('cds', values.cds),
      neg: numberOption('neg', values.neg),
      eig: numberOption('eig', values.eig),
      addContexts: values['add-contexts'] === true || values['w+c'] === true,
      normalizeVectors: values['no-normalize'] === true ? false : undefined,
      oversamples: numberOption('oversamples', values.oversamples),
      powerIterations: numberOption('power-iterations', values['power-iterations']),
      memory: numberOption('memory', values.memory),
      threads: threadsOption(values.threads),
      seed: numberOption('seed', values.seed),
      tempDir: values['temp-dir'],
      onProgress: progress.onPhase,
      signal,
    };
    if (values['dry-run']) {
      const plan = await trainSvd({ ...options, planOnly: true });
      progress.stop();
      printMemoryPlan(plan, false);
      return 0;
    }
    const model = await trainSvd(options);
    const saveStarted = performance.now();
    await model.save(values.output!, { format, signal });
    progress.stop();
    if (!quiet) console.error(svdSummary(model, (performance.now() - saveStarted) / 1000, (performance.now() - started) / 1000, values.output!));
  } finally {
    progress.stop();
  }
  return 0;
}

export function svdSummary(model: TrainedSvd, saveSeconds: number, wallSeconds: number, output: string): string {
  const r = model.report;
  const s = r.seconds;
  return (
    `svd: ${formatCount(r.vocabSize)} words, ${formatCount(r.pairs)} co-occurrence pairs (window ${r.window}, ${r.weighting}), ` +
    `${formatCount(r.nnz)} positive PMI entries (cds ${r.cds}, neg ${r.neg}), rank ${r.dim} + ${r.oversamples} oversamples, ` +
    `${r.powerIterations} power iterations on ${r.threads} threads; σ₁ ${r.singularValues[0].toFixed(3)}, σ_${r.dim} ${r.singularValues[r.dim - 1].toFixed(3)}; ` +
    `wall ${wallSeconds.toFixed(1)} s = vocabulary ${s.vocabulary.toFixed(1)} + cooccur ${s.cooccur.toFixed(1)} + ppmi ${s.ppmi.toFixed(1)} + ` +
    `svd ${s.svd.toFixed(1)} + save ${saveSeconds.toFixed(1)}; wrote ${output}`
  );
}
