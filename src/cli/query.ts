// What the commands that query a saved model share (similar, analogy, eval, print-word-vectors,
// print-sentence-vectors): the --format and --limit options and their help, loading the model,
// the --help preamble, and the stdin query loop with its answers as text or JSON.
import { createInterface } from 'node:readline';
import type { ParseArgsConfig } from 'node:util';
import { numberOption, parseCommandLine } from './args.js';
import { Wasm2VecError } from '../errors.js';
import { EMBEDDING_FORMATS } from '../formats/index.js';
import type { EmbeddingFormat } from '../formats/types.js';
import { KeyedVectors, type ScoredWord } from '../model/index.js';
import type { CommandIO } from './io.js';

/** The options every model-query command takes, with --help. */
export const MODEL_OPTIONS = {
  format: { type: 'string' },
  limit: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Their lines in a command's usage text. */
export const MODEL_OPTIONS_HELP = `  --format F            model format: auto (default), word2vec-text, word2vec-binary, glove-text, fasttext-vec,
                        fasttext-bin (a fastText .bin model: words outside its vocabulary get vectors
                        from their character n-grams)
  --limit N             read only the first N vectors of the model`;

/**
 * Parses a query command's arguments; with --help, prints its usage and returns undefined (the
 * command then exits 0).
 */
export function parseQueryCommand<T extends typeof MODEL_OPTIONS & NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, usage: string, io: CommandIO) {
  const parsed = parseCommandLine(argv, options, true);
  if (parsed.values.help) {
    io.stdout.write(`${usage}\n`);
    return undefined;
  }
  return parsed;
}

/** Loads a model for a query command, checking --format and --limit. */
export async function loadModel(path: string, format: string | undefined, limit: string | undefined): Promise<KeyedVectors> {
  const formats = ['auto', ...EMBEDDING_FORMATS];
  if (format !== undefined && !formats.includes(format)) {
    throw new Wasm2VecError(`--format must be one of ${formats.join(', ')}, got "${format}"`);
  }
  return KeyedVectors.load(path, {
    format: format as EmbeddingFormat | 'auto' | undefined,
    limit: positiveInteger('limit', limit),
  });
}

export function positiveInteger(name: string, value: string | undefined): number | undefined {
  const n = numberOption(name, value);
  if (n !== undefined && (!Number.isInteger(n) || n <= 0)) {
    throw new Wasm2VecError(`option --${name} must be a positive integer, got "${value}"`);
  }
  return n;
}

/**
 * Answers queries read from stdin, one per line. On a terminal: a prompt, errors shown and the
 * session goes on, "quit" ends. Otherwise (a pipe or file, as word2vec.c's distance and fastText's nn
 * are used in scripts): no prompt; each line gives one answer, as one JSON object per line with
 * --json ({"query", "error"} for a failed query) or as text with a "query:" header line; a failed
 * query is reported on stderr with its line number and the exit code is 1.
 */
export async function answerQueries(
  io: CommandIO, prompt: string, json: boolean, answer: (words: string[]) => { json: object; text: string },
): Promise<number> {
  const tty = io.stdin.isTTY === true;
  const rl = createInterface({ input: io.stdin, output: tty ? (io.stdout as NodeJS.WritableStream) : undefined, prompt, terminal: false });
  let failed = 0;
  let lineNumber = 0;
  if (tty) rl.prompt();
  for await (const line of rl) {
    lineNumber++;
    const words = line.trim().split(/\s+/u).filter((w) => w.length > 0);
    if (words.length === 0) {
      if (tty) rl.prompt();
      continue;
    }
    if (tty && words.length === 1 && /^(quit|exit)$/i.test(words[0])) break;
    try {
      const result = answer(words);
      io.stdout.write(json ? `${JSON.stringify({ query: words.join(' '), ...result.json })}\n` : `${tty ? '' : `query: ${words.join(' ')}\n`}${result.text}`);
    } catch (error) {
      if (!(error instanceof Wasm2VecError)) throw error;
      if (tty) {
        io.stdout.write(`${error.message}\n`);
      } else {
        failed++;
        io.stderr.write(`wasm2vec: stdin line ${lineNumber}: ${error.message}\n`);
        if (json) io.stdout.write(`${JSON.stringify({ query: words.join(' '), error: error.message })}\n`);
      }
    }
    if (tty) rl.prompt();
  }
  rl.close();
  return failed > 0 ? 1 : 0;
}

/**
 * Says on stderr which query words are outside the vocabulary: a model with subwords (a fastText
 * .bin) builds their vectors from their character n-grams (plain vectors reject them before this).
 */
export function noteUnseenWords(model: KeyedVectors, words: string[], io: CommandIO): void {
  const unseen = [...new Set(words.filter((w) => !model.has(w)))];
  if (unseen.length === 0) return;
  const list = unseen.map((w) => `"${w}"`).join(', ');
  io.stderr.write(`${list} ${unseen.length === 1 ? 'is' : 'are'} not in the vocabulary: vector${unseen.length === 1 ? '' : 's'} built from character n-grams\n`);
}

/** Neighbours as an aligned table: rank, word, score. */
export function formatResults(results: ScoredWord[]): string {
  if (results.length === 0) return '(no results)\n';
  const width = Math.max(...results.map((r) => r.word.length));
  const rankWidth = String(results.length).length;
  return results
    .map((r, i) => `${String(i + 1).padStart(rankWidth)}  ${r.word.padEnd(width)}  ${r.score.toFixed(4)}\n`)
    .join('');
}
