import { normalizeSingleDashOptions, numberOption, parseCommandLine } from '../args.js';
import { Wasm2VecError } from '../../errors.js';
import { refuseOutputOverInput } from '../../runtime/atomic-write.js';
import { phraseCorpus } from '../../phrases/learn.js';
import { formatCount } from '../progress.js';
import { interruptSignal } from '../interrupt.js';

// `wasm2vec phrases`: word2vec.c's word2phrase (same options, same output), with passes and
// gensim's npmi scorer; also accepts word2phrase's single-dash spellings.
const OPTIONS = {
  input: { type: 'string' }, output: { type: 'string' }, threshold: { type: 'string' }, 'min-count': { type: 'string' },
  passes: { type: 'string' }, scoring: { type: 'string' }, threads: { type: 'string' }, 'save-phrases': { type: 'string' },
  debug: { type: 'string' }, quiet: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
} as const;

/** word2phrase.c's options (-debug is accepted and ignored: progress goes to stderr unless --quiet). */
const SINGLE_DASH = { train: 'input', output: 'output', threshold: 'threshold', 'min-count': 'min-count', debug: 'debug', threads: 'threads' };

export const PHRASES_USAGE = `usage: wasm2vec phrases --input FILE --output FILE [--threshold 100] [--min-count 5] [options]

Joins frequent word pairs into phrases ("new york" -> "new_york"), as word2vec.c's word2phrase:
score(a, b) = (count(ab) - min-count) / (count(a) * count(b)) * N (N = words in the text), and a
pair is joined when its score is above the threshold. The output is byte-identical to
word2phrase's with the same settings. word2phrase's spellings work too:
  wasm2vec phrases -train text.txt -output phrased.txt -threshold 100 -min-count 5

  --input FILE          text or .gz, "-" for stdin (-train)
  --output FILE         the text with phrases joined (written atomically)
  --threshold T         join pairs scoring above T (default 100; npmi: in [-1, 1], default 0.5);
                        with --passes, one value or a comma list, one per pass
  --min-count N         words and pairs seen fewer times are never joined (default 5)
  --passes N            passes over the text, each joining pairs of the one before, for phrases
                        of up to 2^N words (default 1). word2vec's demo-phrases.sh recipe:
                        --passes 2 --threshold 200,100
  --scoring S           default (word2phrase) or npmi (gensim's Phrases(scoring='npmi'))
  --threads N           threads counting (default: all cores)
  --save-phrases FILE   also write the joined pairs with their scores (Phrases.load reads it)
  --quiet               no summary`;

export async function run(argv: string[]): Promise<number> {
  const { values } = parseCommandLine(normalizeSingleDashOptions(argv, SINGLE_DASH), OPTIONS);
  if (values.help) {
    console.log(PHRASES_USAGE);
    return 0;
  }
  if (!values.input) throw new Wasm2VecError('missing --input (the text to find phrases in)');
  if (!values.output) throw new Wasm2VecError('missing --output (where to write the text with phrases joined)');
  refuseOutputOverInput(values.output, [values.input]);
  if (values['save-phrases'] !== undefined) refuseOutputOverInput(values['save-phrases'], [values.input, values.output], 'save-phrases');
  const thresholds = values.threshold?.split(',').map((t) => numberOption('threshold', t)!);
  const signal = interruptSignal();
  const report = await phraseCorpus({
    input: values.input,
    output: values.output,
    threshold: thresholds && thresholds.length === 1 ? thresholds[0] : thresholds,
    minCount: numberOption('min-count', values['min-count']),
    passes: numberOption('passes', values.passes),
    scoring: values.scoring as 'default' | 'npmi' | undefined,
    threads: numberOption('threads', values.threads),
    signal,
  });
  if (values['save-phrases'] !== undefined) await report.phrases.save(values['save-phrases']);
  if (!values.quiet) {
    report.passes.forEach((p, k) => {
      console.error(`pass ${k + 1}: ${formatCount(p.words)} words, ${formatCount(p.strings)} words and joined pairs, ${formatCount(p.pairs)} pairs; ${formatCount(p.joined)} pairs joined (count ${p.countSeconds.toFixed(1)} s, write ${p.writeSeconds.toFixed(1)} s)`);
    });
    console.error(`wrote ${values.output} in ${report.seconds.toFixed(1)} s on ${report.threads} threads`);
  }
  return 0;
}
