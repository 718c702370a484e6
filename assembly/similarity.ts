// Query-scoring kernels for KeyedVectors: dot products of a query against every row of a matrix of
// unit-normalised rows, and top-k selection of the best rows, all in WebAssembly SIMD.
//
// Conventions (shared with src/keyed-vectors.ts):
// - every pointer is a byte offset into the imported shared memory; the kernels allocate nothing and
//   keep no state between calls (no mutable globals), so several instances can share one memory;
// - a matrix is `rows` rows of `stride` floats, `stride` a multiple of 4 and every row 16-byte aligned;
//   the padding floats of a row (and of a query) are zero, so they add nothing to a dot product;
// - a top-k result is two parallel arrays of k slots, `outIdx` (i32 row indices) and `outScores` (f32),
//   sorted best first: higher score first, lower index first among equal scores. Slots that no row
//   filled (k larger than the candidates) hold index -1 and score -Infinity. Rows listed in the
//   exclusion array (i32 indices; -1 entries are ignored) are never selected. NaN scores never are.
//
// The selection keeps a binary min-heap of k entries whose root is the worst entry kept, initialised
// with sentinels (-Infinity, -1) so it is always full: a candidate costs one comparison with the root,
// and only the rare candidates that beat the root pay for the exclusion check and a sift-down.

// @ts-ignore: decorator
@inline const NEG_INF: f32 = -Infinity;

/** Whether entry (s, i) ranks strictly before entry (s2, i2). Index -1 (a sentinel) ranks last. */
import { dot } from './vecmath';

// @ts-ignore: decorator
@inline function better(s: f32, i: i32, s2: f32, i2: i32): bool {
  return s > s2 || (s == s2 && <u32>i < <u32>i2);
}

/** Dot product of two 16-byte aligned vectors of n floats, n a multiple of 4. Four accumulators. */
// @ts-ignore: decorator
@inline function dotPadded(a: usize, b: usize, n: i32): f32 {
  if (!ASC_FEATURE_SIMD) return dot(a, b, n); // the plain twin (assembly/vecmath.ts), for the scalar build
  let acc0 = f32x4.splat(0);
  let acc1 = f32x4.splat(0);
  let acc2 = f32x4.splat(0);
  let acc3 = f32x4.splat(0);
  const bytes = <usize>n << 2;
  const bytes16 = bytes & ~(<usize>63);
  let j: usize = 0;
  for (; j < bytes16; j += 64) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + j), v128.load(b + j)));
    acc1 = f32x4.add(acc1, f32x4.mul(v128.load(a + j, 16), v128.load(b + j, 16)));
    acc2 = f32x4.add(acc2, f32x4.mul(v128.load(a + j, 32), v128.load(b + j, 32)));
    acc3 = f32x4.add(acc3, f32x4.mul(v128.load(a + j, 48), v128.load(b + j, 48)));
  }
  for (; j < bytes; j += 16) {
    acc0 = f32x4.add(acc0, f32x4.mul(v128.load(a + j), v128.load(b + j)));
  }
  return hsum(f32x4.add(f32x4.add(acc0, acc1), f32x4.add(acc2, acc3)));
}

// @ts-ignore: decorator
@inline function hsum(v: v128): f32 {
  return (f32x4.extract_lane(v, 0) + f32x4.extract_lane(v, 1)) + (f32x4.extract_lane(v, 2) + f32x4.extract_lane(v, 3));
}

// @ts-ignore: decorator
@inline function isExcluded(i: i32, exclude: usize, nExclude: i32): bool {
  for (let e = 0; e < nExclude; e++) {
    if (load<i32>(exclude + (<usize>e << 2)) == i) return true;
  }
  return false;
}

/** Fills a heap of k slots with sentinels (-Infinity, -1). */
function heapInit(idx: usize, sc: usize, k: i32): void {
  for (let i = 0; i < k; i++) {
    store<i32>(idx + (<usize>i << 2), -1);
    store<f32>(sc + (<usize>i << 2), NEG_INF);
  }
}

/** Puts (s, i) at the root of a heap of `size` slots and sifts it down to its place. */
function siftDown(idx: usize, sc: usize, size: i32, s: f32, i: i32): void {
  let pos = 0;
  while (true) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    let cs = load<f32>(sc + (<usize>child << 2));
    let ci = load<i32>(idx + (<usize>child << 2));
    const right = child + 1;
    if (right < size) {
      const rs = load<f32>(sc + (<usize>right << 2));
      const ri = load<i32>(idx + (<usize>right << 2));
      if (better(cs, ci, rs, ri)) {
        child = right;
        cs = rs;
        ci = ri;
      }
    }
    // the worse child moves up while the new entry ranks before it
    if (!better(s, i, cs, ci)) break;
    store<f32>(sc + (<usize>pos << 2), cs);
    store<i32>(idx + (<usize>pos << 2), ci);
    pos = child;
  }
  store<f32>(sc + (<usize>pos << 2), s);
  store<i32>(idx + (<usize>pos << 2), i);
}

/** Offers candidate (s, i) to a full heap of k >= 1 slots. */
// @ts-ignore: decorator
@inline function heapOffer(idx: usize, sc: usize, k: i32, s: f32, i: i32, exclude: usize, nExclude: i32): void {
  if (better(s, i, load<f32>(sc), load<i32>(idx))) {
    if (!isExcluded(i, exclude, nExclude)) siftDown(idx, sc, k, s, i);
  }
}

/** Heap sort in place: the min-heap becomes an array sorted best first. Returns the number of real entries. */
function heapFinish(idx: usize, sc: usize, k: i32): i32 {
  for (let end = k - 1; end > 0; end--) {
    const rootS = load<f32>(sc);
    const rootI = load<i32>(idx);
    const lastS = load<f32>(sc + (<usize>end << 2));
    const lastI = load<i32>(idx + (<usize>end << 2));
    store<f32>(sc + (<usize>end << 2), rootS);
    store<i32>(idx + (<usize>end << 2), rootI);
    siftDown(idx, sc, end, lastS, lastI);
  }
  let count = 0;
  while (count < k && load<i32>(idx + (<usize>count << 2)) >= 0) count++;
  return count;
}

/**
 * Dot products of one query against every row: out[r] = rows[r] · query.
 * `matrix`: rows × stride floats; `query`: stride floats; `out`: rows floats.
 */
export function scoreRows(matrix: usize, rows: i32, stride: i32, query: usize, out: usize): void {
  const rowBytes = <usize>stride << 2;
  let row = matrix;
  for (let r = 0; r < rows; r++) {
    store<f32>(out + (<usize>r << 2), dotPadded(row, query, stride));
    row += rowBytes;
  }
}

/**
 * The k best of n precomputed scores (f32 at `scores`), skipping excluded indices.
 * Writes k slots at outIdx/outScores (best first) and returns how many are real.
 */
export function topKScores(scores: usize, n: i32, k: i32, exclude: usize, nExclude: i32, outIdx: usize, outScores: usize): i32 {
  if (k <= 0) return 0;
  heapInit(outIdx, outScores, k);
  for (let i = 0; i < n; i++) {
    heapOffer(outIdx, outScores, k, load<f32>(scores + (<usize>i << 2)), i, exclude, nExclude);
  }
  return heapFinish(outIdx, outScores, k);
}

/**
 * Scores every row against one query and keeps the k best (fused: no score array is written).
 * Returns the number of real results written to outIdx/outScores.
 */
export function mostSimilarRows(
  matrix: usize, rows: i32, stride: i32, query: usize, k: i32,
  exclude: usize, nExclude: i32, outIdx: usize, outScores: usize,
): i32 {
  if (k <= 0) return 0;
  heapInit(outIdx, outScores, k);
  const rowBytes = <usize>stride << 2;
  let row = matrix;
  for (let r = 0; r < rows; r++) {
    heapOffer(outIdx, outScores, k, dotPadded(row, query, stride), r, exclude, nExclude);
    row += rowBytes;
  }
  return heapFinish(outIdx, outScores, k);
}

/**
 * The k best rows for each of nQueries queries at once (`queries`: nQueries × stride floats).
 * Query q excludes the nExclude indices at exclude + 4·q·nExclude and writes its k slots at
 * outIdx + 4·q·k and outScores + 4·q·k. Rows are visited in tiles that stay in cache while
 * groups of 4 queries sweep them; the inner kernel scores 2 rows × 4 queries per pass, loading
 * each row chunk once for the 4 queries.
 */
export function mostSimilarBatch(
  matrix: usize, rows: i32, stride: i32, queries: usize, nQueries: i32, k: i32,
  exclude: usize, nExclude: i32, outIdx: usize, outScores: usize,
): void {
  if (k <= 0) return;
  const rowBytes = <usize>stride << 2;
  const heapBytes = <usize>k << 2;
  const exclBytes = <usize>nExclude << 2;
  for (let q = 0; q < nQueries; q++) {
    heapInit(outIdx + <usize>q * heapBytes, outScores + <usize>q * heapBytes, k);
  }
  // a tile of rows of about 32 KiB (an L1 data cache), at least 4 rows
  let tile = <i32>(<usize>32768 / rowBytes);
  if (tile < 4) tile = 4;
  tile &= ~1;

  for (let r0 = 0; r0 < rows; r0 += tile) {
    const r1 = min(rows, r0 + tile);
    let q = 0;
    for (; q + 4 <= nQueries; q += 4) {
      const x0 = queries + <usize>q * rowBytes;
      const x1 = x0 + rowBytes;
      const x2 = x1 + rowBytes;
      const x3 = x2 + rowBytes;
      const i0 = outIdx + <usize>q * heapBytes;
      const s0 = outScores + <usize>q * heapBytes;
      const e0 = exclude + <usize>q * exclBytes;
      let r = r0;
      for (; r + 2 <= r1; r += 2) {
        const a = matrix + <usize>r * rowBytes;
        const b = a + rowBytes;
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        let b0 = f32x4.splat(0);
        let b1 = f32x4.splat(0);
        let b2 = f32x4.splat(0);
        let b3 = f32x4.splat(0);
        for (let j: usize = 0; j < rowBytes; j += 16) {
          const va = v128.load(a + j);
          const vb = v128.load(b + j);
          const v0 = v128.load(x0 + j);
          a0 = f32x4.add(a0, f32x4.mul(va, v0));
          b0 = f32x4.add(b0, f32x4.mul(vb, v0));
          const v1 = v128.load(x1 + j);
          a1 = f32x4.add(a1, f32x4.mul(va, v1));
          b1 = f32x4.add(b1, f32x4.mul(vb, v1));
          const v2 = v128.load(x2 + j);
          a2 = f32x4.add(a2, f32x4.mul(va, v2));
          b2 = f32x4.add(b2, f32x4.mul(vb, v2));
          const v3 = v128.load(x3 + j);
          a3 = f32x4.add(a3, f32x4.mul(va, v3));
          b3 = f32x4.add(b3, f32x4.mul(vb, v3));
        }
        heapOffer(i0, s0, k, hsum(a0), r, e0, nExclude);
        heapOffer(i0, s0, k, hsum(b0), r + 1, e0, nExclude);
        heapOffer(i0 + heapBytes, s0 + heapBytes, k, hsum(a1), r, e0 + exclBytes, nExclude);
        heapOffer(i0 + heapBytes, s0 + heapBytes, k, hsum(b1), r + 1, e0 + exclBytes, nExclude);
        heapOffer(i0 + 2 * heapBytes, s0 + 2 * heapBytes, k, hsum(a2), r, e0 + 2 * exclBytes, nExclude);
        heapOffer(i0 + 2 * heapBytes, s0 + 2 * heapBytes, k, hsum(b2), r + 1, e0 + 2 * exclBytes, nExclude);
        heapOffer(i0 + 3 * heapBytes, s0 + 3 * heapBytes, k, hsum(a3), r, e0 + 3 * exclBytes, nExclude);
        heapOffer(i0 + 3 * heapBytes, s0 + 3 * heapBytes, k, hsum(b3), r + 1, e0 + 3 * exclBytes, nExclude);
      }
      if (r < r1) {
        const a = matrix + <usize>r * rowBytes;
        let a0 = f32x4.splat(0);
        let a1 = f32x4.splat(0);
        let a2 = f32x4.splat(0);
        let a3 = f32x4.splat(0);
        for (let j: usize = 0; j < rowBytes; j += 16) {
          const va = v128.load(a + j);
          a0 = f32x4.add(a0, f32x4.mul(va, v128.load(x0 + j)));
          a1 = f32x4.add(a1, f32x4.mul(va, v128.load(x1 + j)));
          a2 = f32x4.add(a2, f32x4.mul(va, v128.load(x2 + j)));
          a3 = f32x4.add(a3, f32x4.mul(va, v128.load(x3 + j)));
        }
        heapOffer(i0, s0, k, hsum(a0), r, e0, nExclude);
        heapOffer(i0 + heapBytes, s0 + heapBytes, k, hsum(a1), r, e0 + exclBytes, nExclude);
        heapOffer(i0 + 2 * heapBytes, s0 + 2 * heapBytes, k, hsum(a2), r, e0 + 2 * exclBytes, nExclude);
        heapOffer(i0 + 3 * heapBytes, s0 + 3 * heapBytes, k, hsum(a3), r, e0 + 3 * exclBytes, nExclude);
      }
    }
    // the last nQueries % 4 queries, one at a time
    for (; q < nQueries; q++) {
      const x = queries + <usize>q * rowBytes;
      const iq = outIdx + <usize>q * heapBytes;
      const sq = outScores + <usize>q * heapBytes;
      const eq = exclude + <usize>q * exclBytes;
      let row = matrix + <usize>r0 * rowBytes;
      for (let r = r0; r < r1; r++) {
        heapOffer(iq, sq, k, dotPadded(row, x, stride), r, eq, nExclude);
        row += rowBytes;
      }
    }
  }
  for (let q = 0; q < nQueries; q++) {
    heapFinish(outIdx + <usize>q * heapBytes, outScores + <usize>q * heapBytes, k);
  }
}

/**
 * 3CosMul (Levy & Goldberg 2014, as gensim's most_similar_cosmul): for every row d,
 *   score(d) = Π_p (1 + cos(d, p)) / 2  /  (Π_n (1 + cos(d, n)) / 2 + 1e-6)
 * over the nPos unit queries at `pos` and the nNeg at `neg` (each stride floats; an empty product
 * is 1), keeping the k best rows. Returns the number of real results.
 */
export function cosmulTopK(
  matrix: usize, rows: i32, stride: i32, pos: usize, nPos: i32, neg: usize, nNeg: i32, k: i32,
  exclude: usize, nExclude: i32, outIdx: usize, outScores: usize,
): i32 {
  if (k <= 0) return 0;
  heapInit(outIdx, outScores, k);
  const rowBytes = <usize>stride << 2;
  let row = matrix;
  for (let r = 0; r < rows; r++) {
    let num: f32 = 1;
    for (let p = 0; p < nPos; p++) {
      num *= (<f32>1 + dotPadded(row, pos + <usize>p * rowBytes, stride)) * <f32>0.5;
    }
    let den: f32 = 1;
    for (let n = 0; n < nNeg; n++) {
      den *= (<f32>1 + dotPadded(row, neg + <usize>n * rowBytes, stride)) * <f32>0.5;
    }
    heapOffer(outIdx, outScores, k, num / (den + <f32>0.000001), r, exclude, nExclude);
    row += rowBytes;
  }
  return heapFinish(outIdx, outScores, k);
}

/**
 * L2-normalises `rows` vectors of `dim` floats from `src` (srcStride floats apart, any alignment)
 * into `dst` (dstStride floats apart, dstStride >= dim), zeroing dst's padding floats dim..dstStride.
 * src may equal dst (in place, same stride). A zero vector stays zero.
 */
export function normalizeRows(src: usize, srcStride: i32, dst: usize, dstStride: i32, rows: i32, dim: i32): void {
  const srcBytes = <usize>srcStride << 2;
  const dstBytes = <usize>dstStride << 2;
  const vecBytes = <usize>(dim & ~3) << 2;
  const dimBytes = <usize>dim << 2;
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>r * srcBytes;
    const d = dst + <usize>r * dstBytes;
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    let j: usize = 0;
    for (; j + 32 <= vecBytes; j += 32) {
      const v0 = v128.load(s + j);
      const v1 = v128.load(s + j, 16);
      acc0 = f32x4.add(acc0, f32x4.mul(v0, v0));
      acc1 = f32x4.add(acc1, f32x4.mul(v1, v1));
    }
    for (; j < vecBytes; j += 16) {
      const v0 = v128.load(s + j);
      acc0 = f32x4.add(acc0, f32x4.mul(v0, v0));
    }
    let sum = hsum(f32x4.add(acc0, acc1));
    for (; j < dimBytes; j += 4) {
      const x = load<f32>(s + j);
      sum += x * x;
    }
    const norm = sqrt<f32>(sum);
    if (norm > 0) {
      const vn = f32x4.splat(norm);
      j = 0;
      for (; j < vecBytes; j += 16) v128.store(d + j, f32x4.div(v128.load(s + j), vn));
      for (; j < dimBytes; j += 4) store<f32>(d + j, load<f32>(s + j) / norm);
    } else if (s != d) {
      for (j = 0; j < dimBytes; j += 4) store<f32>(d + j, 0);
    }
    for (j = dimBytes; j < dstBytes; j += 4) store<f32>(d + j, 0);
  }
}

// ---- exact top-k through an 8-bit prefilter ----
//
// A scan of a large f32 matrix is bound by memory bandwidth (100 000 × 100 floats = 40 MB per query).
// The prefilter scans an int8 copy instead (a quarter of the bytes): row r is stored as
// r̂_i = round(r_i / s_r) with s_r = max_i |r_i| / 127, the query likewise with s_q, and
// s'(r) = s_r · s_q · Σ q̂_i r̂_i approximates s(r) = q · r within
//   ε = (S/2)·‖q‖₁ + (s_q/2)·L + dim·S·s_q/4 (+ float rounding slack),
// S = max_r s_r and L = max_r ‖r‖₁, since |r_i − s_r r̂_i| ≤ s_r/2 and |q_i − s_q q̂_i| ≤ s_q/2.
// A second heap keeps the k best approximate scores of non-excluded rows; its root τ only grows.
// A row is scored exactly (same f32 dot product as mostSimilarRows) only when s' ≥ τ − 2ε. Every
// row of the exact top k passes: its s' ≥ s − ε ≥ S_k − ε, and τ ≤ A_k ≤ S_k + ε (the k rows with
// approximate score ≥ A_k have exact score ≥ A_k − ε). So the result equals mostSimilarRows'.

/**
 * Builds the int8 copy of unit rows: `out8` rows of q8Stride bytes (q8Stride a multiple of 16,
 * >= dim; padding zero), `scales[r]` = s_r (f32) and `l1[r]` = ‖r‖₁ (f32).
 */
export function quantizeRows(matrix: usize, rows: i32, stride: i32, dim: i32, out8: usize, q8Stride: i32, scales: usize, l1: usize): void {
  const rowBytes = <usize>stride << 2;
  for (let r = 0; r < rows; r++) {
    const row = matrix + <usize>r * rowBytes;
    const dst = out8 + <usize>r * <usize>q8Stride;
    let m: f32 = 0;
    let sum: f32 = 0;
    for (let i = 0; i < dim; i++) {
      const a = abs<f32>(load<f32>(row + (<usize>i << 2)));
      if (a > m) m = a;
      sum += a;
    }
    const scale: f32 = m > 0 ? m / <f32>127 : 0;
    const inv: f32 = m > 0 ? <f32>127 / m : 0;
    for (let i = 0; i < q8Stride; i++) {
      let v: f32 = i < dim ? nearest<f32>(load<f32>(row + (<usize>i << 2)) * inv) : 0;
      if (v > 127) v = 127;
      if (v < -127) v = -127;
      store<i8>(dst + <usize>i, <i8><i32>v);
    }
    store<f32>(scales + (<usize>r << 2), scale);
    store<f32>(l1 + (<usize>r << 2), sum);
  }
}

/**
 * A row whose approximate score may reach the top k: unless excluded, score it exactly into the
 * result heap and offer its approximate score to the threshold heap.
 */
// @ts-ignore: decorator
@inline function prefilterCandidate(
  sApprox: f32, r: i32, matrix: usize, stride: i32, query: usize, approx: usize, k: i32, twoEps: f32,
  exclude: usize, nExclude: i32, outIdx: usize, outScores: usize,
): void {
  const tau = load<f32>(approx);
  if (sApprox >= tau - twoEps && !isExcluded(r, exclude, nExclude)) {
    const exact = dotPadded(matrix + <usize>r * (<usize>stride << 2), query, stride);
    if (better(exact, r, load<f32>(outScores), load<i32>(outIdx))) siftDown(outIdx, outScores, k, exact, r);
    if (sApprox > tau) siftDownF(approx, k, sApprox);
  }
}

/** Replaces the root of a float min-heap of `size` slots by x and sifts it down. */
function siftDownF(h: usize, size: i32, x: f32): void {
  let pos = 0;
  while (true) {
    let child = 2 * pos + 1;
    if (child >= size) break;
    let c = load<f32>(h + (<usize>child << 2));
    const right = child + 1;
    if (right < size) {
      const rc = load<f32>(h + (<usize>right << 2));
      if (rc < c) {
        child = right;
        c = rc;
      }
    }
    if (!(x > c)) break;
    store<f32>(h + (<usize>pos << 2), c);
    pos = child;
  }
  store<f32>(h + (<usize>pos << 2), x);
}

/**
 * The same top k as mostSimilarRows (same scores, same order), through the int8 prefilter.
 * `q8`/`scales` from quantizeRows (over the same unit rows), `maxScale` = max s_r, `maxL1` = max ‖r‖₁.
 * Scratch: `query16` (2·q8Stride bytes, 16-byte aligned) and `approx` (4·k bytes).
 */
export function mostSimilarQuantized(
  matrix: usize, q8: usize, scales: usize, rows: i32, stride: i32, dim: i32, q8Stride: i32,
  maxScale: f32, maxL1: f32, query: usize, query16: usize, approx: usize, k: i32,
  exclude: usize, nExclude: i32, outIdx: usize, outScores: usize,
): i32 {
  if (k <= 0) return 0;
  // quantise the query to int16 lanes (values within ±127)
  let mq: f32 = 0;
  let l1q: f32 = 0;
  for (let i = 0; i < dim; i++) {
    const a = abs<f32>(load<f32>(query + (<usize>i << 2)));
    if (a > mq) mq = a;
    l1q += a;
  }
  const sq: f32 = mq > 0 ? mq / <f32>127 : 0;
  const invq: f32 = mq > 0 ? <f32>127 / mq : 0;
  for (let i = 0; i < q8Stride; i++) {
    const v: f32 = i < dim ? nearest<f32>(load<f32>(query + (<usize>i << 2)) * invq) : 0;
    store<i16>(query16 + (<usize>i << 1), <i16><i32>min<f32>(127, max<f32>(-127, v)));
  }
  const eps: f32 =
    (maxScale * <f32>0.5) * l1q + (sq * <f32>0.5) * maxL1 + <f32>dim * maxScale * sq * <f32>0.25 +
    <f32>1e-4 + <f32>dim * <f32>2e-7;
  const twoEps = eps + eps;

  heapInit(outIdx, outScores, k);
  for (let i = 0; i < k; i++) store<f32>(approx + (<usize>i << 2), NEG_INF);
  const q8Bytes = <usize>q8Stride;
  const scaleQv = f32x4.splat(sq);
  // four rows per pass: each query chunk is loaded once for the four, and the four sums are
  // reduced, scaled and compared with the threshold in one vector
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const a = q8 + <usize>r * q8Bytes;
    const b = a + q8Bytes;
    const c = b + q8Bytes;
    const d = c + q8Bytes;
    let accA = i32x4.splat(0);
    let accB = i32x4.splat(0);
    let accC = i32x4.splat(0);
    let accD = i32x4.splat(0);
    for (let j: usize = 0; j < q8Bytes; j += 16) {
      const qa = query16 + (j << 1);
      const lo = v128.load(qa);
      const hi = v128.load(qa, 16);
      const va = v128.load(a + j);
      accA = i32x4.add(accA, i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(va), lo), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(va), hi)));
      const vb = v128.load(b + j);
      accB = i32x4.add(accB, i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(vb), lo), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(vb), hi)));
      const vc = v128.load(c + j);
      accC = i32x4.add(accC, i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(vc), lo), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(vc), hi)));
      const vd = v128.load(d + j);
      accD = i32x4.add(accD, i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(vd), lo), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(vd), hi)));
    }
    // transpose-add: [ΣA, ΣB, ΣC, ΣD]
    const ab = i32x4.add(i32x4.shuffle(accA, accB, 0, 4, 1, 5), i32x4.shuffle(accA, accB, 2, 6, 3, 7));
    const cd = i32x4.add(i32x4.shuffle(accC, accD, 0, 4, 1, 5), i32x4.shuffle(accC, accD, 2, 6, 3, 7));
    const sums = i32x4.add(i32x4.shuffle(ab, cd, 0, 1, 4, 5), i32x4.shuffle(ab, cd, 2, 3, 6, 7));
    const approxV = f32x4.mul(f32x4.convert_i32x4_s(sums), f32x4.mul(v128.load(scales + (<usize>r << 2)), scaleQv));
    const threshold = load<f32>(approx) - twoEps;
    if (v128.any_true(f32x4.ge(approxV, f32x4.splat(threshold)))) {
      prefilterCandidate(f32x4.extract_lane(approxV, 0), r, matrix, stride, query, approx, k, twoEps, exclude, nExclude, outIdx, outScores);
      prefilterCandidate(f32x4.extract_lane(approxV, 1), r + 1, matrix, stride, query, approx, k, twoEps, exclude, nExclude, outIdx, outScores);
      prefilterCandidate(f32x4.extract_lane(approxV, 2), r + 2, matrix, stride, query, approx, k, twoEps, exclude, nExclude, outIdx, outScores);
      prefilterCandidate(f32x4.extract_lane(approxV, 3), r + 3, matrix, stride, query, approx, k, twoEps, exclude, nExclude, outIdx, outScores);
    }
  }
  for (; r < rows; r++) {
    const row8 = q8 + <usize>r * q8Bytes;
    let acc = i32x4.splat(0);
    for (let j: usize = 0; j < q8Bytes; j += 16) {
      const v = v128.load(row8 + j);
      const qa = query16 + (j << 1);
      acc = i32x4.add(acc, i32x4.add(i32x4.dot_i16x8_s(i16x8.extend_low_i8x16_s(v), v128.load(qa)), i32x4.dot_i16x8_s(i16x8.extend_high_i8x16_s(v), v128.load(qa, 16))));
    }
    const dotI = (i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1)) + (i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3));
    const sApprox = <f32>dotI * (load<f32>(scales + (<usize>r << 2)) * sq);
    prefilterCandidate(sApprox, r, matrix, stride, query, approx, k, twoEps, exclude, nExclude, outIdx, outScores);
  }
  return heapFinish(outIdx, outScores, k);
}
