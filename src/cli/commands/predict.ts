// `wasm2vec predict MODEL.bin FILE|- [k] [threshold]` and `predict-prob`: fastText's commands, same
// arguments and output (one line per input line: the labels, with their probabilities for predict-prob).
import { Wasm2VecError } from '../../errors.js';
import { parseCommandLine } from '../args.js';
import { Classifier, readLines } from '../../model/index.js';
import { tokenizerFunction } from '../../corpus/label-dictionary.js';

import { processIO, type CommandIO } from '../io.js';

const OPTIONS = { help: { type: 'boolean', short: 'h' }, label: { type: 'string' }, tokenizer: { type: 'string' } } as const;

export function predictUsage(name: string): string {
  return `usage: wasm2vec ${name} MODEL.bin FILE [k] [threshold]

Prints, for every line of FILE ("-" for stdin), its k most probable labels (default 1) with
probability at least threshold (default 0)${name === 'predict-prob' ? ', each followed by its probability' : ''}, as fastText ${name}.
MODEL.bin is a supervised model written by \`wasm2vec supervised\` or fastText.
  --label PREFIX        label prefix of the training file (default __label__)
  --tokenizer T         whitespace (default, fastText) or unicode: as the model was trained`;
}

/** The --tokenizer of predict and test: as the model was trained (a .bin does not record it). */
export function lineTokenizer(tokenizer: string | undefined, label: string | undefined): (line: string) => string[] {
  if (tokenizer !== undefined && tokenizer !== 'whitespace' && tokenizer !== 'unicode') {
    throw new Wasm2VecError(`--tokenizer must be whitespace or unicode, got "${tokenizer}"`);
  }
  return tokenizerFunction({ tokenizer: tokenizer ?? 'whitespace', label });
}

/** k and threshold as fastText's predict and test read them (positional). */
export function kAndThreshold(args: string[]): { k: number; threshold: number } {
  const k = args[0] === undefined ? 1 : Number(args[0]);
  const threshold = args[1] === undefined ? 0 : Number(args[1]);
  if (!Number.isInteger(k) || k < 1) throw new Wasm2VecError(`k must be an integer ≥ 1, got "${args[0]}"`);
  if (!(threshold >= 0 && threshold <= 1)) throw new Wasm2VecError(`threshold must be a number from 0 to 1, got "${args[1]}"`);
  return { k, threshold };
}

export async function predictCommand(name: 'predict' | 'predict-prob', argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${predictUsage(name)}\n`);
    return 0;
  }
  if (positionals.length < 2 || positionals.length > 4) throw new Wasm2VecError(`expected MODEL.bin FILE [k] [threshold]\n\n${predictUsage(name)}`);
  const { k, threshold } = kAndThreshold(positionals.slice(2));
  const model = await Classifier.load(positionals[0], { labelPrefix: values.label, tokenize: lineTokenizer(values.tokenizer, values.label) });
  const lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) io.stdout.write(`${lines.join('\n')}\n`);
    lines.length = 0;
  };
  for await (const line of readLines(positionals[1])) {
    const predictions = model.predict(line, { k, threshold });
    lines.push(predictions.map((p) => (name === 'predict-prob' ? `${p.label} ${formatProbability(p.probability)}` : p.label)).join(' '));
    if (lines.length >= 4096) flush();
  }
  flush();
  return 0;
}

/** As fastText prints a probability (C++ default stream format: 6 significant digits). */
export function formatProbability(p: number): string {
  return String(Number(p.toPrecision(6)));
}

export function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  return predictCommand('predict', argv, io);
}
