// `wasm2vec print-word-vectors MODEL < words`: fastText's command of the same name. Reads words
// from stdin (or the command line) and prints "word v1 … vn" per word with fastText's number
// format, so scripts written for fastText work unchanged.
import { createInterface } from 'node:readline';
import { Wasm2VecError } from '../../errors.js';
import { formatG5 } from '../../formats/index.js';
import { SubwordVectors, type KeyedVectors } from '../../model/index.js';
import { processIO, type CommandIO } from '../io.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, loadModel, parseQueryCommand } from '../query.js';

export const PRINT_WORD_VECTORS_USAGE = `usage: wasm2vec print-word-vectors MODEL [WORD...] [options] < words.txt

Prints each WORD (or, with none, each whitespace-separated word read from stdin) and its vector,
"word v1 v2 … vn", numbers as fastText prints them (5 significant digits), as
\`fasttext print-word-vectors\`. A model with subwords (a fastText .bin) builds vectors for words
outside its vocabulary from their character n-grams; other models print zeros for them (as
fastText does for a word with no known n-gram) and say so on stderr.

${MODEL_OPTIONS_HELP}
  -h, --help            show this help`;

const OPTIONS = MODEL_OPTIONS;

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, PRINT_WORD_VECTORS_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  const [modelPath, ...words] = positionals;
  if (modelPath === undefined) throw new Wasm2VecError(`missing MODEL\n\n${PRINT_WORD_VECTORS_USAGE}`);
  const model = await loadModel(modelPath, values.format, values.limit);
  const print = (word: string) => io.stdout.write(`${word} ${formatVector(wordVector(model, word, io))}\n`);
  if (words.length > 0) {
    for (const word of words) print(word);
    return 0;
  }
  for await (const line of createInterface({ input: io.stdin, terminal: false })) {
    for (const word of line.split(/\s+/u)) if (word.length > 0) print(word);
  }
  return 0;
}

/** A word's vector; zeros (and a note on stderr) for a word a model without subwords does not know. */
export function wordVector(model: KeyedVectors, word: string, io: CommandIO): Float32Array {
  if (model.has(word)) return model.vector(word);
  if (model instanceof SubwordVectors) {
    try {
      return model.vector(word);
    } catch (error) {
      if (!(error instanceof Wasm2VecError)) throw error; // a model without n-grams (maxn 0)
    }
  }
  io.stderr.write(`"${word}" is not in the vocabulary: zero vector\n`);
  return new Float32Array(model.dim);
}

/** fastText's `operator<<(ostream&, const Vector&)`: each value with 5 significant digits and a space after it. */
export function formatVector(vector: Float32Array): string {
  let out = '';
  for (let i = 0; i < vector.length; i++) out += `${formatG5(vector[i])} `;
  return out;
}
