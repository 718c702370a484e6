/**
 * The training front end, phase by phase, on one thread: reading the corpus, the vocabulary pass
 * (whitespace tokenization and counting in WebAssembly, with each token's provisional id kept),
 * building the vocabulary (decoding the distinct words, sorting by count) and encoding (provisional
 * ids → vocabulary ids, as the trainers do before training); then the vocabulary pass and build as
 * the trainers run them, on all threads.
 *
 *   npm run bench:front-end -- --corpus PATH [--runs N] [--min-count N] [--out DIR] [--no-save]
 *
 * Each phase is timed in every run; the report gives medians, in MB/s of corpus bytes and in
 * tokens/s. The trainers' own summary line gives the same phases for a real run.
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { availableParallelism } from 'node:os';
import { ByteVocabularyCounter } from '../src/corpus/byte-counter.js';
import { countCorpusVocabulary } from '../src/corpus/count-vocabulary.js';
import { IdSpool, encodeToMemory } from '../src/corpus/id-spool.js';
import { describeMachine, machineInfo } from './lib/machine.js';
import { defaultResultsDir } from './lib/paths.js';
import { commandLine, timestampStem, writeResult } from './lib/results.js';
import { markdownTable, rate } from './lib/format.js';
import { median } from './lib/stats.js';

const READ_CHUNK_BYTES = 1 << 20;

interface Run {
  readSeconds: number;
  countSeconds: number;
  vocabularySeconds: number;
  encodeSeconds: number;
  /** countCorpusVocabulary on all threads: the vocabulary pass and build, as the trainers run them. */
  parallelSeconds: number;
  tokens: number;
  distinctWords: number;
  vocabSize: number;
  trainWords: number;
}

async function oneRun(path: string, minCount: number): Promise<Run> {
  let started = performance.now();
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) void chunk;
  const readSeconds = (performance.now() - started) / 1000;

  const spool = new IdSpool();
  try {
    started = performance.now();
    const counter = new ByteVocabularyCounter(spool);
    for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK_BYTES })) counter.add(chunk as Buffer);
    counter.end();
    spool.finish();
    const countSeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const { vocabulary, remap } = counter.finish(minCount);
    const vocabularySeconds = (performance.now() - started) / 1000;

    started = performance.now();
    const encoded = new Int32Array(vocabulary.trainWords);
    const length = encodeToMemory(spool, remap, encoded);
    const encodeSeconds = (performance.now() - started) / 1000;
    if (length !== vocabulary.trainWords) throw new Error(`encoded ${length} ids, expected ${vocabulary.trainWords}`);

    const parallelSpool = new IdSpool();
    started = performance.now();
    try {
      await countCorpusVocabulary(path, parallelSpool, { minCount, threads: availableParallelism() });
    } finally {
      parallelSpool.dispose();
    }
    const parallelSeconds = (performance.now() - started) / 1000;
    return {
      readSeconds, countSeconds, vocabularySeconds, encodeSeconds, parallelSeconds,
      tokens: counter.totalTokens, distinctWords: remap.length, vocabSize: vocabulary.size, trainWords: vocabulary.trainWords,
    };
  } finally {
    spool.dispose();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      corpus: { type: 'string' }, runs: { type: 'string' }, 'min-count': { type: 'string' },
      out: { type: 'string' }, name: { type: 'string' }, 'no-save': { type: 'boolean' },
    },
  });
  if (!values.corpus) throw new Error('--corpus PATH is required (a plain-text corpus)');
  const runs = Number(values.runs ?? 3);
  const minCount = Number(values['min-count'] ?? 5);
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be an integer ≥ 1, got "${values.runs}"`);
  if (!Number.isInteger(minCount) || minCount < 1) throw new Error(`--min-count must be an integer ≥ 1, got "${values['min-count']}"`);

  const path = values.corpus;
  const bytes = statSync(path).size;
  const machine = machineInfo();
  const startedAt = new Date();
  console.log(`front end — ${describeMachine(machine)}`);
  const records: Run[] = [];
  for (let r = 0; r < runs; r++) {
    const run = await oneRun(path, minCount);
    records.push(run);
    console.log(
      `run ${r + 1}/${runs}: read ${run.readSeconds.toFixed(3)} s, vocabulary pass ${run.countSeconds.toFixed(3)} s, build ${run.vocabularySeconds.toFixed(3)} s, ` +
        `encode ${run.encodeSeconds.toFixed(3)} s; pass and build on ${availableParallelism()} threads ${run.parallelSeconds.toFixed(3)} s`,
    );
  }
  const last = records[records.length - 1];
  const phase = (label: string, what: string, pick: (r: Run) => number, units: number) => {
    const seconds = median(records.map(pick));
    return [label, what, seconds.toFixed(3), `${((bytes / 1e6) / seconds).toFixed(0)}`, rate(units / seconds)];
  };
  const rows = [
    phase('read', 'stream the file in 1 MiB chunks', (r) => r.readSeconds, last.tokens),
    phase('vocabulary pass', 'tokenize, hash and count every token; keep its provisional id', (r) => r.countSeconds, last.tokens),
    phase('build vocabulary', `of ${last.distinctWords.toLocaleString('en-US')} distinct words keep count ≥ ${minCount} (decoded to strings), sort`, (r) => r.vocabularySeconds, last.tokens),
    phase('encode', 'provisional ids → vocabulary ids (dropped words removed)', (r) => r.encodeSeconds, last.tokens),
    phase('all', 'the front end before training, one thread', (r) => r.countSeconds + r.vocabularySeconds + r.encodeSeconds, last.tokens),
    phase(`pass and build, ${availableParallelism()} threads`, 'as the trainers run it: a file ≥ 32 MiB split at spaces, ranges counted at once, merged', (r) => r.parallelSeconds, last.tokens),
  ];
  const table = markdownTable(['phase', 'what', 'seconds (median)', 'MB/s', 'tokens/s'], rows, ['l', 'l', 'r', 'r', 'r']);
  const command = commandLine('npm run bench:front-end');
  const markdown = [
    '# Front end: reading, vocabulary, encoding',
    '',
    `\`${command}\``,
    '',
    `- Machine: ${describeMachine(machine)}.`,
    `- Corpus: \`${basename(path)}\`, ${bytes.toLocaleString('en-US')} bytes, ${last.tokens.toLocaleString('en-US')} tokens (line ends included), ` +
      `${last.distinctWords.toLocaleString('en-US')} distinct words, ${last.vocabSize.toLocaleString('en-US')} with min-count ${minCount} (${last.trainWords.toLocaleString('en-US')} training words).`,
    `- One thread except the last line, ${runs} run(s); medians. MB/s = corpus bytes ÷ seconds; tokens/s = corpus tokens ÷ seconds.`,
    '',
    table,
    '',
  ].join('\n');
  console.log(`\n${table}`);
  if (values['no-save']) return;
  const stem = timestampStem(startedAt, values.name ?? 'front-end');
  const files = writeResult(values.out ?? defaultResultsDir, { kind: 'front-end', name: values.name ?? 'front-end', started: startedAt.toISOString(), stem, command },
    { machine, corpus: { path, bytes }, minCount, runs: records }, markdown);
  console.log(`\nwrote ${files.markdown}`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
