import { Wasm2VecError } from '../errors.js';

/** word2vec.c's MAX_CODE_LENGTH: the deepest path the Huffman tree may have. */
export const MAX_CODE_LENGTH = 40;

/**
 * The Huffman tree of hierarchical softmax, flattened: word w's path from the root has
 * `lengths[w]` inner nodes, starting at `starts[w]` in `codes` (the branch taken at each node,
 * 0 or 1) and `points` (the node's row in the syn1 matrix, 0 .. vocabSize − 2; the root is
 * vocabSize − 2).
 */
export interface HuffmanTree {
  codes: Uint8Array;
  points: Int32Array;
  starts: Int32Array;
  lengths: Int32Array;
}

/**
 * word2vec.c's CreateBinaryTree, step for step: the vocabulary is expected in its training order
 * (word2vec.c sorts it by count, '</s>' first with whatever count it has), the two-queue merge
 * takes the smaller count first (ties: the inner-node queue), the second pick gets code 1, and
 * codes and points are stored root first.
 */
export function buildHuffmanTree(counts: ArrayLike<number>): HuffmanTree {
  const n = counts.length;
  if (n < 2) throw new Wasm2VecError(`hierarchical softmax needs at least 2 words in the vocabulary, got ${n}`);
  const count = new Float64Array(2 * n + 1);
  const binary = new Uint8Array(2 * n + 1);
  const parent = new Int32Array(2 * n + 1);
  for (let a = 0; a < n; a++) count[a] = counts[a];
  for (let a = n; a < 2 * n; a++) count[a] = 1e15;
  let pos1 = n - 1;
  let pos2 = n;
  const pick = (): number => {
    if (pos1 >= 0 && count[pos1] < count[pos2]) return pos1--;
    return pos2++;
  };
  for (let a = 0; a < n - 1; a++) {
    const min1 = pick();
    const min2 = pick();
    count[n + a] = count[min1] + count[min2];
    parent[min1] = n + a;
    parent[min2] = n + a;
    binary[min2] = 1;
  }
  const root = 2 * n - 2;
  const lengths = new Int32Array(n);
  const starts = new Int32Array(n);
  let total = 0;
  for (let a = 0; a < n; a++) {
    let length = 0;
    for (let b = a; b !== root; b = parent[b]) length++;
    if (length > MAX_CODE_LENGTH) {
      throw new Wasm2VecError(
        `the Huffman code of word ${a} is ${length} bits long, more than word2vec.c's limit of ${MAX_CODE_LENGTH}; ` +
          'raise minCount or use negative sampling without hs',
      );
    }
    lengths[a] = length;
    starts[a] = total;
    total += length;
  }
  const codes = new Uint8Array(total);
  const points = new Int32Array(total);
  for (let a = 0; a < n; a++) {
    // Walk leaf → root, filling the path from its end: position 0 is the root.
    const start = starts[a];
    let i = lengths[a] - 1;
    let b = a;
    while (b !== root) {
      codes[start + i] = binary[b];
      // word2vec.c: point[i − b] = parent − vocab_size, point[0] = vocab_size − 2 (the root).
      points[start + i] = parent[b] - n;
      b = parent[b];
      i--;
    }
  }
  return { codes, points, starts, lengths };
}
