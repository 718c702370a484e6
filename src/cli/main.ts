#!/usr/bin/env node
// The `wasm2vec` command: one subcommand per module in src/cli/commands/.
// Failure policy (README "Failure behaviour"): a Wasm2VecError prints one line and exits 1; an
// interrupted run exits 130 (SIGINT) or 143 (SIGTERM); anything else is a bug: one line, exit 70.
// `--debug` or DEBUG=wasm2vec adds the stack trace.
import { AbortError, Wasm2VecError, fromSystemError } from '../errors.js';
import { installInterruptHandlers, interruptExitCode } from './interrupt.js';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  train: { summary: 'train word2vec vectors (skip-gram or CBOW); accepts word2vec.c options', load: () => import('./commands/train.js') },
  glove: { summary: 'train GloVe vectors (count, shuffle, AdaGrad); accepts Stanford GloVe options', load: () => import('./commands/glove.js') },
  svd: { summary: 'train count-based vectors: PPMI + truncated SVD (hyperwords recipe)', load: () => import('./commands/svd.js') },
  similar: { summary: 'nearest neighbours of a word', load: () => import('./commands/similar.js') },
  analogy: { summary: 'a : b :: c : ?', load: () => import('./commands/analogy.js') },
  eval: { summary: 'analogy accuracy and word-pair correlation of a model', load: () => import('./commands/eval.js') },
  supervised: { summary: 'train a text classifier (fastText supervised); accepts fastText options', load: () => import('./commands/supervised.js') },
  predict: { summary: 'most probable labels of each line, with a classifier (fastText predict)', load: () => import('./commands/predict.js') },
  'predict-prob': { summary: 'labels and their probabilities for each line (fastText predict-prob)', load: () => import('./commands/predict-prob.js') },
  test: { summary: 'N, P@k and R@k of a classifier on a labelled file (fastText test)', load: () => import('./commands/test.js') },
  'print-word-vectors': { summary: 'word vectors of words read from stdin (fastText\'s command)', load: () => import('./commands/print-word-vectors.js') },
  'print-sentence-vectors': { summary: 'one vector per stdin line (fastText\'s command)', load: () => import('./commands/print-sentence-vectors.js') },
  segment: { summary: 'write a corpus tokenized (e.g. Chinese: --tokenizer jieba --normalize t2s), one line per line', load: () => import('./commands/segment.js') },
  phrases: { summary: 'join frequent word pairs into phrases (word2vec.c word2phrase; gensim npmi)', load: () => import('./commands/phrases.js') },
  demo: { summary: 'train on the bundled sample corpus and show neighbours (npm start)', load: () => import('./commands/demo.js') },
  serve: { summary: 'explore a model (or compare two) in the browser: neighbours, analogies, a 2-D map', load: () => import('./commands/serve.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(22)} ${c.summary}`);
  return `usage: wasm2vec <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`wasm2vec <command> --help\` for a command's options.\n--debug (or DEBUG=wasm2vec) prints stack traces with errors.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { createRequire } = await import('node:module');
    console.log(createRequire(import.meta.url)('../../../package.json').version);
    return 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`wasm2vec: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return (await command.load()).run(rest);
}

const args = process.argv.slice(2);
const debug = args.includes('--debug') || /(^|,)\s*wasm2vec\s*(,|$)/.test(process.env.DEBUG ?? '');
installInterruptHandlers();

main(args.filter((a) => a !== '--debug')).then(
  (code) => {
    process.exitCode = code;
  },
  (thrown: unknown) => {
    const error = fromSystemError(thrown, 'access');
    const stack = () => {
      if (debug && error instanceof Error) console.error(error.stack);
    };
    if (error instanceof AbortError || (interruptExitCode() !== undefined && !(error instanceof Wasm2VecError))) {
      console.error('wasm2vec: interrupted; no output was written (an earlier file at the output path is unchanged)');
      stack();
      process.exitCode = interruptExitCode() ?? 130;
      // Everything is cleaned up; a source still blocked in a read (stdin) must not keep the process alive.
      setTimeout(() => process.exit(), 200).unref();
    } else if (error instanceof Wasm2VecError) {
      console.error(`wasm2vec: ${error.message}`);
      stack();
      process.exitCode = 1;
    } else {
      const message = error instanceof Error ? `${error.name}: ${error.message.split('\n')[0]}` : String(error);
      console.error(`wasm2vec: internal error: ${message}${debug ? '' : ' (run with --debug for the stack trace, and please report it)'}`);
      stack();
      process.exitCode = 70;
    }
  },
);
