// The memory plan of a run, as `planOnly: true` returns it and `--dry-run` prints it (issue #18):
// every region of the trainer's MemoryLayout with how the threads share it, the total, and whether
// it fits in wasm32's 4 GiB. Made after the vocabulary pass (the plan depends on the vocabulary
// size), before anything else is allocated or written.
import { MAX_WASM_BYTES, formatBytes, type MemoryLayout, type Sharing } from './memory-layout.js';

export interface MemoryPlanRegion {
  name: string;
  sharing: Sharing;
  bytes: number;
}

export interface MemoryPlan {
  trainer: 'word2vec' | 'glove' | 'svd' | 'supervised';
  /** Words in the vocabulary the plan was made for. */
  vocabSize: number;
  /** The regions in address order (phases that reuse one area list each phase's own). */
  regions: MemoryPlanRegion[];
  /** Bytes of WebAssembly memory the run allocates (for GloVe and SVD: at most, see notes). */
  totalBytes: number;
  /** Whether totalBytes fits in wasm32's 4 GiB; a run that does not is refused before it starts. */
  fits: boolean;
  /** What else the plan depends on: where the corpus stays, what is only known after counting. */
  notes: string[];
}

/** A plan from a laid-out MemoryLayout (its regions and end), or from several, one per phase. */
export function memoryPlan(
  trainer: MemoryPlan['trainer'], vocabSize: number, regions: readonly MemoryPlanRegion[], totalBytes: number, notes: string[] = [],
): MemoryPlan {
  return {
    trainer,
    vocabSize,
    regions: regions.map(({ name, sharing, bytes }) => ({ name, sharing, bytes })),
    totalBytes,
    fits: totalBytes <= MAX_WASM_BYTES,
    notes,
  };
}

export function planOfLayout(trainer: MemoryPlan['trainer'], vocabSize: number, layout: MemoryLayout, notes: string[] = []): MemoryPlan {
  const low = layout.regions[0]?.offset ?? 0;
  const regions = low > 0 ? [{ name: "the kernels' static data and alignment", sharing: 'read-only' as const, bytes: low }, ...layout.regions] : layout.regions;
  return memoryPlan(trainer, vocabSize, regions, layout.totalBytes, notes);
}

/** The plan as `--dry-run` prints it: one line a region (bytes, sharing, name), the total, the notes. */
export function formatMemoryPlan(plan: MemoryPlan): string[] {
  const lines = [`memory plan (${plan.trainer}, ${plan.vocabSize.toLocaleString('en-US')} words in vocabulary):`];
  // Regions a configuration leaves empty (no hierarchical softmax, no subwords) are left out here.
  for (const r of plan.regions) if (r.bytes > 0) lines.push(`${formatBytes(r.bytes).padStart(11)}  ${r.sharing.padEnd(9)}  ${r.name}`);
  lines.push(`${formatBytes(plan.totalBytes).padStart(11)}  total${plan.fits ? '' : ' — more than wasm32\'s 4 GiB: the run would be refused'}`);
  for (const note of plan.notes) lines.push(note);
  return lines;
}
