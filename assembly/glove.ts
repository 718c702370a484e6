// GloVe training (AdaGrad on the weighted least-squares loss, as Stanford's glove.c) and the record
// shuffle. Block offsets come from src/abi/glove.ts; all memory is passed in.
//
// A parameter row holds, for one word, [vector (stride f32) | AdaGrad sums − 1 (stride f32) | bias,
// bias AdaGrad sum − 1, 0, 0], padded with zeros to `rowBytes` (a multiple of 64: one cache-line
// block). Padding lanes of the vector stay 0. The AdaGrad sums start at 1 as in glove.c, but are
// stored without that 1: early squared steps (~1e-8) are below half an f32 ulp of 1 and would be
// rounded away or doubled, while added to a sum that starts at 0 they keep their precision.
// A training record is (u32 word1, u32 word2, f32 log X, f32 f(X)); a counted record (u32, u32,
// f64 X) is turned into one in place by prepareRecords / shuffleRange.
import {
  T_STRIDE, T_ROW_BYTES, T_WORDS, T_CONTEXTS, T_ETA, T_CLIP, T_ABORT, T_PAIRS_DONE, T_SCRATCH,
} from '../src/abi/glove';
import { dot, copy16, swap16 } from './vecmath';

// Training config block (shared by all workers).

const ABORT_POLL_MASK = 0xfff;
const PREFETCH_DISTANCE = 4;

/**
 * AdaGrad step of one record on the vectors of its two rows, with glove.c's gradient clipping:
 * a −= η·clip(f·b)/√(1+Ga), Ga += (η·clip(f·b))², and the same for b. SIMD body and plain twin.
 */
@inline
function adagradStep(a: usize, b: usize, gradA: usize, gradB: usize, fdiff: f32, eta: f32, clip: f32, vectorBytes: usize): void {
  if (ASC_FEATURE_SIMD) {
    const etaV = f32x4.splat(eta);
    const clipHigh = f32x4.splat(clip);
    const clipLow = f32x4.splat(-clip);
    const one = f32x4.splat(1);
    const f = f32x4.splat(fdiff);
    for (let o: usize = 0; o < vectorBytes; o += 16) {
      const wa = v128.load(a + o);
      const wb = v128.load(b + o);
      const ga = v128.load(gradA + o);
      const gb = v128.load(gradB + o);
      const ta = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(f, wb), clipLow), clipHigh), etaV);
      const tb = f32x4.mul(f32x4.min(f32x4.max(f32x4.mul(f, wa), clipLow), clipHigh), etaV);
      v128.store(a + o, f32x4.sub(wa, f32x4.div(ta, f32x4.sqrt(f32x4.add(one, ga)))));
      v128.store(b + o, f32x4.sub(wb, f32x4.div(tb, f32x4.sqrt(f32x4.add(one, gb)))));
      v128.store(gradA + o, f32x4.add(ga, f32x4.mul(ta, ta)));
      v128.store(gradB + o, f32x4.add(gb, f32x4.mul(tb, tb)));
    }
  } else {
    for (let o: usize = 0; o < vectorBytes; o += 4) {
      const wa = load<f32>(a + o);
      const wb = load<f32>(b + o);
      const ga = load<f32>(gradA + o);
      const gb = load<f32>(gradB + o);
      const ta = Mathf.min(Mathf.max(fdiff * wb, -clip), clip) * eta;
      const tb = Mathf.min(Mathf.max(fdiff * wa, -clip), clip) * eta;
      store<f32>(a + o, wa - ta / Mathf.sqrt(1 + ga));
      store<f32>(b + o, wb - tb / Mathf.sqrt(1 + gb));
      store<f32>(gradA + o, ga + ta * ta);
      store<f32>(gradB + o, gb + tb * tb);
    }
  }
}

/**
 * One AdaGrad step per record for `count` records, Hogwild on the shared rows. For
 * J = ½ f(X)(w·w̃ + b + b̃ − log X)², with fdiff = f(X)·diff, as glove.c:
 *   g_w = clip(fdiff·w̃) · eta;  w −= g_w / √G_w;  G_w += g_w²    (and likewise w̃ with w)
 *   b −= fdiff / √G_b;  G_b += fdiff²                            (glove.c does not scale biases by eta)
 * with G = 1 + the stored sum.
 * Records whose loss is not finite are skipped, as glove.c does. Returns the summed J of the
 * records trained, or −1 if the abort flag was set.
 */
export function trainGloveChunk(config: usize, records: usize, count: i32): f64 {
  const stride = load<i32>(config + T_STRIDE);
  const rowBytes = <usize>load<i32>(config + T_ROW_BYTES);
  const words = <usize>load<u32>(config + T_WORDS);
  const contexts = <usize>load<u32>(config + T_CONTEXTS);
  const eta = load<f32>(config + T_ETA);
  const clip = load<f32>(config + T_CLIP);
  const vectorBytes = <usize>stride << 2;
  let cost: f64 = 0;
  let touched: u32 = 0;
  for (let i = 0; i < count; i++) {
    if ((i & ABORT_POLL_MASK) == 0 && atomic.load<i32>(config + T_ABORT) != 0) return -1;
    // The rows are scattered over tens of MB: touch the rows of a record a few steps ahead, so their
    // cache misses overlap with this record's arithmetic (WebAssembly has no prefetch instruction).
    if (i + PREFETCH_DISTANCE < count) {
      const ahead = records + (<usize>(i + PREFETCH_DISTANCE) << 4);
      const pa = words + <usize>load<u32>(ahead) * rowBytes;
      const pb = contexts + <usize>load<u32>(ahead, 4) * rowBytes;
      for (let o: usize = 0; o < rowBytes; o += 64) touched += load<u32>(pa + o) ^ load<u32>(pb + o);
    }
    const record = records + (<usize>i << 4);
    const a = words + <usize>load<u32>(record) * rowBytes;
    const b = contexts + <usize>load<u32>(record, 4) * rowBytes;
    const logX = load<f32>(record, 8);
    const weight = load<f32>(record, 12);
    const gradA = a + vectorBytes;
    const gradB = b + vectorBytes;
    const biasA = gradA + vectorBytes;
    const biasB = gradB + vectorBytes;
    const diff = dot(a, b, stride) + load<f32>(biasA) + load<f32>(biasB) - logX;
    const fdiff = weight * diff;
    if (!isFinite(diff) || !isFinite(fdiff)) continue;
    cost += 0.5 * <f64>fdiff * <f64>diff;
    adagradStep(a, b, gradA, gradB, fdiff, eta, clip, vectorBytes);
    const gba = load<f32>(biasA, 4);
    const gbb = load<f32>(biasB, 4);
    store<f32>(biasA, load<f32>(biasA) - fdiff / Mathf.sqrt(1 + gba));
    store<f32>(biasB, load<f32>(biasB) - fdiff / Mathf.sqrt(1 + gbb));
    const f2 = fdiff * fdiff;
    store<f32>(biasA, gba + f2, 4);
    store<f32>(biasB, gbb + f2, 4);
  }
  atomic.add<i64>(config + T_PAIRS_DONE, <i64>count);
  store<u32>(config + T_SCRATCH, touched);
  return cost;
}

// xoshiro256** with its 32-byte state in memory, seeded through splitmix64.

/** Seeds the generator state at `state` from a 64-bit seed. */
export function seedRandom(state: usize, seed: u64): void {
  let z = seed;
  for (let i: usize = 0; i < 4; i++) {
    z += 0x9e3779b97f4a7c15;
    let x = z;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
    x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
    store<u64>(state + (i << 3), x ^ (x >> 31));
  }
}

@inline
function nextRandom(state: usize): u64 {
  const s0 = load<u64>(state);
  const s1 = load<u64>(state, 8);
  const s2 = load<u64>(state, 16);
  const s3 = load<u64>(state, 24);
  const result = rotl<u64>(s1 * 5, 7) * 9;
  const t = s1 << 17;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  store<u64>(state, s0 ^ n3);
  store<u64>(state, s1 ^ n2, 8);
  store<u64>(state, n2 ^ t, 16);
  store<u64>(state, rotl<u64>(n3, 45), 24);
  return result;
}

/** Uniform in [0, bound) for 1 ≤ bound ≤ 2^32 (Lemire's multiply-and-reject, unbiased). */
@inline
function below(state: usize, bound: u64): u64 {
  let m = (nextRandom(state) >> 32) * bound;
  let low = m & 0xffffffff;
  if (low < bound) {
    const threshold: u64 = (<u64>0x100000000 - bound) % bound;
    while (low < threshold) {
      m = (nextRandom(state) >> 32) * bound;
      low = m & 0xffffffff;
    }
  }
  return m >> 32;
}

@inline
function prepare(record: usize, xMax: f64, logXMax: f64, alpha: f64): void {
  const x = load<f64>(record, 8);
  const logX = Math.log(x);
  const weight = x > xMax ? 1.0 : Math.exp(alpha * (logX - logXMax));
  store<f32>(record, <f32>logX, 8);
  store<f32>(record, <f32>weight, 12);
}

/** Turns counted records (f64 X) into training records (f32 log X, f32 f(X)) in place. */
export function prepareRecords(records: usize, count: i32, xMax: f64, alpha: f64): void {
  const logXMax = Math.log(xMax);
  for (let i = 0; i < count; i++) prepare(records + (<usize>i << 4), xMax, logXMax, alpha);
}

/**
 * Fisher–Yates steps i = top−1 down to max(bottom, 1) over 16-byte records, with the generator at
 * `state`: record i swaps with a uniform j ≤ i and is then final (and, with `convert`, turned into a
 * training record). Called with bottom = 0 it also finishes record 0. Calling it for successive
 * ranges (top = the previous bottom) is one shuffle; short calls let V8 switch to optimised code.
 */
export function shuffleRange(records: usize, top: i32, bottom: i32, state: usize, convert: i32, xMax: f64, alpha: f64): void {
  const logXMax = Math.log(xMax);
  const last = bottom < 1 ? 1 : bottom;
  for (let i = top - 1; i >= last; i--) {
    const j = <i32>below(state, <u64>(i + 1));
    const ri = records + (<usize>i << 4);
    const rj = records + (<usize>j << 4);
    swap16(ri, rj);
    if (convert != 0) prepare(ri, xMax, logXMax, alpha);
  }
  if (bottom <= 0 && top > 0 && convert != 0) prepare(records, xMax, logXMax, alpha);
}

/**
 * The bucketed shuffle for records beyond the cache, in three steps the caller runs in slices:
 * draw a bucket (one of 2^bucketBits) for each record and count them (bucketDraw), turn the counts
 * into starts, replay the same draws to copy each record into its bucket in a scratch area
 * (bucketScatter), then Fisher–Yates each bucket (shuffleRange) and copy it back. Random scatter
 * then shuffled buckets is a uniform permutation, and only the scatter is not sequential.
 */
export function bucketDraw(count: i32, bucketBits: i32, histogram: usize, state: usize): void {
  const shift = <u64>(64 - bucketBits);
  for (let i = 0; i < count; i++) {
    const h = histogram + (<usize>(nextRandom(state) >> shift) << 2);
    store<u32>(h, load<u32>(h) + 1);
  }
}

/** Copies records [from, to) to their buckets: `histogram` holds each bucket's next free index. */
export function bucketScatter(records: usize, from: i32, to: i32, scratch: usize, bucketBits: i32, histogram: usize, state: usize): void {
  const shift = <u64>(64 - bucketBits);
  for (let i = from; i < to; i++) {
    const h = histogram + (<usize>(nextRandom(state) >> shift) << 2);
    const at = load<u32>(h);
    store<u32>(h, at + 1);
    copy16(scratch + (<usize>at << 4), records + (<usize>i << 4));
  }
}

/**
 * Initialises `rows` parameter rows as glove.c: vector components and the bias uniform in
 * [−0.5, 0.5)/dim, AdaGrad sums 1 (stored as 0, see above), padding 0. Draws from the generator at `state`.
 */
export function initGloveMatrix(matrix: usize, rows: i32, dim: i32, stride: i32, rowBytes: i32, state: usize): void {
  const scale = 1.0 / <f64>dim;
  for (let r = 0; r < rows; r++) {
    const row = matrix + <usize>r * <usize>rowBytes;
    const grad = row + (<usize>stride << 2);
    const bias = grad + (<usize>stride << 2);
    for (let c = 0; c < stride; c++) {
      const v = c < dim ? <f32>((<f64>(nextRandom(state) >> 11) * 1.1102230246251565e-16 - 0.5) * scale) : <f32>0;
      store<f32>(row + (<usize>c << 2), v);
      store<f32>(grad + (<usize>c << 2), 0);
    }
    store<f32>(bias, <f32>((<f64>(nextRandom(state) >> 11) * 1.1102230246251565e-16 - 0.5) * scale));
    store<f32>(bias, 0, 4);
    store<f32>(bias, 0, 8);
    store<f32>(bias, 0, 12);
    for (let p = bias + 16; p < row + <usize>rowBytes; p += 4) store<f32>(p, 0);
  }
}
