import { Wasm2VecError } from '../../errors.js';
import { processIO, type CommandIO } from '../io.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, answerQueries, formatResults, loadModel, noteUnseenWords, parseQueryCommand, positiveInteger } from '../query.js';

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
${MODEL_OPTIONS_HELP}
  --json                print JSON: {"positive", "negative", "results": [{"word", "score"}]}
                        (from stdin: one object per line, with "query" added)
  -h, --help            show this help`;

const OPTIONS = {
  top: { type: 'string', short: 'n' },
  negative: { type: 'string', multiple: true },
  restrict: { type: 'string' },
  json: { type: 'boolean' },
  ...MODEL_OPTIONS,
} as const;

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, SIMILAR_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
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

function isNegative(word: string): boolean {
  return word.length > 1 && word.startsWith('-');
}

