// node dist/bench/svd/factorise.js --ppmi MATRIX.mtx --words VECTORS.txt --out PREFIX [options]: runs
// wasm2vec's randomized SVD alone on a saved PPMI matrix (wasm2vec's --save-ppmi or
// bench/svd/pipeline.py --save-ppmi), once per seed, without counting again. For the seed spread
// of the quality figures (PREFIX-s<seed>.txt: W = U·Σ^eig, rows normalised, word2vec text; with --raw
// also PREFIX-s<seed>-raw.txt = U·Σ for bench/svd/check.py), and for A/B runs of the SVD phase
// while changing its kernels (the seconds it prints are one process on a possibly busy machine).
// --omega runs it on another implementation's test matrix Ω (bench/svd/omega.py writes
// scikit-learn's), so that only the arithmetic differs.
import { openSync, readSync, closeSync, readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { KeyedVectors } from '../../src/model/index.js';
import { createSvdMemory, planSvd, ENTRY_BYTES } from '../../src/svd/layout.js';
import { randomizedSvd } from '../../src/svd/randomized-svd.js';
import { seconds } from '../../src/runtime/phases.js';

const { values } = parseArgs({
  options: {
    ppmi: { type: 'string' }, words: { type: 'string' }, out: { type: 'string' }, seeds: { type: 'string' }, dim: { type: 'string' },
    oversamples: { type: 'string' }, 'power-iterations': { type: 'string' }, threads: { type: 'string' }, eig: { type: 'string' },
    raw: { type: 'boolean' }, repeat: { type: 'string' }, omega: { type: 'string' },
  },
});
if (!values.ppmi) {
  console.log(`usage: node dist/bench/svd/factorise.js --ppmi MATRIX.mtx [--words VECTORS.txt --out PREFIX] [--seeds 1,2,3]
  [--dim 100 --oversamples 10 --power-iterations 7 --threads 2 --eig 0.5] [--raw] [--repeat N (time only)]
  [--omega PREFIX: Ω from PREFIX-s<seed>.f64, cols × (dim + oversamples) little-endian f64, row-major, e.g. scikit-learn's]`);
  process.exit(2);
}
const dim = Number(values.dim ?? 100);
const oversamples = Number(values.oversamples ?? 10);
const powerIterations = Number(values['power-iterations'] ?? 7);
const threads = Number(values.threads ?? 2);
const eig = Number(values.eig ?? 0.5);
const seeds = (values.seeds ?? '1').split(',').map(Number);
const repeat = Number(values.repeat ?? 1);

/** Streams a coordinate Matrix Market file: (row, col, value) 0-based, in file order. */
function* matrixEntries(path: string): Generator<[number, number, number] | { rows: number; cols: number; nnz: number }> {
  const fd = openSync(path, 'r');
  const chunk = Buffer.alloc(1 << 24);
  let rest = '';
  let sized = false;
  try {
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      const text = rest + chunk.toString('latin1', 0, n);
      const lines = text.split('\n');
      rest = n === 0 ? '' : lines.pop()!;
      for (const line of lines) {
        if (line === '' || line.startsWith('%')) continue;
        const parts = line.trim().split(/\s+/);
        if (!sized) {
          sized = true;
          yield { rows: Number(parts[0]), cols: Number(parts[1]), nnz: Number(parts[2]) };
        } else yield [Number(parts[0]) - 1, Number(parts[1]) - 1, Number(parts[2])];
      }
      if (n === 0) break;
    }
  } finally {
    closeSync(fd);
  }
}

const readStarted = performance.now();
const it = matrixEntries(values.ppmi);
const size = it.next().value as { rows: number; cols: number; nnz: number };
const { rows, cols, nnz } = size;
const row = new Uint32Array(nnz);
const col = new Uint32Array(nnz);
const val = new Float32Array(nnz);
let e = 0;
for (const entry of it) {
  const [r, c, v] = entry as [number, number, number];
  row[e] = r;
  col[e] = c;
  val[e++] = v;
}
if (e !== nnz) throw new Error(`${values.ppmi}: ${e} entries, the header says ${nnz}`);
const width = Math.min(rows, cols, dim + oversamples);
const plan = planSvd(rows, cols, nnz, width, threads);
const memory = createSvdMemory(plan);
// CSR by a counting sort on the rows (columns keep their file order within a row).
const rowPtr = new Uint32Array(memory.buffer, plan.rowPtr, rows + 1);
for (let i = 0; i < nnz; i++) rowPtr[row[i] + 1]++;
for (let i = 0; i < rows; i++) rowPtr[i + 1] += rowPtr[i];
const cursor = rowPtr.slice(0, rows);
const entries = new DataView(memory.buffer, plan.entries, nnz * ENTRY_BYTES);
for (let i = 0; i < nnz; i++) {
  const at = cursor[row[i]]++ * ENTRY_BYTES;
  entries.setUint32(at, col[i], true);
  entries.setFloat32(at + 4, val[i], true);
}
console.error(`read ${rows} × ${cols}, ${nnz} entries in ${seconds(readStarted).toFixed(1)} s`);

const words = values.words ? readFileSync(values.words, 'utf8').split('\n').slice(1, rows + 1).map((l) => l.slice(0, l.indexOf(' '))) : undefined;
for (const seed of seeds) {
  for (let r = 0; r < repeat; r++) {
    const started = performance.now();
    const testMatrix = values.omega ? new Float64Array(readFileSync(`${values.omega}-s${seed}.f64`).buffer.slice(0)) : undefined;
    const svd = await randomizedSvd({ memory, plan, rank: dim, powerIterations, seed, threads, testMatrix });
    const svdSeconds = seconds(started);
    console.log(JSON.stringify({ seed, threads, svdSeconds, sigmaFirst: svd.sigma[0], sigmaLast: svd.sigma[dim - 1], shiftedPasses: svd.shiftedPasses }));
    if (r > 0 || !words || !values.out) continue;
    for (const [suffix, power, normalise] of [['', eig, true], ...(values.raw ? [['-raw', 1, false]] : [])] as [string, number, boolean][]) {
      const m = new Float32Array(rows * dim);
      for (let i = 0; i < rows; i++) {
        let norm = 0;
        for (let j = 0; j < dim; j++) norm += (svd.u[i * dim + j] * svd.sigma[j] ** power) ** 2;
        const f = normalise && norm > 0 ? 1 / Math.sqrt(norm) : 1;
        for (let j = 0; j < dim; j++) m[i * dim + j] = svd.u[i * dim + j] * svd.sigma[j] ** power * f;
      }
      await new KeyedVectors(words, dim, m).save(`${values.out}-s${seed}${suffix}.txt`, { format: 'word2vec-text' });
    }
  }
}
