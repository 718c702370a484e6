// `wasm2vec print-sentence-vectors MODEL < sentences`: fastText's command of the same name for
// unsupervised models. One vector per stdin line: the mean of the line's L2-normalised word
// vectors (words with a zero vector skipped), printed as fastText prints it.
import { createInterface } from 'node:readline';
import { Wasm2VecError } from '../../errors.js';
import type { KeyedVectors } from '../../model/index.js';
import { processIO, type CommandIO } from '../io.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, loadModel, parseQueryCommand } from '../query.js';
import { formatVector, wordVector } from './print-word-vectors.js';

export const PRINT_SENTENCE_VECTORS_USAGE = `usage: wasm2vec print-sentence-vectors MODEL [options] < sentences.txt

Prints one vector per line of stdin, as \`fasttext print-sentence-vectors\` for unsupervised models:
the mean of the line's word vectors, each first scaled to unit length (words whose vector is zero
are left out; a line without any gives zeros). Words are split on whitespace; a model with
subwords builds vectors for unseen words from their character n-grams.

${MODEL_OPTIONS_HELP}
  -h, --help            show this help`;

const OPTIONS = MODEL_OPTIONS;

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, PRINT_SENTENCE_VECTORS_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) throw new Wasm2VecError(`expected MODEL (sentences come from stdin), got ${positionals.length} argument(s)\n\n${PRINT_SENTENCE_VECTORS_USAGE}`);
  const model = await loadModel(positionals[0], values.format, values.limit);
  for await (const line of createInterface({ input: io.stdin, terminal: false })) {
    io.stdout.write(`${formatVector(sentenceVector(model, line, io))}\n`);
  }
  return 0;
}

/** fastText's FastText::getSentenceVector for unsupervised models. */
export function sentenceVector(model: KeyedVectors, line: string, io: CommandIO): Float32Array {
  const sum = new Float32Array(model.dim);
  let count = 0;
  for (const word of line.split(/\s+/u)) {
    if (word.length === 0) continue;
    const v = wordVector(model, word, io);
    // In float32 throughout, as fastText's Vector (norm, mul, addVector), so the digits match.
    let squares = 0;
    for (let i = 0; i < v.length; i++) squares = Math.fround(squares + Math.fround(v[i] * v[i]));
    const norm = Math.fround(Math.sqrt(squares));
    if (norm > 0) {
      const scale = Math.fround(1 / norm);
      for (let i = 0; i < v.length; i++) sum[i] = Math.fround(sum[i] + Math.fround(v[i] * scale));
      count++;
    }
  }
  if (count > 0) {
    const scale = Math.fround(1 / count);
    for (let i = 0; i < sum.length; i++) sum[i] = Math.fround(sum[i] * scale);
  }
  return sum;
}
