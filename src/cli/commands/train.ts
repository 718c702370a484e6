import { normalizeSingleDashOptions, parseCommandLine, numberOption, flagOption, threadsOption } from '../args.js';
import { TEXT_OPTIONS, TEXT_OPTIONS_USAGE, textOptionsFromArgs } from '../text-options.js';
import { Wasm2VecError } from '../../errors.js';
import { refuseOutputOverInput } from '../../runtime/atomic-write.js';
import { interruptSignal } from '../interrupt.js';
import { train, type TrainedModel } from '../../word2vec/train.js';
import type { Word2VecOptions } from '../../word2vec/options.js';
import { createProgressReporter, formatRate, formatCount, plural } from '../progress.js';
import type { EmbeddingFormat } from '../../formats/types.js';
import { writeFileAtomic } from '../../runtime/atomic-write.js';
import { printMemoryPlan } from '../dry-run.js';

// word2vec.c's and fastText's option names, so that their command lines work after `wasm2vec train`.
const SINGLE_DASH_OPTIONS: Record<string, string> = {
  train: 'input', output: 'output', size: 'dim', window: 'window', negative: 'negative', hs: 'hs', cbow: 'cbow',
  threads: 'threads', iter: 'epochs', 'min-count': 'min-count', sample: 'sample', binary: 'binary', alpha: 'alpha',
  input: 'input', dim: 'dim', ws: 'window', epoch: 'epochs', minCount: 'min-count', neg: 'negative', lr: 'alpha',
  thread: 'threads', pretrainedVectors: 'pretrained-vectors', minn: 'minn', maxn: 'maxn', bucket: 'bucket', 'save-vocab': 'save-vocab', 'read-vocab': 'read-vocab',
};

const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, model: { type: 'string' }, cbow: { type: 'string' },
  dim: { type: 'string' }, window: { type: 'string' }, negative: { type: 'string' }, hs: { type: 'string' },
  threads: { type: 'string' }, epochs: { type: 'string' }, 'min-count': { type: 'string' },
  'max-vocab-size': { type: 'string' }, sample: { type: 'string' }, alpha: { type: 'string' },
  binary: { type: 'string' }, format: { type: 'string' }, seed: { type: 'string' }, 'token-store': { type: 'string' },
  update: { type: 'string' }, loss: { type: 'string' }, minn: { type: 'string' }, maxn: { type: 'string' }, bucket: { type: 'string' }, ...TEXT_OPTIONS,
  'save-vocab': { type: 'string' }, 'read-vocab': { type: 'string' }, phrases: { type: 'string' },
  'save-state': { type: 'string' }, checkpoint: { type: 'string' }, 'checkpoint-every': { type: 'string' }, resume: { type: 'string' },
  init: { type: 'string' }, 'update-vocabulary': { type: 'boolean' }, 'merge-saved': { type: 'string' }, 'pretrained-vectors': { type: 'string' },
  'dry-run': { type: 'boolean' }, quiet: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

export const TRAIN_USAGE = `usage: wasm2vec train --input FILE --output FILE [options]

  --input FILE          corpus: text or .gz, "-" for stdin              (word2vec.c -train)
  --output FILE         where to write the vectors                       (-output)
  --model NAME          skipgram (default) or cbow                       (-cbow 0|1),
                        fasttext-skipgram or fasttext-cbow: fastText's models with
                        character n-gram subwords and fastText's defaults (alpha 0.05,
                        sample 1e-4); vectors also for unseen words (save as .bin)
  --minn N              shortest character n-gram, default 3              (fastText -minn)
  --maxn N              longest character n-gram, default 6; 0 = no n-grams (-maxn)
  --bucket N            n-gram hash buckets, default 2000000; each costs dim × 4 bytes
                        of the 4 GiB wasm32 memory                         (-bucket)
                        (--minn/--maxn/--bucket with skipgram or cbow turn subwords on)
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
  --format F            word2vec-text, word2vec-binary, glove-text, fasttext-vec, fasttext-bin
                        (subword models: keeps the n-grams). Default from the --output name:
                        .bin → word2vec-binary (fasttext-bin for subword models), .vec →
                        fasttext-vec for subword models, anything else word2vec-text.
                        -binary 1|0 (word2vec.c) picks word2vec-binary|word2vec-text whatever
                        the name, so "-binary 0 -output v.bin" writes text as word2vec.c does
  --save-vocab FILE     also write the vocabulary, "word count" per line, most frequent first,
                        </s> first, as word2vec.c                          (-save-vocab)
                        (word2vec.c's -read-vocab is not supported: the vocabulary is always
                        counted from the corpus)
  --seed N              random seed, default 1
  --token-store S       auto (default), memory or file: where the encoded corpus lives
  --update U            skip-gram update: batched (default, HogBatch) or classic (word2vec.c);
                        hierarchical softmax always uses classic
  --loss 0|1            tally the training loss (mean per prediction, as fastText's), shown
                        in the progress line, the summary and --json's losses; default 1
  --save-state FILE     also write the full training state (.w2v: options, vocabulary and
                        counts, input/output/n-gram matrices, schedule) when training ends
  --checkpoint FILE     write the training state to FILE while training (atomically), every
                        --checkpoint-every (default 10m; e.g. 90s, 10m, 2h) and at each epoch end
  --resume FILE         continue a killed run from its checkpoint: same --input and options
  --init FILE           continue training a saved state (.w2v) on --input: known words keep
                        their vectors; unset options take the saved model's values
  --update-vocabulary   with --init: add the new text's words seen --min-count times
  --merge-saved 0|1     with --init: end with each saved word's vectors the count-weighted
                        mean of its saved and continued ones, so the new text does not
                        overwrite what the saved model learnt; default 1 (0: gensim's way)
  --pretrained-vectors FILE  start the input vectors of the words in FILE (.vec/.txt/.bin) from
                        there, as fastText -pretrainedVectors (same dim)
${TEXT_OPTIONS_USAGE}
  --phrases FILE        join the phrases of FILE (wasm2vec phrases --save-phrases) into the words
  --dry-run             count the vocabulary (the plan depends on it), print the memory plan
                        (each region, how threads share it, its size; the total; whether the
                        corpus stays in memory or in a file) and exit 0 without training or
                        writing; --output is not needed (with --json: the plan as JSON)
  --quiet               no progress or summary (progress goes to stderr: a bar on a terminal,
                        otherwise a line every few seconds)
  --json                print the training report as JSON on stdout (vocabulary, words,
                        seconds per phase with saving, words/s, memory) instead of the summary`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(normalizeSingleDashOptions(argv, SINGLE_DASH_OPTIONS), OPTIONS);
  if (values.help) {
    console.log(TRAIN_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the corpus file)');
  if (!values.output && !values['dry-run']) throw new Wasm2VecError('missing --output (where to write the vectors)');
  if (values['read-vocab'] !== undefined) {
    throw new Wasm2VecError('-read-vocab is not supported: wasm2vec counts the vocabulary from the corpus in the same pass that encodes it; drop -read-vocab (use -min-count / --max-vocab-size to shape the vocabulary)');
  }
  if (values['save-vocab'] === '') throw new Wasm2VecError('option --save-vocab needs a file path');
  const hs = flagOption('hs', values.hs);
  const text = textOptionsFromArgs(values);
  const cbow = flagOption('cbow', values.cbow);
  if (cbow !== undefined && values.model !== undefined && values.model.endsWith('cbow') !== cbow) {
    throw new Wasm2VecError(`--model ${values.model} contradicts -cbow ${values.cbow}`);
  }
  // With --init an unset model is the saved one's.
  const modelName = (values.model ?? (cbow ? 'cbow' : values.init !== undefined && cbow === undefined ? undefined : 'skipgram')) as Word2VecOptions['model'];
  const subwordFlags = { minn: numberOption('minn', values.minn), maxn: numberOption('maxn', values.maxn), buckets: numberOption('bucket', values.bucket) };
  const subwordsGiven = Object.values(subwordFlags).some((v) => v !== undefined);
  const subwords = modelName?.startsWith('fasttext-') || subwordsGiven ? subwordFlags : undefined;
  const format = outputFormat(values.format, flagOption('binary', values.binary), values.output ?? '', subwords !== undefined && subwordFlags.maxn !== 0);
  const progress = createProgressReporter({ enabled: !values.quiet });
  if (values.output) refuseOutputOverInput(values.output, [values.input]);
  for (const name of ['save-state', 'checkpoint'] as const) if (values[name]) refuseOutputOverInput(values[name], [values.input], name);
  const signal = interruptSignal(); // SIGINT/SIGTERM (src/cli/interrupt.ts) abort training and the save
  let model: TrainedModel;
  try {
    const options: Word2VecOptions = {
      input: values.input,
      model: modelName,
      subwords,
      dim: numberOption('dim', values.dim),
      window: numberOption('window', values.window),
      negative: numberOption('negative', values.negative),
      hs,
      ...text,
      minCount: numberOption('min-count', values['min-count']),
      maxVocabSize: numberOption('max-vocab-size', values['max-vocab-size']),
      sample: numberOption('sample', values.sample),
      epochs: numberOption('epochs', values.epochs),
      alpha: numberOption('alpha', values.alpha),
      threads: threadsOption(values.threads),
      seed: numberOption('seed', values.seed),
      tokenStore: values['token-store'] as 'auto' | 'memory' | 'file' | undefined,
      update: values.update as 'classic' | 'batched' | undefined,
      loss: flagOption('loss', values.loss),
      ...stateOptions(values),
      phrases: values.phrases,
      onProgress: progress.onWord2Vec,
      signal,
    };
    if (values['dry-run']) {
      const plan = await train({ ...options, planOnly: true });
      progress.stop();
      printMemoryPlan(plan, values.json === true);
      return 0;
    }
    model = await train(options);
    const saveStarted = performance.now();
    await model.save(values.output!, { format, signal });
    if (values['save-vocab'] !== undefined) await saveVocabulary(model, values['save-vocab']);
    progress.stop();
    const saveSeconds = (performance.now() - saveStarted) / 1000;
    if (values.json) console.log(JSON.stringify(jsonReport(model, saveSeconds, values.output!, format)));
    else if (!values.quiet) console.error(summaryLine(model, saveSeconds, values.output!));
  } finally {
    progress.stop();
  }
  return 0;
}

/** --save-state, --checkpoint/--checkpoint-every and --resume as train() options. */
function stateOptions(values: {
  'save-state'?: string; checkpoint?: string; 'checkpoint-every'?: string; resume?: string; init?: string; 'update-vocabulary'?: boolean; 'merge-saved'?: string; 'pretrained-vectors'?: string;
}): Partial<Word2VecOptions> {
  const every = values['checkpoint-every'];
  if (every !== undefined && values.checkpoint === undefined) throw new Wasm2VecError('--checkpoint-every needs --checkpoint FILE (where to write the checkpoints)');
  if (values['update-vocabulary'] && values.init === undefined) throw new Wasm2VecError('--update-vocabulary needs --init FILE (the saved model whose vocabulary it updates)');
  if (values['merge-saved'] !== undefined && values.init === undefined) throw new Wasm2VecError('--merge-saved needs --init FILE (the saved model whose vectors it merges in)');
  for (const name of ['save-state', 'checkpoint', 'resume', 'init', 'pretrained-vectors'] as const) {
    if (values[name] === '') throw new Wasm2VecError(`option --${name} needs a file path`);
  }
  return {
    ...(values['save-state'] !== undefined ? { saveState: values['save-state'] } : {}),
    ...(values.checkpoint !== undefined ? { checkpoint: { path: values.checkpoint, everySeconds: every === undefined ? undefined : durationSeconds('checkpoint-every', every) } } : {}),
    ...(values.resume !== undefined ? { resume: values.resume } : {}),
    ...(values.init !== undefined ? { initialModel: values.init, updateVocabulary: values['update-vocabulary'] ?? false, mergeSaved: flagOption('merge-saved', values['merge-saved']) } : {}),
    ...(values['pretrained-vectors'] !== undefined ? { pretrainedVectors: values['pretrained-vectors'] } : {}),
  };
}

/** "90", "90s", "10m", "2h", "1.5h" → seconds. */
export function durationSeconds(name: string, value: string): number {
  const match = /^(\d+(?:\.\d+)?)([smh]?)$/.exec(value.trim());
  const seconds = match ? Number(match[1]) * { '': 1, s: 1, m: 60, h: 3600 }[match[2] as '' | 's' | 'm' | 'h'] : NaN;
  if (!(seconds > 0)) throw new Wasm2VecError(`option --${name} must be a duration such as 90s, 10m or 2h, got ${JSON.stringify(value)}`);
  return seconds;
}

/** word2vec.c's SaveVocab: "word count" per line in vocabulary order (</s> first), written atomically. */
export async function saveVocabulary(model: TrainedModel, path: string): Promise<void> {
  const counts = model.counts;
  if (counts === undefined) throw new Error('internal: a trained model has no word counts');
  await writeFileAtomic(path, async (out) => {
    let batch = '';
    for (let i = 0; i < model.words.length; i++) {
      batch += `${model.words[i]} ${counts[i]}\n`;
      if (batch.length >= 1 << 16) {
        await out.write(batch);
        batch = '';
      }
    }
    await out.write(batch);
  });
}

function outputFormat(format: string | undefined, binary: boolean | undefined, output: string, subwords: boolean): EmbeddingFormat {
  const formats = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec', 'fasttext-bin'];
  if (format !== undefined) {
    if (!formats.includes(format)) throw new Wasm2VecError(`--format must be one of ${formats.join(', ')}, got "${format}"`);
    if (binary !== undefined && format.endsWith('-binary') !== binary) throw new Wasm2VecError(`--format ${format} contradicts -binary`);
    if (format === 'fasttext-bin' && !subwords) throw new Wasm2VecError('--format fasttext-bin needs a subword model (--model fasttext-skipgram or fasttext-cbow)');
    return format as EmbeddingFormat;
  }
  // An explicit -binary 0|1 is word2vec.c's choice, whatever the file name.
  if (binary !== undefined) return binary ? 'word2vec-binary' : 'word2vec-text';
  const name = output.toLowerCase();
  // .bin is binary: a subword model keeps its n-grams (fastText's own .bin), so it can embed unseen words.
  if (name.endsWith('.bin')) return subwords ? 'fasttext-bin' : 'word2vec-binary';
  if (subwords && name.endsWith('.vec')) return 'fasttext-vec';
  return 'word2vec-text';
}

/** The report as `--json` prints it: the trainer's, with saving in the phases and the output file. */
function jsonReport(model: TrainedModel, saveSeconds: number, output: string, format: EmbeddingFormat) {
  const r = model.report;
  return {
    ...r,
    seconds: { ...r.seconds, save: saveSeconds, total: r.seconds.total + saveSeconds },
    output: { path: output, format },
  };
}

export function summaryLine(model: TrainedModel, saveSeconds: number, output: string): string {
  const r = model.report;
  const s = r.seconds;
  return (
 `${r.model}${r.subwords ? ` with ${formatCount(r.subwords.ngrams)} character n-grams (${r.subwords.minn}–${r.subwords.maxn}) in ${formatCount(r.subwords.buckets)} buckets` : ''}: ${formatCount(r.vocabSize)} words in vocabulary, ${formatCount(r.trainWords)} training words × ${plural(r.epochs, 'epoch')}, ` +
    `${plural(r.threads, 'thread')}, ${formatRate(r.wordsPerSecond)} words/s (${formatRate(r.wordsPerSecondPerThread)} words/s/thread); ` +
    `wall ${(s.total + saveSeconds).toFixed(1)} s = vocabulary ${s.vocabulary.toFixed(1)} + encode ${s.encode.toFixed(1)} + ` +
    `train ${s.train.toFixed(1)} + save ${saveSeconds.toFixed(1)}; ` +
    `${r.losses ? `loss per epoch ${r.losses.map((l) => l.toFixed(4)).join(' ')}; ` : ''}wrote ${output}`
  );
}
