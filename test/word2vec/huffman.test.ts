import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildHuffmanTree, MAX_CODE_LENGTH, type HuffmanTree } from '../../src/word2vec/huffman.js';
import { planWord2VecLayout } from '../../src/word2vec/layout.js';

function path(tree: HuffmanTree, word: number) {
  const start = tree.starts[word];
  const end = start + tree.lengths[word];
  return { codes: Array.from(tree.codes.subarray(start, end)), points: Array.from(tree.points.subarray(start, end)) };
}

describe('Huffman tree (word2vec.c CreateBinaryTree)', () => {
  it('gives the hand-computed codes and points for counts 5 4 3 2 1', () => {
    // Merges: (4,3)→5 [3 gets 1]; tie 3 vs 3 takes the inner node first: (5,2)→6 [2 gets 1];
    // (1,0)→7 [0 gets 1]; (6,7)→8 = root [7 gets 1]. Points are inner nodes minus vocab size, root first.
    const tree = buildHuffmanTree([5, 4, 3, 2, 1]);
    expect(path(tree, 0)).toEqual({ codes: [1, 1], points: [3, 2] });
    expect(path(tree, 1)).toEqual({ codes: [1, 0], points: [3, 2] });
    expect(path(tree, 2)).toEqual({ codes: [0, 1], points: [3, 1] });
    expect(path(tree, 3)).toEqual({ codes: [0, 0, 1], points: [3, 1, 0] });
    expect(path(tree, 4)).toEqual({ codes: [0, 0, 0], points: [3, 1, 0] });
    expect(Array.from(tree.starts)).toEqual([0, 2, 4, 6, 9]);
    expect(tree.codes.length).toBe(12);
  });

  it('handles the two-word vocabulary and "</s>" first with a small count, as word2vec.c does', () => {
    const two = buildHuffmanTree([0, 7]);
    expect(path(two, 0)).toEqual({ codes: [1], points: [0] });
    expect(path(two, 1)).toEqual({ codes: [0], points: [0] });
    // '</s>' (count 0) sits at id 0, out of order; the merge still reaches every word.
    const tree = buildHuffmanTree([0, 9, 6, 6, 2]);
    for (let w = 0; w < 5; w++) {
      expect(tree.lengths[w]).toBeGreaterThan(0);
      expect(path(tree, w).points[0]).toBe(3);
    }
    expect(() => buildHuffmanTree([3])).toThrow(/at least 2 words/);
  });

  it('is a prefix-free code of optimal length with every point an inner node, root first', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 2, maxLength: 200 }), (raw) => {
        const counts = raw.sort((a, b) => b - a);
        const n = counts.length;
        const tree = buildHuffmanTree(counts);
        const words = counts.map((_, w) => path(tree, w).codes.join(''));
        const set = new Set(words);
        expect(set.size).toBe(n);
        for (const a of words) for (const b of words) if (a !== b) expect(b.startsWith(a)).toBe(false);
        // Kraft equality: a full binary tree.
        expect(words.reduce((s, c) => s + 2 ** -c.length, 0)).toBeCloseTo(1, 12);
        for (let w = 0; w < n; w++) {
          const { points } = path(tree, w);
          expect(points[0]).toBe(n - 2);
          for (const p of points) expect(p >= 0 && p <= n - 2).toBe(true);
        }
        // Same weighted length as any Huffman code: the sum of all merged counts.
        const heap = [...counts];
        let cost = 0;
        while (heap.length > 1) {
          heap.sort((a, b) => a - b);
          const merged = heap.shift()! + heap.shift()!;
          cost += merged;
          heap.push(merged);
        }
        expect(counts.reduce((s, c, w) => s + c * tree.lengths[w], 0)).toBe(cost);
      }),
      { numRuns: 60 },
    );
  });

  it(`rejects a tree deeper than word2vec.c's ${MAX_CODE_LENGTH} bits with a clear error`, () => {
    // Fibonacci counts make the deepest possible tree: n words, depth n − 1.
    const fib = [1, 1];
    while (fib.length < 45) fib.push(fib[fib.length - 1] + fib[fib.length - 2]);
    expect(() => buildHuffmanTree(fib.slice().reverse())).toThrow(/more than word2vec\.c's limit of 40/);
    expect(() => buildHuffmanTree(fib.slice(0, 41).reverse())).not.toThrow();
  });

  it('reserves the syn1 matrix and the paths only with hs, and syn1neg only with negative sampling', () => {
    const hsOnly = planWord2VecLayout(1000, 100, 1, undefined, 5, 0, 9000);
    expect(hsOnly.output.bytes).toBe(0);
    expect(hsOnly.hsOutput.bytes).toBe(999 * 100 * 4);
    expect(hsOnly.hsCodes.bytes).toBe(9000);
    expect(hsOnly.hsPoints.bytes).toBe(9000 * 4);
    const nsOnly = planWord2VecLayout(1000, 100, 1);
    expect(nsOnly.output.bytes).toBe(1000 * 100 * 4);
    expect(nsOnly.hsOutput.bytes + nsOnly.hsCodes.bytes + nsOnly.hsPaths.bytes).toBe(0);
  });
});
