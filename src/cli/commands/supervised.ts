// `wasm2vec supervised`: trains a text classifier as `fasttext supervised` (its options, single-dash
// spellings included) and writes fastText's supervised .bin, which `fasttext predict` reads.
import { normalizeSingleDashOptions, parseCommandLine, numberOption, threadsOption } from '../args.js';
import { Wasm2VecError } from '../../errors.js';
import { trainClassifier, type TrainedClassifier } from '../../supervised/train.js';
import type { SupervisedLoss, SupervisedOptions } from '../../supervised/options.js';
import { printMemoryPlan } from '../dry-run.js';
import { createProgressReporter, formatCount, formatRate } from '../progress.js';
import { refuseOutputOverInput } from '../../runtime/atomic-write.js';
import { interruptSignal } from '../interrupt.js';

const SINGLE_DASH_OPTIONS: Record<string, string> = {
  input: 'input', output: 'output', dim: 'dim', lr: 'lr', epoch: 'epoch', minCount: 'min-count', minCountLabel: 'min-count-label',
  wordNgrams: 'word-ngrams', bucket: 'bucket', minn: 'minn', maxn: 'maxn', loss: 'loss', neg: 'neg', lrUpdateRate: 'lr-update-rate',
  thread: 'threads', label: 'label', pretrainedVectors: 'pretrained-vectors', seed: 'seed', verbose: 'verbose',
};

const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, dim: { type: 'string' }, lr: { type: 'string' }, epoch: { type: 'string' },
  'min-count': { type: 'string' }, 'min-count-label': { type: 'string' }, 'word-ngrams': { type: 'string' }, bucket: { type: 'string' },
  minn: { type: 'string' }, maxn: { type: 'string' }, loss: { type: 'string' }, neg: { type: 'string' }, 'lr-update-rate': { type: 'string' },
  threads: { type: 'string' }, label: { type: 'string' }, seed: { type: 'string' }, verbose: { type: 'string' }, tokenizer: { type: 'string' }, 'pretrained-vectors': { type: 'string' },
  'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export const SUPERVISED_USAGE = `usage: wasm2vec supervised --input FILE --output PREFIX [options]

Trains a text classifier as fastText's supervised mode; writes PREFIX.bin (fastText 0.9.2's format).
The training file has one example per line with its labels as tokens: "__label__sauce how much…".

  --input FILE          training file ("-" for stdin)                         (fastText -input)
  --output PREFIX       writes PREFIX.bin (PREFIX itself if it ends in .bin)  (-output)
  --dim N               vector size, default 100                              (-dim)
  --lr A                start learning rate, default 0.1                      (-lr)
  --epoch N             passes over the file, default 5                       (-epoch)
  --min-count N         drop rarer words, default 1                           (-minCount)
  --min-count-label N   drop rarer labels, default 0                          (-minCountLabel)
  --word-ngrams N       longest word n-gram, default 1                        (-wordNgrams)
  --bucket N            n-gram hash buckets, default 2000000                  (-bucket)
  --minn N / --maxn N   character n-grams of words, default 0 (off)           (-minn, -maxn)
  --loss L              softmax (default), ova (one-vs-all, multi-label), ns or hs  (-loss)
  --neg N               negative labels per example with ns, default 5        (-neg)
  --lr-update-rate N    tokens between learning-rate updates, default 100     (-lrUpdateRate)
  --label PREFIX        label prefix, default __label__                       (-label)
  --pretrained-vectors FILE  word vectors to start from (.vec, word2vec, GloVe)  (-pretrainedVectors)
  --threads N           worker threads, default: all cores                    (-thread)
  --seed N              random seed, default 0
  --tokenizer T         whitespace (default, fastText) or unicode (Chinese, Japanese, Thai)
  --dry-run             read the training file (the plan depends on its vocabulary, labels
                        and n-grams), print the memory plan (each region, how threads share
                        it, its size; the total) and exit 0 without training or writing;
                        --output is not needed (with --json: the plan as JSON)
  --quiet               no summary;  --json  print the training report as JSON`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(normalizeSingleDashOptions(argv, SINGLE_DASH_OPTIONS), OPTIONS);
  if (values.help) {
    console.log(SUPERVISED_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the training file)');
  if (!values.output && !values['dry-run']) throw new Wasm2VecError('missing --output (the model prefix: writes PREFIX.bin)');
  const tokenizer = values.tokenizer;
  if (tokenizer !== undefined && tokenizer !== 'whitespace' && tokenizer !== 'unicode') {
    throw new Wasm2VecError(`--tokenizer must be whitespace or unicode, got "${tokenizer}"`);
  }
  const output = values.output === undefined || values.output.toLowerCase().endsWith('.bin') ? values.output ?? '' : `${values.output}.bin`;
  if (values.output) refuseOutputOverInput(output, [values.input]);
  const progress = createProgressReporter({ enabled: !values.quiet && !values.json });
  const signal = interruptSignal(); // SIGINT/SIGTERM (src/cli/interrupt.ts) abort training and the save
  try {
    const options: SupervisedOptions = {
      input: values.input,
      dim: numberOption('dim', values.dim),
      lr: numberOption('lr', values.lr),
      epochs: numberOption('epoch', values.epoch),
      minCount: numberOption('min-count', values['min-count']),
      minCountLabel: numberOption('min-count-label', values['min-count-label']),
      wordNgrams: numberOption('word-ngrams', values['word-ngrams']),
      bucket: numberOption('bucket', values.bucket),
      minn: numberOption('minn', values.minn),
      maxn: numberOption('maxn', values.maxn),
      loss: values.loss as SupervisedLoss | undefined,
      neg: numberOption('neg', values.neg),
      lrUpdateRate: numberOption('lr-update-rate', values['lr-update-rate']),
      label: values.label,
      pretrainedVectors: values['pretrained-vectors'],
      threads: threadsOption(values.threads),
      seed: numberOption('seed', values.seed),
      tokenizer,
      onProgress: progress.onPhase,
      signal,
    };
    if (values['dry-run']) {
      const plan = await trainClassifier({ ...options, planOnly: true });
      progress.stop();
      printMemoryPlan(plan, values.json === true);
      return 0;
    }
    const model = await trainClassifier(options);
    progress.stop();
    const saveStarted = performance.now();
    await model.save(output);
    const saveSeconds = (performance.now() - saveStarted) / 1000;
    if (values.json) console.log(JSON.stringify({ ...model.report, seconds: { ...model.report.seconds, save: saveSeconds }, output }));
    else if (!values.quiet) console.error(summaryLine(model, saveSeconds, output));
  } finally {
    progress.stop();
  }
  return 0;
}

function summaryLine(model: TrainedClassifier, saveSeconds: number, output: string): string {
  const r = model.report;
  const s = r.seconds;
  return (
    `supervised (${r.loss}): ${formatCount(r.words)} words, ${formatCount(r.labels)} labels, ${formatCount(r.examples)} examples` +
    `${r.skippedLines > 0 ? ` (${formatCount(r.skippedLines)} lines without a label skipped)` : ''}, ${formatCount(r.tokens)} tokens × ${r.epochs} epochs, ` +
    `${r.threads} threads, ${formatRate(r.tokensPerSecondPerThread)} tokens/s/thread, average loss ${r.averageLoss.toFixed(4)}; ` +
    `wall ${(s.total + saveSeconds).toFixed(1)} s = vocabulary ${s.vocabulary.toFixed(1)} + encode ${s.encode.toFixed(1)} + train ${s.train.toFixed(1)} + save ${saveSeconds.toFixed(1)}; wrote ${output}`
  );
}
