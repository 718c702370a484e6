/**
 * Write and read a synthetic 100 000 × 100 table in every embedding format and report throughput.
 *
 *   npx tsc -p tsconfig.json && node dist/bench/load-formats.js [words] [dim]
 *
 * Files go to a temporary directory that is removed afterwards. Each measurement is the best of
 * REPEATS runs (the machine is shared); writes include the fsync of the atomic writer.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readEmbeddings, writeEmbeddings, type EmbeddingFormat } from '../src/formats/index.js';

const WORDS = Number(process.argv[2] ?? 100_000);
const DIM = Number(process.argv[3] ?? 100);
const REPEATS = 3;
const FORMATS: EmbeddingFormat[] = ['word2vec-text', 'word2vec-binary', 'glove-text', 'fasttext-vec'];

function table() {
  const words = Array.from({ length: WORDS }, (_, i) => (i % 10 === 0 ? `wörd${i}` : `word${i}`));
  const vectors = new Float32Array(WORDS * DIM);
  let s = 42;
  for (let i = 0; i < vectors.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    vectors[i] = (s / 2 ** 32 - 0.5) * 0.2; // typical magnitude of trained vectors
  }
  return { words, dim: DIM, vectors };
}

async function best(fn: () => Promise<void>): Promise<number> {
  let min = Infinity;
  for (let i = 0; i < REPEATS; i++) {
    const t0 = performance.now();
    await fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'wasm2vec-bench-formats-'));
  const t = table();
  console.log(`${WORDS} words × ${DIM} dims, best of ${REPEATS}`);
  console.log('format            size MB   write ms  write MB/s   read ms  read MB/s');
  try {
    for (const format of FORMATS) {
      const path = join(dir, `table.${format === 'fasttext-vec' ? 'vec' : format}`);
      const writeMs = await best(() => writeEmbeddings(path, t, { format }));
      const size = (await stat(path)).size;
      let words = 0;
      const readMs = await best(async () => {
        words = (await readEmbeddings(path, { format })).words.length;
      });
      if (words !== WORDS) throw new Error(`read ${words} words, expected ${WORDS}`);
      const mb = size / 1e6;
      console.log(
        `${format.padEnd(16)} ${mb.toFixed(1).padStart(8)} ${writeMs.toFixed(0).padStart(10)} ${(mb / (writeMs / 1000)).toFixed(0).padStart(11)}` +
          ` ${readMs.toFixed(0).padStart(9)} ${(mb / (readMs / 1000)).toFixed(0).padStart(10)}`,
      );
      await rm(path, { force: true });
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
