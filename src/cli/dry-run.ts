// `--dry-run`, shared by every trainer command (train, glove, svd, supervised): the trainer runs
// with `planOnly: true` (the vocabulary pass, then the layout) and the command prints the memory
// plan on stdout and exits 0, writing nothing.
import { formatMemoryPlan, type MemoryPlan } from '../runtime/memory-plan.js';

/** The plan's lines (region sizes, sharing, names; the total; notes), or the plan as one JSON line. */
export function printMemoryPlan(plan: MemoryPlan, json: boolean): void {
  console.log(json ? JSON.stringify(plan) : formatMemoryPlan(plan).join('\n'));
}
