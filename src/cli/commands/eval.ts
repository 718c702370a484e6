import { basename } from 'node:path';
import { Wasm2VecError } from '../../errors.js';
import { evaluateAnalogies, evaluateWordPairs, type AnalogyEvaluation, type WordPairsEvaluation } from '../../model/evaluate.js';
import { evaluateClassification } from '../../model/index.js';
import { processIO, type CommandIO } from '../io.js';
import { TEXT_OPTIONS, TEXT_OPTIONS_USAGE, textOptionsFromArgs } from '../text-options.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, loadModel, parseQueryCommand, positiveInteger } from '../query.js';

export const EVAL_USAGE = `usage: wasm2vec eval MODEL [--analogies FILE] [--pairs FILE]... [--classification TRAIN TEST] [options]

Intrinsic evaluation, with the semantics of gensim's evaluate_word_analogies / evaluate_word_pairs.

  --analogies FILE      analogy questions in the questions-words.txt format (": section" lines)
  --pairs FILE          word-similarity judgements "w1 w2 score" (WordSim-353, SimLex-999, MEN); repeatable
  --classification TRAIN TEST
                        downstream task: logistic regression on the mean word vector of each line
                        (frozen embeddings, as SentEval), trained on TRAIN, accuracy on TEST; both in
                        fastText's format ("__label__x text")

Analogies and word pairs:
  --restrict N          only the N most frequent words take part (default 30000 for analogies,
                        300000 for pairs, as gensim)
  --case-sensitive      compare words as written (default: upper-cased, as gensim)

How --classification splits each line's text (labels stay whole), as the trainers split a corpus:
${TEXT_OPTIONS_USAGE}

Model and output:
${MODEL_OPTIONS_HELP}
  --json                print JSON: {"analogies": {...}, "pairs": [{"file", ...}]}
  -h, --help            show this help`;

const OPTIONS = {
  analogies: { type: 'string' },
  classification: { type: 'string' },
  ...TEXT_OPTIONS,
  pairs: { type: 'string', multiple: true },
  restrict: { type: 'string' },
  'case-sensitive': { type: 'boolean' },
  json: { type: 'boolean' },
  ...MODEL_OPTIONS,
} as const;

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, EVAL_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  // --classification TRAIN TEST: TEST is read as the second positional.
  const classificationTest = values.classification !== undefined ? positionals.splice(1, 1)[0] : undefined;
  if (values.classification !== undefined && classificationTest === undefined) {
    throw new Wasm2VecError('--classification needs two files: TRAIN TEST');
  }
  if (positionals.length !== 1) {
    throw new Wasm2VecError(`expected one MODEL, got ${positionals.length} argument(s)\n\n${EVAL_USAGE}`);
  }
  const pairFiles = (values.pairs as unknown as string[] | undefined) ?? [];
  if (values.analogies === undefined && pairFiles.length === 0 && values.classification === undefined) {
    throw new Wasm2VecError('nothing to evaluate: give --analogies FILE, --pairs FILE and/or --classification TRAIN TEST');
  }
  const restrict = positiveInteger('restrict', values.restrict);
  const caseInsensitive = !values['case-sensitive'];
  const model = await loadModel(positionals[0], values.format, values.limit);

  const analogies = values.analogies === undefined
    ? undefined
    : await evaluateAnalogies(model, values.analogies, { restrictVocab: restrict ?? 30000, caseInsensitive });
  const pairs: Array<WordPairsEvaluation & { file: string }> = [];
  for (const file of pairFiles) {
    pairs.push({ file, ...(await evaluateWordPairs(model, file, { restrictVocab: restrict ?? 300000, caseInsensitive })) });
  }

  const text = textOptionsFromArgs(values);
  const classification = values.classification === undefined
    ? undefined
    : { train: values.classification, test: classificationTest!, ...(await evaluateClassification(model, values.classification, classificationTest!, text)) };

  if (values.json) {
    io.stdout.write(`${JSON.stringify({ model: positionals[0], analogies: analogies && { file: values.analogies, ...analogies }, pairs, classification })}\n`);
    return 0;
  }
  if (analogies) io.stdout.write(formatAnalogies(values.analogies!, analogies));
  for (const p of pairs) io.stdout.write(formatPairs(p.file, p));
  if (classification) {
    const c = classification;
    io.stdout.write(
      `Classification: ${basename(c.train)} → ${basename(c.test)} (logistic regression on mean word vectors; ${c.labels} labels, ` +
        `${c.trainExamples} training and ${c.testExamples} test lines, ${c.skipped} skipped, ${percent(c.coverage)} of test tokens with a vector; ${c.seconds.toFixed(1)} s)\n` +
        `  accuracy ${percent(c.accuracy)}   majority class ${percent(c.majorityBaseline)}\n`,
    );
  }
  return 0;
}

const percent = (x: number) => `${(100 * x).toFixed(2)}%`;

export function formatAnalogies(file: string, r: AnalogyEvaluation): string {
  const rows: [string, number, number, string][] = r.sections.map((s) => [s.section, s.correct, s.correct + s.incorrect, percent(s.accuracy)]);
  const summary: [string, number, number, string][] = [
    ['semantic', r.semantic.correct, r.semantic.correct + r.semantic.incorrect, percent(r.semantic.accuracy)],
    ['syntactic', r.syntactic.correct, r.syntactic.correct + r.syntactic.incorrect, percent(r.syntactic.accuracy)],
    ['total', r.total.correct, r.total.correct + r.total.incorrect, percent(r.total.accuracy)],
  ];
  const width = Math.max(7, ...[...rows, ...summary].map((x) => x[0].length));
  const line = (x: [string, number, number, string]) =>
    `  ${x[0].padEnd(width)}  ${String(x[1]).padStart(7)}  ${String(x[2]).padStart(7)}  ${x[3].padStart(8)}\n`;
  return (
    `Analogies: ${basename(file)} (first ${r.restrictVocab} words; ${r.questions} questions, ` +
    `${r.oov} (${r.oovRatio.toFixed(1)}%) skipped as out of vocabulary${skippedNote(r)}; ${r.seconds.toFixed(2)} s)\n` +
    `  ${'section'.padEnd(width)}  ${'correct'.padStart(7)}  ${'asked'.padStart(7)}  ${'accuracy'.padStart(8)}\n` +
    rows.map(line).join('') +
    `  ${'-'.repeat(width + 28)}\n` +
    summary.map(line).join('')
  );
}

export function formatPairs(file: string, r: WordPairsEvaluation): string {
  const p = (x: number) => (Number.isNaN(x) ? 'nan' : x.toPrecision(2));
  return (
    `Word pairs: ${basename(file)}\n` +
    `  Spearman ${r.spearman.toFixed(4)} (p ${p(r.spearmanP)})   Pearson ${r.pearson.toFixed(4)} (p ${p(r.pearsonP)})   ` +
    `${r.pairs} pairs, ${r.oov} (${r.oovRatio.toFixed(1)}%) out of vocabulary${skippedNote(r)}\n`
  );
}

function skippedNote(r: { skipped: number; firstSkippedLine?: number }): string {
  return r.skipped > 0 ? `; ${r.skipped} malformed line${r.skipped === 1 ? '' : 's'} skipped (first: line ${r.firstSkippedLine})` : '';
}
