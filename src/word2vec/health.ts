// The numerical health check of word2vec training: after each chunk a worker looks at a few rows the
// chunk trained (input and output rows of sampled words). A row with NaN or Infinity, or one grown
// far beyond what converging training produces, means the run diverged: stopping at the first chunk
// turns a model of NaN found at save time into an early error. Cost: HEALTH_SAMPLES × 2 rows per
// chunk of CHUNK_IDS (262 144) ids, i.e. a few thousand float reads per quarter-million words.
import { C_ABORT, C_DIM, C_HS, C_HS_OUTPUT, C_INPUT, C_NEGATIVE, C_OUTPUT, C_VOCAB_SIZE } from '../abi/word2vec.js';

/** Words sampled per chunk. */
export const HEALTH_SAMPLES = 8;
/**
 * Word vectors of converging training stay within a few units per component (and far below this);
 * diverging ones pass it on their way to Infinity.
 */
export const HEALTH_LIMIT = 1e4;

export interface Divergence {
  word: number;
  matrix: 'input' | 'output';
  value: number;
}

/**
 * Checks the rows of up to HEALTH_SAMPLES words spread over the chunk's `count` ids at byte offset
 * `ids`. Returns the first bad value found, or undefined when all sampled rows are healthy.
 */
export function checkChunkHealth(memory: WebAssembly.Memory, config: number, ids: number, count: number): Divergence | undefined {
  const cfg = new DataView(memory.buffer, config, 128);
  const stride = cfg.getInt32(C_DIM, true);
  const vocabSize = cfg.getInt32(C_VOCAB_SIZE, true);
  const matrices: Array<[Divergence['matrix'], number, number]> = [['input', cfg.getUint32(C_INPUT, true), vocabSize]];
  if (cfg.getInt32(C_NEGATIVE, true) > 0) matrices.push(['output', cfg.getUint32(C_OUTPUT, true), vocabSize]);
  else if (cfg.getInt32(C_HS, true) !== 0) matrices.push(['output', cfg.getUint32(C_HS_OUTPUT, true), vocabSize - 1]);
  const idView = new Int32Array(memory.buffer, ids, count);
  const step = Math.max(1, Math.floor(count / HEALTH_SAMPLES));
  for (let i = 0; i < count; i += step) {
    const word = idView[i];
    for (const [matrix, offset, rows] of matrices) {
      if (word < 0 || word >= rows) continue;
      const row = new Float32Array(memory.buffer, offset + word * stride * 4, stride);
      for (let k = 0; k < stride; k++) {
        const v = row[k];
        if (!(Math.abs(v) < HEALTH_LIMIT)) return { word, matrix, value: v };
      }
    }
  }
  return undefined;
}

/** Stops every worker of the run at its next sentence (the kernels poll this flag). */
export function stopRun(memory: WebAssembly.Memory, config: number): void {
  Atomics.store(new Int32Array(memory.buffer, config + C_ABORT, 1), 0, 1);
}
