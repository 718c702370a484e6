import { createInterface } from 'node:readline';
import { numberOption, parseCommandLine } from '../args.js';
import { Wasm2VecError } from '../../errors.js';
import { EMBEDDING_FORMATS } from '../../formats/index.js';
import type { EmbeddingFormat } from '../../formats/types.js';
import { KeyedVectors, type ScoredWord } from '../../model/index.js';

/** Where a query command reads and writes (the process's streams by default; tests pass their own). */
export interface CommandIO {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
}

export const processIO: CommandIO = { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin };

export const SIMILAR_USAGE = `usage: wasm2vec similar MODEL [WORD...] [options]

Nearest neighbours by cosine similarity. Several WORDs are added together, --negative words are
subtracted (gensim's most_similar). With no WORD, reads queries from stdin, one per line:
"king -man woman" (a leading "-" subtracts a word). On a terminal this is a prompt ("quit" or
Ctrl-D ends); from a pipe (echo king | wasm2vec similar m.bin --json) each line is answered
in turn, with --json as one JSON object per line ({"query", ..., "results"}, or {"query", "error"}),
and the exit code is 1 if any query failed.

  -n, --top N           number of neighbours, default 10
  --negative WORD       subtract WORD (repeatable)
  --restrict N          search only the N most frequent words
  --format F            model format: auto (default), word2vec-text, word2vec-binary, glove-text, fasttext-vec,
                        fasttext-bin (a fastText .bin model: words outside its vocabulary get vectors
                        from their character n-grams)
  --limit N             read only the first N vectors of the model
  --json                print JSON: {"positive", "negative", "results": [{"word", "score"}]}
                        (from stdin: one object per line, with "query" added)
  -h, --help            show this help`;

const OPTIONS = {
  top: { type: 'string', short: 'n' },
  negative: { type: 'string', multiple: true },
  restrict: { type: 'string' },
  format: { type: 'string' },
  limit: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${SIMILAR_USAGE}\n`);
    return 0;
  }
  const [modelPath, ...positive] = positionals;
  if (modelPath === undefined) throw new Wasm2VecError(`missing MODEL\n\n${SIMILAR_USAGE}`);
  const negative = (values.negative as unknown as string[] | undefined) ?? [];
  const topN = positiveInteger('top', values.top) ?? 10;
  const restrictVocab = positiveInteger('restrict', values.restrict);
  const model = await loadModel(modelPath, values.format, values.limit);

  if (positive.length > 0 || negative.length > 0) {
    const results = model.mostSimilar(positive, negative, { topN, restrictVocab });
    if (!values.json) noteUnseenWords(model, [...positive, ...negative], io);
    io.stdout.write(values.json ? `${JSON.stringify({ positive, negative, results })}\n` : formatResults(results));
    return 0;
  }

  if (io.stdin.isTTY) io.stderr.write(`${model.size} words, dimension ${model.dim}. Type words ("king -man woman"); "quit" or Ctrl-D to end.\n`);
  return answerQueries(io, 'similar> ', values.json === true, (words) => {
    const pos = words.filter((w) => !isNegative(w));
    const neg = words.filter(isNegative).map((w) => w.slice(1));
    const results = model.mostSimilar(pos, neg, { topN, restrictVocab });
    if (!values.json) noteUnseenWords(model, [...pos, ...neg], io);
    return { json: { positive: pos, negative: neg, results }, text: formatResults(results) };
  });
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

function isNegative(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
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

/** Neighbours as an aligned table: rank, word, score. */
export function formatResults(results: ScoredWord[]): string {
  if (results.length === 0) return '(no results)\n';
  const width = Math.max(...results.map((r) => r.word.length));
  const rankWidth = String(results.length).length;
  return results
    .map((r, i) => `${String(i + 1).padStart(rankWidth)}  ${r.word.padEnd(width)}  ${r.score.toFixed(4)}\n`)
    .join('');
}
