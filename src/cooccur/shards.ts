// Worker-side tasks of the co-occurrence engine: counting a share of the word1 rows (spilling sorted
// runs to files when the sparse buffer fills) and merging runs into one sorted record stream.
import { closeSync, fstatSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { readExactly, writeAll, type Store } from '../runtime/stores.js';
import { instantiateKernels, type KernelExports } from '../runtime/kernels.js';
import { COUNT_BLOCK, MAX_FAN_IN, MERGE_BLOCK, RECORD_BYTES, SOURCE_BYTES, clamp } from './layout.js';

/** A sorted run of counted records in a temporary file. */
export interface RunFile {
  path: string;
  records: number;
}

/** One worker's share of the count: every target of the stream, for the word1 rows it owns. */
export interface CountTask {
  kind: 'cooccur-count';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  worker: number;
  /** The count block, filled in by the main thread except for the stream fields. */
  block: number;
  sparse: number;
  rowStart: number;
  dense: number;
  rowBegin: number;
  rowEnd: number;
  window: number;
  stream: Store<{ length: number }, { length: number; buffer: number; bufferIds: number }>;
  tempDir: string;
}

/** Targets per countCooccurrences call (a few ms of work). */
const COUNT_SLICE_TARGETS = 1 << 16;
const WARM_UP_KEYS = 1 << 15;

export interface CountResult {
  aborted: boolean;
  words: number;
  /** Spilled runs, in corpus order; empty when everything fitted in the sparse buffer. */
  runs: RunFile[];
  /** The only run, left in the sparse region, when nothing was spilled. */
  memoryRun?: { offset: number; records: number };
  denseNonzero: number;
  denseAdds: number;
  sparseAdds: number;
}

export function runCountShard(task: CountTask): CountResult {
  const kernels = instantiateKernels(task.memory, task.module);
  const view = new DataView(task.memory.buffer);
  const block = task.block;
  const runs: RunFile[] = [];
  const spill = () => {
    const n = kernels.sortReduceRun(block);
    if (n === 0) return;
    const path = join(task.tempDir, `run-${task.worker}-${runs.length}.bin`);
    writeRecords(path, task.memory, task.sparse, n);
    runs.push({ path, records: n });
  };
  const countBuffer = (ids: number, count: number, firstTarget: number): boolean => {
    view.setUint32(block + COUNT_BLOCK.ids, ids, true);
    view.setInt32(block + COUNT_BLOCK.position, firstTarget, true);
    for (let end = firstTarget; end < count; ) {
      end = Math.min(count, end + COUNT_SLICE_TARGETS);
      view.setInt32(block + COUNT_BLOCK.idsCount, end, true);
      for (;;) {
        const status = kernels.countCooccurrences(block);
        if (status < 0) return false;
        if (status === 0) break;
        spill();
      }
    }
    return true;
  };
  // Run the sort once on scratch keys, so V8 has optimised it before the first real run.
  view.setInt32(block + COUNT_BLOCK.sparseFill, Math.min(WARM_UP_KEYS, view.getInt32(block + COUNT_BLOCK.sparseCapacity, true)), true);
  kernels.sortReduceRun(block);
  const result = (aborted: boolean): CountResult => ({
    aborted,
    words: task.stream.length,
    runs,
    denseNonzero: 0,
    denseAdds: Number(view.getBigInt64(block + COUNT_BLOCK.denseAdds, true)),
    sparseAdds: Number(view.getBigInt64(block + COUNT_BLOCK.sparseAdds, true)),
  });

  const stream = task.stream;
  if (stream.kind === 'memory') {
    view.setFloat64(block + COUNT_BLOCK.progressBase, 0, true);
    if (!countBuffer(stream.offset, stream.length, 0)) return result(true);
  } else {
    const fd = openSync(stream.path, 'r');
    try {
      const targets = stream.bufferIds - task.window;
      for (let start = 0; start < stream.length; start += targets) {
        const context = Math.min(task.window, start);
        const from = start - context;
        const count = Math.min(stream.length, start + targets) - from;
        readExactly(fd, task.memory, stream.buffer, count * 4, from * 4, stream.path);
        view.setFloat64(block + COUNT_BLOCK.progressBase, from, true);
        if (!countBuffer(stream.buffer, count, context)) return result(true);
      }
    } finally {
      closeSync(fd);
    }
  }
  const out = result(false);
  if (runs.length === 0) {
    out.memoryRun = { offset: task.sparse, records: kernels.sortReduceRun(block) };
  } else {
    spill();
  }
  out.denseNonzero = kernels.countDenseNonzero(task.rowStart, task.dense, task.rowBegin, task.rowEnd);
  return out;
}

export type MergeOutput = Store<{ capacity: number }, object>;

/** Merges one worker's runs and dense rows into sorted records. */
export interface MergeTask {
  kind: 'cooccur-merge';
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  worker: number;
  block: number;
  sources: number;
  heap: number;
  abortFlag: number;
  dense?: { rowStart: number; dense: number; rowBegin: number; rowEnd: number };
  memoryRun?: { offset: number; records: number };
  runs: RunFile[];
  /** Free memory for the run files' read buffers. */
  workspace: { offset: number; bytes: number };
  /** The output buffer when writing to a file. */
  io: { offset: number; bytes: number };
  output: MergeOutput;
  tempDir: string;
}

export interface MergeResult {
  aborted: boolean;
  words: number;
  records: number;
}

/** Smallest read buffer per run file; the workspace size divided by it bounds the fan-in. */
const MIN_SOURCE_BUFFER_BYTES = 16 * 1024;

export function runMergeShard(task: MergeTask): MergeResult {
  const kernels = instantiateKernels(task.memory, task.module);
  const fanIn = clamp(Math.floor(task.workspace.bytes / MIN_SOURCE_BUFFER_BYTES), 2, MAX_FAN_IN);
  let runs = task.runs;
  let pass = 0;
  try {
    while (runs.length > fanIn) {
      const next: RunFile[] = [];
      for (let g = 0; g < runs.length; g += fanIn) {
        const group = runs.slice(g, g + fanIn);
        if (group.length === 1) {
          next.push(group[0]);
          continue;
        }
        const path = join(task.tempDir, `merge-${task.worker}-${pass}-${g / fanIn}.bin`);
        const n = mergeOnce(kernels, task, group, undefined, undefined, { kind: 'file', path });
        if (n < 0) return { aborted: true, words: 0, records: 0 };
        for (const run of group) rmSync(run.path, { force: true });
        next.push({ path, records: n });
      }
      runs = next;
      pass++;
    }
    const n = mergeOnce(kernels, task, runs, task.dense, task.memoryRun, task.output);
    if (n < 0) return { aborted: true, words: 0, records: 0 };
    return { aborted: false, words: n, records: n };
  } finally {
    for (const run of runs) rmSync(run.path, { force: true });
  }
}

interface OpenRun {
  fd: number;
  position: number;
  size: number;
  buffer: number;
  bufferBytes: number;
  path: string;
}

/** One k-way merge; returns the records written, or −1 if aborted. */
function mergeOnce(
  kernels: KernelExports, task: MergeTask, files: RunFile[], dense: MergeTask['dense'], memoryRun: MergeTask['memoryRun'], output: MergeOutput,
): number {
  const memory = task.memory;
  const view = new DataView(memory.buffer);
  const sourceCount = files.length + (memoryRun ? 1 : 0);
  if (sourceCount > MAX_FAN_IN) throw new Error(`internal: ${sourceCount} merge sources`);
  const perBuffer = files.length > 0 ? Math.floor(task.workspace.bytes / files.length / RECORD_BYTES) * RECORD_BYTES : 0;
  if (files.length > 0 && perBuffer < RECORD_BYTES) throw new Error('internal: no room for the merge buffers');
  const open: OpenRun[] = [];
  let outFd = -1;
  let written = 0;
  const descriptor = (s: number) => task.sources + s * SOURCE_BYTES;
  const refill = (s: number) => {
    const run = open[s];
    const d = descriptor(s);
    const bytes = Math.min(run.bufferBytes, run.size - run.position);
    if (bytes > 0) readExactly(run.fd, memory, run.buffer, bytes, run.position, run.path);
    run.position += bytes;
    view.setUint32(d, run.buffer, true);
    view.setUint32(d + 4, run.buffer + bytes, true);
    view.setInt32(d + 8, run.position >= run.size ? 1 : 0, true);
  };
  try {
    files.forEach((file, i) => {
      const fd = openSync(file.path, 'r');
      open.push({ fd, position: 0, size: fstatSync(fd).size, buffer: task.workspace.offset + i * perBuffer, bufferBytes: perBuffer, path: file.path });
      refill(i);
    });
    if (memoryRun) {
      const d = descriptor(files.length);
      view.setUint32(d, memoryRun.offset, true);
      view.setUint32(d + 4, memoryRun.offset + memoryRun.records * RECORD_BYTES, true);
      view.setInt32(d + 8, 1, true);
    }
    const b = task.block;
    for (let i = 0; i < MERGE_BLOCK.bytes; i += 4) view.setInt32(b + i, 0, true);
    view.setUint32(b + MERGE_BLOCK.sources, task.sources, true);
    view.setInt32(b + MERGE_BLOCK.sourceCount, sourceCount, true);
    view.setUint32(b + MERGE_BLOCK.heap, task.heap, true);
    view.setUint32(b + MERGE_BLOCK.abort, task.abortFlag, true);
    if (dense) {
      view.setUint32(b + MERGE_BLOCK.rowStart, dense.rowStart, true);
      view.setUint32(b + MERGE_BLOCK.dense, dense.dense, true);
      view.setInt32(b + MERGE_BLOCK.denseRow, dense.rowBegin, true);
      view.setInt32(b + MERGE_BLOCK.rowEnd, dense.rowEnd, true);
    }
    if (output.kind === 'memory') {
      view.setUint32(b + MERGE_BLOCK.out, output.offset, true);
      view.setInt32(b + MERGE_BLOCK.outCapacity, output.capacity, true);
    } else {
      outFd = openSync(output.path, 'w');
      view.setUint32(b + MERGE_BLOCK.out, task.io.offset, true);
      view.setInt32(b + MERGE_BLOCK.outCapacity, Math.floor(task.io.bytes / RECORD_BYTES), true);
    }
    const flush = () => {
      const fill = view.getInt32(b + MERGE_BLOCK.outFill, true);
      if (output.kind === 'file' && fill > 0) writeAll(outFd, memory, task.io.offset, fill * RECORD_BYTES);
      written += fill;
      view.setInt32(b + MERGE_BLOCK.outFill, 0, true);
    };
    for (;;) {
      const status = kernels.mergeCooccurrences(b);
      if (status < 0) return -1;
      if (status === 0) break;
      if (status === 1) {
        if (output.kind === 'memory') throw new Error('internal: merge output exceeds its upper bound');
        flush();
      } else if (status === 2) {
        refill(view.getInt32(b + MERGE_BLOCK.needSource, true));
      }
    }
    flush();
    return written;
  } finally {
    for (const run of open) closeSync(run.fd);
    if (outFd >= 0) closeSync(outFd);
  }
}

export function writeRecords(path: string, memory: WebAssembly.Memory, offset: number, records: number): void {
  const fd = openSync(path, 'w');
  try {
    writeAll(fd, memory, offset, records * RECORD_BYTES);
  } finally {
    closeSync(fd);
  }
}
