import { normalizeSingleDashOptions, parseCommandLine, numberOption, flagOption, threadsOption } from '../args.js';
import { TEXT_OPTIONS, TEXT_OPTIONS_USAGE, textOptionsFromArgs } from '../text-options.js';
import { Wasm2VecError } from '../../errors.js';
import { refuseOutputOverInput } from '../../runtime/atomic-write.js';
import { interruptSignal } from '../interrupt.js';
import { trainGlove, type TrainedGlove } from '../../glove/train.js';
import type { GloveOptions, GloveVectors } from '../../glove/options.js';
import { printMemoryPlan } from '../dry-run.js';
import { durationSeconds } from './train.js';
import { createProgressReporter, formatCount, formatRate, plural } from '../progress.js';
import type { EmbeddingFormat } from '../../formats/types.js';

// Stanford GloVe's option names (vocab_count, cooccur, shuffle and glove), so its command lines work
// after `wasm2vec glove`.
const STANFORD_OPTIONS: Record<string, string> = {
  'vector-size': 'dim', 'window-size': 'window', symmetric: 'symmetric', 'min-count': 'min-count', 'max-vocab': 'max-vocab-size',
  'max-product': 'max-product', 'x-max': 'x-max', alpha: 'alpha', eta: 'eta', iter: 'epochs', 'grad-clip': 'grad-clip',
  memory: 'memory', threads: 'threads', seed: 'seed', model: 'model', binary: 'binary', 'write-header': 'write-header',
  'save-file': 'output', verbose: 'verbose',
  // this CLI's own names also work with one dash
  input: 'input', output: 'output', dim: 'dim', window: 'window', epochs: 'epochs', format: 'format', vectors: 'vectors',
  cooccur: 'cooccur', 'save-cooccur': 'save-cooccur', 'temp-dir': 'temp-dir', 'learning-rate': 'eta', quiet: 'quiet', help: 'help',
  'save-state': 'save-state', checkpoint: 'checkpoint', 'checkpoint-every': 'checkpoint-every', resume: 'resume', init: 'init',
};

const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, cooccur: { type: 'string' }, 'save-cooccur': { type: 'string' },
  dim: { type: 'string' }, window: { type: 'string' }, symmetric: { type: 'string' }, 'min-count': { type: 'string' },
  'max-vocab-size': { type: 'string' }, 'max-product': { type: 'string' }, 'x-max': { type: 'string' }, alpha: { type: 'string' },
  eta: { type: 'string' }, epochs: { type: 'string' }, 'grad-clip': { type: 'string' }, memory: { type: 'string' },
  threads: { type: 'string' }, seed: { type: 'string' }, model: { type: 'string' }, vectors: { type: 'string' },
  binary: { type: 'string' }, 'write-header': { type: 'string' }, format: { type: 'string' }, 'temp-dir': { type: 'string' },
  verbose: { type: 'string' }, 'save-state': { type: 'string' }, checkpoint: { type: 'string' }, 'checkpoint-every': { type: 'string' },
  resume: { type: 'string' }, init: { type: 'string' }, 'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...TEXT_OPTIONS, phrases: { type: 'string' },
} as const;

export const GLOVE_USAGE = `usage: wasm2vec glove --input FILE --output FILE [options]
       wasm2vec glove --cooccur COUNTS --output FILE [options]

Trains GloVe vectors: vocabulary, co-occurrence counts, shuffle and AdaGrad training in one run.
The Stanford tools' option names work with one dash (in parentheses).

  --input FILE          corpus: text or .gz, "-" for stdin
  --output FILE         where to write the vectors                          (-save-file)
  --save-cooccur FILE   also write the counted co-occurrences (to train again with --cooccur)
  --cooccur FILE        train on a file written by --save-cooccur instead of a corpus
  --dim N               vector size, default 100                             (-vector-size)
  --window N            context words on each side, default 10               (-window-size)
  --symmetric 0|1       1 (default): left and right context; 0: left only    (-symmetric)
  --min-count N         drop rarer words, default 5                          (-min-count)
  --max-vocab-size N    prune while counting past N words, default off       (-max-vocab)
  --max-product N       dense-table cutoff on word-rank products, default from --memory  (-max-product)
  --x-max X             weighting function cutoff, default 100               (-x-max)
  --alpha A             weighting function exponent, default 0.75            (-alpha)
  --eta R               initial learning rate, default 0.05                  (-eta)
  --epochs N            iterations, default 25                               (-iter)
  --grad-clip C         clip each gradient component to ±C, default 100      (-grad-clip)
  --memory GIB          soft limit for counting, shuffling and the records, in GiB;
                        default half the RAM, at most 3 (-memory)
  --threads N           worker threads, default: all cores                   (-threads)
  --seed N              random seed (shuffle and initial vectors), default 1 (-seed)
  --vectors V           sum (default): W + W̃; word: W; both: W and W̃ side by side;
                        all: W, b, W̃, b̃ side by side                         (-model 2|1|0)
  --format F            glove-text (default, no header), word2vec-text, word2vec-binary, fasttext-vec
                        (-binary 0|1; -write-header 1 = word2vec-text); an --output ending
                        in .bin defaults to word2vec-binary unless -binary 0 is given
  --temp-dir DIR        where temporary files go, default the OS temporary directory
  --save-state FILE     also write the full training state (.w2v: options, vocabulary and counts,
                        W, W̃, biases, AdaGrad's sums, iterations done and their costs) at the end
  --checkpoint FILE     write the training state to FILE (atomically) at the first iteration end
                        after every --checkpoint-every (default 10m; e.g. 90s, 10m, 2h), and at the end
  --resume FILE         continue a killed run from its checkpoint: same --input (or --cooccur) and
                        options; the pairs are counted again, training goes on at the next iteration
  --init FILE           train --epochs more iterations from a saved state with its AdaGrad sums
                        (GloVe #170), on --input counted over the saved vocabulary (other words
                        are dropped) or a --cooccur file of that vocabulary; unset options take the
                        saved values
${TEXT_OPTIONS_USAGE}
  --phrases FILE        join the phrases of FILE (wasm2vec phrases --save-phrases) into the words
  --dry-run             count the vocabulary (the plan depends on it), print the memory plan
                        (each region, how threads share it, its size; the total) and exit 0
                        without counting pairs, training or writing; --output is not needed
  --quiet               no progress or summary                               (-verbose 0)

Progress goes to stderr: a bar on a terminal, otherwise a line every few seconds; one
line per finished iteration with its cost in both cases.`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(normalizeSingleDashOptions(argv, STANFORD_OPTIONS), OPTIONS);
  if (values.help) {
    console.log(GLOVE_USAGE);
    return 0;
  }
  const state = stateOptions(values);
  if (!values.input && !values.cooccur) throw new Wasm2VecError('missing --input (the corpus file) or --cooccur (a co-occurrence file)');
  if (!values.output && !values['dry-run']) throw new Wasm2VecError('missing --output (where to write the vectors)');
  const format = outputFormat(values.format, values.binary, values['write-header'], values.output ?? '');
  const vectors = vectorsOption(values.vectors, values.model);
  const verbose = numberOption('verbose', values.verbose);
  const quiet = values.quiet === true || verbose === 0;
  const progress = createProgressReporter({ enabled: !quiet });
  if (values.output) refuseOutputOverInput(values.output, [values.input, values.cooccur, values['save-cooccur']]);
  for (const name of ['save-state', 'checkpoint'] as const) if (values[name]) refuseOutputOverInput(values[name], [values.input, values.cooccur], name);
  const signal = interruptSignal(); // SIGINT/SIGTERM (src/cli/interrupt.ts) abort training and the save
  try {
    const options: GloveOptions = {
      input: values.input,
      cooccur: values.cooccur,
      saveCooccur: values['save-cooccur'],
      dim: numberOption('dim', values.dim),
      window: numberOption('window', values.window),
      symmetric: flagOption('symmetric', values.symmetric),
      minCount: numberOption('min-count', values['min-count']),
      maxVocabSize: numberOption('max-vocab-size', values['max-vocab-size']),
      maxProduct: numberOption('max-product', values['max-product']),
      xMax: numberOption('x-max', values['x-max']),
      alpha: numberOption('alpha', values.alpha),
      learningRate: numberOption('eta', values.eta),
      epochs: numberOption('epochs', values.epochs),
      gradClip: numberOption('grad-clip', values['grad-clip']),
      memory: numberOption('memory', values.memory),
      threads: threadsOption(values.threads),
      seed: numberOption('seed', values.seed),
      ...textOptionsFromArgs(values),
      vectors,
      ...textOptionsFromArgs(values),
      tempDir: values['temp-dir'],
      phrases: values.phrases,
      onProgress: progress.onGlove,
      ...state,
      signal,
    };
    if (values['dry-run']) {
      const plan = await trainGlove({ ...options, planOnly: true });
      progress.stop();
      printMemoryPlan(plan, false);
      return 0;
    }
    const model = await trainGlove(options);
    const saveStarted = performance.now();
    await model.save(values.output!, { format, signal });
    progress.stop();
    if (!quiet) console.error(gloveSummary(model, (performance.now() - saveStarted) / 1000, values.output!));
  } finally {
    progress.stop();
  }
  return 0;
}

/** --save-state, --checkpoint/--checkpoint-every, --resume and --init as trainGlove() options. */
function stateOptions(values: { 'save-state'?: string; checkpoint?: string; 'checkpoint-every'?: string; resume?: string; init?: string }): Partial<GloveOptions> {
  const every = values['checkpoint-every'];
  if (every !== undefined && values.checkpoint === undefined) throw new Wasm2VecError('--checkpoint-every needs --checkpoint FILE (where to write the checkpoints)');
  for (const name of ['save-state', 'checkpoint', 'resume', 'init'] as const) {
    if (values[name] === '') throw new Wasm2VecError(`option --${name} needs a file path`);
  }
  return {
    ...(values['save-state'] !== undefined ? { saveState: values['save-state'] } : {}),
    ...(values.checkpoint !== undefined ? { checkpoint: { path: values.checkpoint, everySeconds: every === undefined ? undefined : durationSeconds('checkpoint-every', every) } } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    ...(values.init !== undefined ? { initialModel: values.init } : {}),
  };
}

const FORMATS: EmbeddingFormat[] = ['glove-text', 'word2vec-text', 'word2vec-binary', 'fasttext-vec'];

function outputFormat(format: string | undefined, binaryValue: string | undefined, headerValue: string | undefined, output: string): EmbeddingFormat {
  if (binaryValue === '2') throw new Wasm2VecError('-binary 2 (text and binary at once) is not supported: run again with the other --format');
  const binary = flagOption('binary', binaryValue);
  const header = flagOption('write-header', headerValue);
  if (binary && header) throw new Wasm2VecError('-write-header 1 is for text output; it contradicts -binary 1');
  const implied: EmbeddingFormat | undefined = binary ? 'word2vec-binary' : header ? 'word2vec-text' : undefined;
  if (format !== undefined) {
    if (!FORMATS.includes(format as EmbeddingFormat)) throw new Wasm2VecError(`--format must be one of ${FORMATS.join(', ')}, got "${format}"`);
    if (implied !== undefined && implied !== format) throw new Wasm2VecError(`--format ${format} contradicts ${binary ? '-binary 1' : '-write-header 1'}`);
    if (binary === false && format === 'word2vec-binary') throw new Wasm2VecError('--format word2vec-binary contradicts -binary 0');
    return format as EmbeddingFormat;
  }
  // No -binary or -write-header: a .bin file name means binary (glove.c would write text into it).
  return implied ?? (binary === undefined && output.toLowerCase().endsWith('.bin') ? 'word2vec-binary' : 'glove-text');
}

const MODEL_VECTORS: Record<string, GloveVectors> = { '0': 'all', '1': 'word', '2': 'sum' };

function vectorsOption(vectors: string | undefined, model: string | undefined): GloveVectors | undefined {
  if (vectors !== undefined && !['sum', 'word', 'both', 'all'].includes(vectors)) {
    throw new Wasm2VecError(`--vectors must be sum, word, both or all, got "${vectors}"`);
  }
  if (model === undefined) return vectors as GloveVectors | undefined;
  const fromModel = MODEL_VECTORS[model];
  if (fromModel === undefined) throw new Wasm2VecError(`-model must be 0 (W, b, W̃, b̃), 1 (W) or 2 (W + W̃), got "${model}"`);
  if (vectors !== undefined && vectors !== fromModel) throw new Wasm2VecError(`--vectors ${vectors} contradicts -model ${model}`);
  return fromModel;
}

export function gloveSummary(model: TrainedGlove, saveSeconds: number, output: string): string {
  const r = model.report;
  const s = r.seconds;
  return (
    `glove: ${formatCount(r.vocabSize)} words, ${formatCount(r.pairs)} co-occurrence pairs (window ${r.window}${r.symmetric ? '' : ', left only'}), ` +
    `${plural(r.epochs, 'iteration')} on ${plural(r.threads, 'thread')} at ${formatRate(r.pairsPerSecond)} pairs/s, final cost ${r.costs[r.costs.length - 1].toFixed(6)}; ` +
    `wall ${(s.total + saveSeconds).toFixed(1)} s = vocabulary ${s.vocabulary.toFixed(1)} + cooccur ${s.cooccur.toFixed(1)} + ` +
    `shuffle ${s.shuffle.toFixed(1)} + train ${s.train.toFixed(1)} + save ${saveSeconds.toFixed(1)}; wrote ${output}`
  );
}
