#!/usr/bin/env node
// The `wasm2vec` command: one subcommand per module in src/cli/commands/.
import { AbortError, Wasm2VecError } from '../errors.js';

type Command = { summary: string; load: () => Promise<{ run(argv: string[]): Promise<number> }> };

const COMMANDS: Record<string, Command> = {
  train: { summary: 'train word2vec vectors (skip-gram or CBOW); accepts word2vec.c options', load: () => import('./commands/train.js') },
  glove: { summary: 'train GloVe vectors (count, shuffle, AdaGrad); accepts Stanford GloVe options', load: () => import('./commands/glove.js') },
  similar: { summary: 'nearest neighbours of a word', load: () => import('./commands/similar.js') },
  analogy: { summary: 'a : b :: c : ?', load: () => import('./commands/analogy.js') },
  eval: { summary: 'analogy accuracy and word-pair correlation of a model', load: () => import('./commands/eval.js') },
  segment: { summary: 'write a corpus tokenized (e.g. Chinese: --tokenizer jieba --normalize t2s), one line per line', load: () => import('./commands/segment.js') },
  demo: { summary: 'train on the bundled sample corpus and show neighbours (npm start)', load: () => import('./commands/demo.js') },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(9)} ${c.summary}`);
  return `usage: wasm2vec <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`wasm2vec <command> --help\` for a command's options.`;
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

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Wasm2VecError) {
      console.error(`wasm2vec: ${error.message}`);
      process.exitCode = 1;
    } else if (error instanceof AbortError) {
      console.error('wasm2vec: aborted; no output was written');
      process.exitCode = 130;
    } else {
      console.error(error);
      process.exitCode = 70;
    }
  },
);
