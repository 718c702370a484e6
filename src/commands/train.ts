import { normalizeSingleDashOptions, parseCommandLine, numberOption, flagOption } from '../cli-args.js';
import { Wasm2VecError } from '../errors.js';
import { train, type TrainedModel } from '../word2vec.js';
import { createProgressBar, formatRate, formatCount } from '../progress-bar.js';
import type { EmbeddingFormat } from '../formats/types.js';

// word2vec.c's option names, so that its command lines work after `wasm2vec train`.
const WORD2VEC_C_OPTIONS: Record<string, string> = {
  train: 'input', output: 'output', size: 'dim', window: 'window', negative: 'negative', hs: 'hs', cbow: 'cbow',
  threads: 'threads', iter: 'epochs', 'min-count': 'min-count', sample: 'sample', binary: 'binary', alpha: 'alpha',
};

const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, model: { type: 'string' }, cbow: { type: 'string' },
  dim: { type: 'string' }, window: { type: 'string' }, negative: { type: 'string' }, hs: { type: 'string' },
  threads: { type: 'string' }, epochs: { type: 'string' }, 'min-count': { type: 'string' },
  'max-vocab-size': { type: 'string' }, sample: { type: 'string' }, alpha: { type: 'string' },
  binary: { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' }, 'token-store': { type: 'string' },
  update: { type: 'string' }, tokenizer: { type: 'string' }, lowercase: { type: 'boolean' }, normalize: { type: 'string' },
  quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export const TRAIN_USAGE = `usage: wasm2vec train --input FILE --output FILE [options]

  --input FILE          corpus: text or .gz, "-" for stdin              (word2vec.c -train)
  --output FILE         where to write the vectors                       (-output)
  --model NAME          skipgram (default) or cbow                       (-cbow 0|1)
  --dim N               vector size, default 100                         (-size)
  --window N            max context distance, default 5                  (-window)
  --negative N          noise words per pair, default 5; 0 = off (needs --hs 1)  (-negative)
  --hs 0|1              hierarchical softmax, default 0; alone with --negative 0
                        or together with negative sampling               (-hs)
  --min-count N         drop rarer words, default 5                      (-min-count)
  --max-vocab-size N    prune while counting past N words, default off
  --sample T            subsampling threshold, default 1e-3, 0 = off     (-sample)
  --epochs N            passes over the corpus, default 5                (-iter)
  --alpha A             start learning rate, default 0.025 / 0.05 CBOW   (-alpha)
  --threads N           worker threads, default: all cores               (-threads)
  --format F            word2vec-text (default), word2vec-binary, glove-text, fasttext-vec  (-binary 0|1)
  --seed N              random seed, default 1
  --token-store S       auto (default), memory or file: where the encoded corpus lives
  --update U            skip-gram update: batched (default, HogBatch) or classic (word2vec.c);
                        hierarchical softmax always uses classic
  --tokenizer T         whitespace (default, word2vec.c) or unicode: Unicode word boundaries
                        (Intl.Segmenter), splits Chinese, Japanese, Thai; drops punctuation
  --lowercase           lowercase the text before splitting it
  --normalize nfkc      Unicode NFKC normalisation before splitting (e.g. full-width ＡＢＣ → ABC)
  --quiet               no progress bar or summary`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(normalizeSingleDashOptions(argv, WORD2VEC_C_OPTIONS), OPTIONS);
  if (values.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the corpus file)');
  if (!values.output) throw new Wasm2VecError('missing --output (where to write the vectors)');
  const hs = flagOption('hs', values.hs);
  const tokenizer = values.tokenizer;
  if (tokenizer !== undefined && tokenizer !== 'whitespace' && tokenizer !== 'unicode') {
    throw new Wasm2VecError(`--tokenizer must be whitespace or unicode, got "${tokenizer}"`);
  }
  const normalize = values.normalize;
  if (normalize !== undefined && normalize.toLowerCase() !== 'nfkc' && normalize.toLowerCase() !== 'none') {
    throw new Wasm2VecError(`--normalize must be nfkc (or none), got "${normalize}"`);
  }
  const cbow = flagOption('cbow', values.cbow);
  if (cbow !== undefined && values.model !== undefined && (values.model === 'cbow') !== cbow) {
    throw new Wasm2VecError(`--model ${values.model} contradicts -cbow ${values.cbow}`);
  }
  const format = outputFormat(values.format, flagOption('binary', values.binary));
  const progress = createProgressBar(!values.quiet && process.stderr.isTTY === true);
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  let model: TrainedModel;
  try {
    model = await train({
      input: values.input,
      model: (values.model ?? (cbow ? 'cbow' : 'skipgram')) as 'skipgram' | 'cbow',
      dim: numberOption('dim', values.dim),
      window: numberOption('window', values.window),
      negative: numberOption('negative', values.negative),
      hs,
      tokenizer,
      lowercase: values.lowercase,
      normalize: normalize !== undefined && normalize.toLowerCase() === 'nfkc' ? 'NFKC' : false,
      minCount: numberOption('min-count', values['min-count']),
      maxVocabSize: numberOption('max-vocab-size', values['max-vocab-size']),
      sample: numberOption('sample', values.sample),
      epochs: numberOption('epochs', values.epochs),
      alpha: numberOption('alpha', values.alpha),
      threads: numberOption('threads', values.threads),
      seed: numberOption('seed', values.seed),
      tokenStore: values['token-store'] as 'auto' | 'memory' | 'file' | undefined,
      update: values.update as 'classic' | 'batched' | undefined,
      onProgress: progress.onProgress,
      signal: controller.signal,
    });
    const saveStarted = performance.now();
    await model.save(values.output, { format });
    progress.stop();
    if (!values.quiet) console.error(summaryLine(model, (performance.now() - saveStarted) / 1000, values.output));
  } finally {
    progress.stop();
    process.off('SIGINT', onSigint);
  }
  return 0;
}

function outputFormat(format: string | undefined, binary: boolean | undefined): EmbeddingFormat {
  const formats = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec'];
  if (format !== undefined) {
    if (!formats.includes(format)) throw new Wasm2VecError(`--format must be one of ${formats.join(', ')}, got "${format}"`);
    if (binary !== undefined && (format === 'word2vec-binary') !== binary) throw new Wasm2VecError(`--format ${format} contradicts -binary`);
    return format as EmbeddingFormat;
  }
  return binary ? 'word2vec-binary' : 'word2vec-text';
}

export function summaryLine(model: TrainedModel, saveSeconds: number, output: string): string {
  const r = model.report;
  const s = r.seconds;
  return (
    `${r.model}: ${formatCount(r.vocabSize)} words in vocabulary, ${formatCount(r.trainWords)} training words × ${r.epochs} epochs, ` +
    `${r.threads} threads, ${formatRate(r.wordsPerSecond)} words/s (${formatRate(r.wordsPerSecondPerThread)} words/s/thread); ` +
    `wall ${(s.total + saveSeconds).toFixed(1)} s = vocabulary ${s.vocabulary.toFixed(1)} + encode ${s.encode.toFixed(1)} + ` +
    `train ${s.train.toFixed(1)} + save ${saveSeconds.toFixed(1)}; wrote ${output}`
  );
}
