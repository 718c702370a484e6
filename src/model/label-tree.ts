// fastText's hierarchical-softmax tree over the labels (HierarchicalSoftmaxLoss::buildTree), step
// for step: leaves are the labels in dictionary order (most frequent first), inner node i ≥ nlabels
// takes the two smallest counts, the second gets code 1; inner node i's row in the output matrix is
// i − nlabels. Used by the trainer (paths for the kernel) and by the classifier (prediction by DFS).

export interface LabelTree {
  /** Flattened paths leaf → root: codes (0/1) and output rows, label l's at starts[l], lengths[l] long. */
  codes: Uint8Array;
  points: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
  /** fastText's HierarchicalSoftmaxLoss::predict: top-k labels by DFS, as (log probability, label). */
  best(k: number, threshold: number, sigmoidOfRow: (row: number) => number): [number, number][];
}

export function buildLabelTree(counts: readonly number[]): LabelTree {
  const n = counts.length;
  const nodes = Math.max(1, 2 * n - 1);
  const parent = new Int32Array(nodes).fill(-1);
  const left = new Int32Array(nodes).fill(-1);
  const right = new Int32Array(nodes).fill(-1);
  const count = new Float64Array(nodes).fill(1e15);
  const binary = new Uint8Array(nodes);
  for (let i = 0; i < n; i++) count[i] = counts[i];
  let leaf = n - 1;
  let node = n;
  for (let i = n; i < 2 * n - 1; i++) {
    const mini = [0, 0];
    for (let j = 0; j < 2; j++) {
      if (leaf >= 0 && count[leaf] < count[node]) mini[j] = leaf--;
      else mini[j] = node++;
    }
    left[i] = mini[0];
    right[i] = mini[1];
    count[i] = count[mini[0]] + count[mini[1]];
    parent[mini[0]] = i;
    parent[mini[1]] = i;
    binary[mini[1]] = 1;
  }
  const codes: number[] = [];
  const points: number[] = [];
  const starts = new Int32Array(n);
  const lengths = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = codes.length;
    for (let j = i; parent[j] !== -1; j = parent[j]) {
      points.push(parent[j] - n);
      codes.push(binary[j]);
    }
    lengths[i] = codes.length - starts[i];
  }
  const root = 2 * n - 2;
  const stdLog = (x: number) => Math.log(x + 1e-5);
  return {
    codes: Uint8Array.from(codes),
    points: Int32Array.from(points),
    starts,
    lengths,
    best(k, threshold, sigmoidOfRow) {
      const heap: [number, number][] = [];
      const logThreshold = stdLog(threshold);
      const worst = () => heap.reduce((m, h) => Math.min(m, h[0]), Infinity);
      const dfs = (at: number, score: number) => {
        if (score < logThreshold) return;
        if (heap.length === k && score < worst()) return;
        if (left[at] === -1 && right[at] === -1) {
          heap.push([score, at]);
          if (heap.length > k) {
            let w = 0;
            for (let i = 1; i < heap.length; i++) if (heap[i][0] < heap[w][0]) w = i;
            heap.splice(w, 1);
          }
          return;
        }
        const f = sigmoidOfRow(at - n);
        dfs(left[at], score + stdLog(1 - f));
        dfs(right[at], score + stdLog(f));
      };
      dfs(n === 1 ? 0 : root, 0);
      return heap.sort((a, b) => b[0] - a[0] || a[1] - b[1]);
    },
  };
}
