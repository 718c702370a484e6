import { Wasm2VecError } from '../../errors.js';
import type { AnalogyMethod } from '../../model/index.js';
import { processIO, type CommandIO } from '../io.js';
import { MODEL_OPTIONS, MODEL_OPTIONS_HELP, answerQueries, formatResults, loadModel, noteUnseenWords, parseQueryCommand, positiveInteger } from '../query.js';

export const ANALOGY_USAGE = `usage: wasm2vec analogy MODEL A B C [options]

Solves A : B :: C : ? (man king woman → queen); A, B and C are not answers.
       wasm2vec analogy MODEL [options] < queries.txt

With MODEL alone, reads queries "A B C" from stdin, one per line (a prompt on a terminal); with
--json, one JSON object per line ({"query", "a", "b", "c", "method", "results"}, or {"query",
"error"}); the exit code is 1 if any query failed.

  -n, --top N           number of answers, default 10
  --method M            3cosadd (default): cos(x, B − A + C) as gensim's most_similar;
                        3cosmul: Levy & Goldberg's multiplicative objective (gensim's most_similar_cosmul)
  --restrict N          search only the N most frequent words
${MODEL_OPTIONS_HELP}
  --json                print JSON: {"a", "b", "c", "method", "results": [{"word", "score"}]}
  -h, --help            show this help`;

const OPTIONS = {
  top: { type: 'string', short: 'n' },
  method: { type: 'string' },
  restrict: { type: 'string' },
  json: { type: 'boolean' },
  ...MODEL_OPTIONS,
} as const;

const METHODS: AnalogyMethod[] = ['3cosadd', '3cosmul'];

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const parsed = parseQueryCommand(argv, OPTIONS, ANALOGY_USAGE, io);
  if (!parsed) return 0;
  const { values, positionals } = parsed;
  if (positionals.length !== 4 && positionals.length !== 1) {
    throw new Wasm2VecError(`expected MODEL A B C (or MODEL alone, with queries on stdin), got ${positionals.length} argument(s)\n\n${ANALOGY_USAGE}`);
  }
  const [modelPath, a, b, c] = positionals;
  const method = (values.method ?? '3cosadd').toLowerCase() as AnalogyMethod;
  if (!METHODS.includes(method)) throw new Wasm2VecError(`--method must be 3cosadd or 3cosmul, got "${values.method}"`);
  const topN = positiveInteger('top', values.top) ?? 10;
  const restrictVocab = positiveInteger('restrict', values.restrict);
  const model = await loadModel(modelPath, values.format, values.limit);
  if (positionals.length === 1) {
    if (io.stdin.isTTY) io.stderr.write(`${model.size} words, dimension ${model.dim}. Type A B C (man king woman); "quit" or Ctrl-D to end.\n`);
    return answerQueries(io, 'analogy> ', values.json === true, (words) => {
      if (words.length !== 3) throw new Wasm2VecError(`expected three words A B C, got ${words.length}`);
      const [qa, qb, qc] = words;
      const answers = model.analogy(qa, qb, qc, { method, topN, restrictVocab });
      if (!values.json) noteUnseenWords(model, words, io);
      return { json: { a: qa, b: qb, c: qc, method, results: answers }, text: `${qa} : ${qb} :: ${qc} : ?   (${method})\n${formatResults(answers)}` };
    });
  }
  const results = model.analogy(a, b, c, { method, topN, restrictVocab });
  if (!values.json) noteUnseenWords(model, [a, b, c], io);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ a, b, c, method, results })}\n`);
  } else {
    io.stdout.write(`${a} : ${b} :: ${c} : ?   (${method})\n${formatResults(results)}`);
  }
  return 0;
}
