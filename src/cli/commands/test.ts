// `wasm2vec test MODEL.bin FILE [k] [threshold]`: fastText's test — N, P@k and R@k — and with
// --verbose the F1, precision and recall of every label (fastText test-label).
import { Wasm2VecError } from '../../errors.js';
import { parseCommandLine } from '../args.js';
import { Classifier } from '../../model/index.js';
import { kAndThreshold, lineTokenizer } from './predict.js';
import { processIO, type CommandIO } from '../io.js';

const OPTIONS = { help: { type: 'boolean', short: 'h' }, verbose: { type: 'boolean' }, json: { type: 'boolean' }, label: { type: 'string' }, tokenizer: { type: 'string' } } as const;

export const TEST_USAGE = `usage: wasm2vec test MODEL.bin FILE [k] [threshold] [--verbose] [--json]

Scores a labelled file (fastText format, "-" for stdin) as fastText test: the number of examples N,
precision P@k and recall R@k of the k most probable labels (default 1) above threshold (default 0).
Lines without a label the model knows are skipped and counted.
  --verbose             also F1, precision and recall per label (fastText test-label)
  --json                print the result as JSON
  --label PREFIX        label prefix of the file (default __label__)
  --tokenizer T         whitespace (default, fastText) or unicode: as the model was trained`;

/** As fastText prints P@k and R@k (std::setprecision(3)). */
function format3(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toPrecision(3))) : '--';
}

export async function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  const { values, positionals } = parseCommandLine(argv, OPTIONS, true);
  if (values.help) {
    io.stdout.write(`${TEST_USAGE}\n`);
    return 0;
  }
  if (positionals.length < 2 || positionals.length > 4) throw new Wasm2VecError(`expected MODEL.bin FILE [k] [threshold]\n\n${TEST_USAGE}`);
  const { k, threshold } = kAndThreshold(positionals.slice(2));
  const model = await Classifier.load(positionals[0], { labelPrefix: values.label, tokenize: lineTokenizer(values.tokenizer, values.label) });
  const result = await model.test(positionals[1], { k, threshold });
  if (values.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  }
  const out: string[] = [];
  if (values.verbose) {
    for (const l of result.labels) {
      out.push(`F1-Score : ${format3(l.f1).padEnd(9)} Precision : ${format3(l.precision).padEnd(9)} Recall : ${format3(l.recall).padEnd(9)} ${l.label}`);
    }
  }
  out.push(`N\t${result.examples}`, `P@${k}\t${format3(result.precision)}`, `R@${k}\t${format3(result.recall)}`);
  io.stdout.write(`${out.join('\n')}\n`);
  if (result.skipped > 0) io.stderr.write(`wasm2vec: ${result.skipped} lines without a label the model knows were skipped\n`);
  return 0;
}
