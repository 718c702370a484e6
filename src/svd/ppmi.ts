// The PPMI matrix of counted co-occurrences, as Levy, Goldberg & Dagan's hyperwords computes it:
// PMI(w,c) = log(#(w,c) · Σ_c' #(c')^α / (#(w) · #(c)^α)) − log(neg), kept where it is > 0, with
// #(w) and #(c) the row and column sums of the count matrix and α the context-distribution
// smoothing. The counted records are sorted by (word, context), so the CSR is written in one pass
// after a pass for the sums. Rows and columns are the vocabulary ids 1..V−1, stored 0-based.
import { closeSync, openSync, readSync } from 'node:fs';
import { setImmediate } from 'node:timers/promises';
import { AbortError, Wasm2VecError } from '../errors.js';
import type { RecordSegment } from '../cooccur/record-file.js';
import { ENTRY_BYTES, type SvdPlan } from './layout.js';

/** Records per block read from a file (and per progress or abort check). */
const BLOCK_RECORDS = 1 << 16;
const RECORD_BYTES = 16;

export interface PpmiInput {
  segments: readonly RecordSegment[];
  /** The memory holding the 'memory' segments. */
  recordsMemory: WebAssembly.Memory;
  /** Vocabulary size including id 0 (the line break, which has no row). */
  vocabSize: number;
  cds: number;
  neg: number;
  /** Where the CSR goes: rows and columns vocabSize − 1, entries at plan.entries (capacity ≥ the records). */
  memory: WebAssembly.Memory;
  plan: SvdPlan;
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

export interface PpmiMatrix {
  rows: number;
  cols: number;
  /** Positive entries kept. */
  nnz: number;
  /** Non-zero co-occurrence counts read. */
  pairs: number;
  /** Σ of all counts. */
  total: number;
}

type Block = { words: Uint32Array; values: Float64Array; count: number };

/** The records of every segment, block by block: record r is words[4r], words[4r+1], values[2r+1]. */
async function* recordBlocks(segments: readonly RecordSegment[], memory: WebAssembly.Memory, signal: AbortSignal | undefined): AsyncGenerator<Block> {
  const buffer = new ArrayBuffer(BLOCK_RECORDS * RECORD_BYTES);
  const bytes = new Uint8Array(buffer);
  for (const segment of segments) {
    for (let done = 0; done < segment.count; done += BLOCK_RECORDS) {
      await setImmediate();
      if (signal?.aborted) throw new AbortError();
      const count = Math.min(BLOCK_RECORDS, segment.count - done);
      if (segment.kind === 'memory') {
        const at = segment.offset + done * RECORD_BYTES;
        yield { words: new Uint32Array(memory.buffer, at, count * 4), values: new Float64Array(memory.buffer, at, count * 2), count };
      } else {
        const fd = openSync(segment.path, 'r');
        try {
          const want = count * RECORD_BYTES;
          let got = 0;
          while (got < want) {
            const n = readSync(fd, bytes, got, want - got, segment.offset + done * RECORD_BYTES + got);
            if (n === 0) throw new Wasm2VecError(`${segment.path}: the co-occurrence records end early (expected ${segment.count})`);
            got += n;
          }
        } finally {
          closeSync(fd);
        }
        yield { words: new Uint32Array(buffer, 0, count * 4), values: new Float64Array(buffer, 0, count * 2), count };
      }
    }
  }
}

/** Computes the PPMI matrix of the records into the CSR region of `memory`. */
export async function buildPpmi(input: PpmiInput): Promise<PpmiMatrix> {
  const n = input.vocabSize - 1;
  const pairs = input.segments.reduce((s, g) => s + g.count, 0);
  if (pairs > input.plan.entryCapacity) throw new Error(`internal: ${pairs} records exceed the ${input.plan.entryCapacity} planned entries`);
  const rowSums = new Float64Array(input.vocabSize);
  const colSums = new Float64Array(input.vocabSize);
  let read = 0;
  for await (const { words, values, count } of recordBlocks(input.segments, input.recordsMemory, input.signal)) {
    for (let r = 0; r < count; r++) {
      const x = values[2 * r + 1];
      rowSums[words[4 * r]] += x;
      colSums[words[4 * r + 1]] += x;
    }
    read += count;
    input.onProgress?.(read / pairs / 2);
  }
  // log P_α(c) up to the constant: α·log #(c) − log Σ #(c')^α; log #(w) − log Σ #(w') is the row's.
  let smoothedTotal = 0;
  let total = 0;
  for (let c = 1; c < input.vocabSize; c++) {
    if (colSums[c] > 0) smoothedTotal += Math.pow(colSums[c], input.cds);
    total += rowSums[c];
  }
  const logRow = new Float64Array(input.vocabSize);
  const logCol = new Float64Array(input.vocabSize);
  for (let i = 1; i < input.vocabSize; i++) {
    logRow[i] = Math.log(rowSums[i]);
    logCol[i] = input.cds * Math.log(colSums[i]);
  }
  const offset = Math.log(smoothedTotal) - Math.log(input.neg);

  const rowPtr = new Uint32Array(input.memory.buffer, input.plan.rowPtr, n + 1);
  const entries = new DataView(input.memory.buffer, input.plan.entries, Math.max(1, pairs) * ENTRY_BYTES);
  let nnz = 0;
  let row = 0; // rows < row have their start written
  read = 0;
  for await (const { words, values, count } of recordBlocks(input.segments, input.recordsMemory, input.signal)) {
    for (let r = 0; r < count; r++) {
      const w = words[4 * r];
      const c = words[4 * r + 1];
      while (row < w) rowPtr[row++] = nnz; // row index w − 1 starts here
      const pmi = Math.log(values[2 * r + 1]) - logRow[w] - logCol[c] + offset;
      if (pmi > 0) {
        entries.setUint32(nnz * ENTRY_BYTES, c - 1, true);
        entries.setFloat32(nnz * ENTRY_BYTES + 4, pmi, true);
        nnz++;
      }
    }
    read += count;
    input.onProgress?.(0.5 + read / pairs / 2);
  }
  while (row <= n) rowPtr[row++] = nnz;
  return { rows: n, cols: n, nnz, pairs, total };
}
