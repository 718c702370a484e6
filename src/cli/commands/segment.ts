import { parseCommandLine } from '../args.js';
import { Wasm2VecError } from '../../errors.js';
import { segmentCorpus } from '../../corpus/segment.js';
import { formatCount } from '../progress.js';
import { TEXT_OPTIONS, TEXT_OPTIONS_USAGE, textOptionsFromArgs } from '../text-options.js';

// `wasm2vec segment`: the corpus as a trainer's tokenizer sees it, written out for other tools.
const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, ...TEXT_OPTIONS,
} as const;

export const SEGMENT_USAGE = `usage: wasm2vec segment --input FILE --output FILE [--tokenizer jieba] [--normalize t2s] [options]

Writes the corpus tokenized: one line per input line, words separated by spaces (e.g. Chinese
text segmented by jieba and converted to Simplified script), for word2vec.c, fastText, gensim or
\`wasm2vec train\` with the default whitespace tokenizer.

  --input FILE          text or .gz, "-" for stdin
  --output FILE         where to write the segmented text (written atomically)
${TEXT_OPTIONS_USAGE}
  --quiet               no summary`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(argv, OPTIONS);
  if (values.help) {
    console.log(SEGMENT_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the text to segment)');
  if (!values.output) throw new Wasm2VecError('missing --output (where to write the segmented text)');
  if (values.output === '-') throw new Wasm2VecError('--output must be a file path (the output is written atomically, not to stdout)');
  const controller = new AbortController();
  const onSigint = () => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    const started = performance.now();
    const report = await segmentCorpus(values.input, values.output, { ...textOptionsFromArgs(values), signal: controller.signal });
    if (!values.quiet) {
      const seconds = (performance.now() - started) / 1000;
      console.error(`segmented ${formatCount(report.lines)} lines into ${formatCount(report.tokens)} words in ${seconds.toFixed(1)} s; wrote ${values.output}`);
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  return 0;
}
