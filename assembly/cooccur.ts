// GloVe co-occurrence counting: windows over the encoded corpus, a dense table for pairs of frequent
// words and sorted sparse runs for the rest, and a k-way merge of runs and the dense table into
// records sorted by (word1, word2). Block offsets come from src/abi/cooccur.ts. All memory is passed in.
//
// Pairs follow the Stanford tool: for a target at position j and a context word at k < j in the same
// line and at most `window` words away, (ids[k], ids[j]) gets 1/(j−k), and with a symmetric window
// also (ids[j], ids[k]). Id 0 is a line break: it ends the window. A record is (u32 word1, u32 word2,
// f64 sum), 16 bytes, little-endian.
import {
  CB_IDS, CB_IDS_COUNT, CB_POSITION, CB_WINDOW, CB_SYMMETRIC, CB_ROW_BEGIN, CB_ROW_END, CB_ROW_START, CB_DENSE, CB_SPARSE, CB_SPARSE_CAPACITY, CB_SPARSE_FILL, CB_COL_BITS, CB_DIST_BITS, CB_ABORT, CB_RECIPROCAL, CB_DENSE_ADDS, CB_SPARSE_ADDS, CB_HISTOGRAM, CB_ROW_BITS, MB_SOURCES, MB_SOURCE_COUNT, MB_HEAP, MB_HEAP_SIZE, MB_ROW_START, MB_DENSE, MB_DENSE_ROW, MB_DENSE_INDEX, MB_ROW_END, MB_OUT, MB_OUT_CAPACITY, MB_OUT_FILL, MB_PENDING, MB_FIX_SOURCE, MB_PENDING_KEY, MB_PENDING_VAL, MB_ABORT, MB_STATE, MB_DENSE_KEY, MB_DENSE_VAL, MB_NEED_SOURCE,
} from '../src/abi/cooccur';

// Count block: one per worker.

const RADIX_MAX_BITS = 11;
const ABORT_POLL_MASK = 0xffff;
// The merge returns to its caller this often (state is kept), so V8 can switch to optimised code.
const YIELD_STEPS: u32 = 1 << 20;

@inline
function emit(
  row: i32, col: i32, d: i32, reciprocal: usize, rowStart: usize, dense: usize, sparse: usize, fill: i32,
  rowBegin: i32, rowShift: u64, distBits: u64,
): i32 {
  const rowPtr = rowStart + (<usize>row << 2);
  const start = load<u32>(rowPtr);
  const length = load<u32>(rowPtr, 4) - start;
  if (<u32>(col - 1) < length) {
    const cell = dense + ((<usize>start + <usize>(col - 1)) << 3);
    store<f64>(cell, load<f64>(cell) + load<f64>(reciprocal + (<usize>d << 3)));
    return fill;
  }
  const key = (<u64>(row - rowBegin) << rowShift) | (<u64>col << distBits) | <u64>d;
  store<u64>(sparse + (<usize>fill << 3), key);
  return fill + 1;
}

/**
 * Counts the pairs of the targets ids[position..idsCount) whose word1 is in [rowBegin, rowEnd)
 * (ids before `position` serve as left context). Returns 0 when the targets are done, 1 when the
 * sparse buffer is full (sort it with sortReduceRun and call again), −1 when the abort flag is set.
 * The position is stored back in every case. Callers raise idsCount in slices: V8 runs a
 * function's optimised code from its next call on, never inside a long first call.
 */
export function countCooccurrences(block: usize): i32 {
  const ids = <usize>load<u32>(block + CB_IDS);
  const count = load<i32>(block + CB_IDS_COUNT);
  const window = load<i32>(block + CB_WINDOW);
  const symmetric = load<i32>(block + CB_SYMMETRIC) != 0;
  const rowBegin = load<i32>(block + CB_ROW_BEGIN);
  const span = <u32>(load<i32>(block + CB_ROW_END) - rowBegin);
  const rowStart = <usize>load<u32>(block + CB_ROW_START);
  const dense = <usize>load<u32>(block + CB_DENSE);
  const sparse = <usize>load<u32>(block + CB_SPARSE);
  const capacity = load<i32>(block + CB_SPARSE_CAPACITY);
  const abort = <usize>load<u32>(block + CB_ABORT);
  const reciprocal = <usize>load<u32>(block + CB_RECIPROCAL);
  const perTarget = symmetric ? 2 * window : window;
  const distBits = <u64>load<i32>(block + CB_DIST_BITS);
  const rowShift = <u64>load<i32>(block + CB_COL_BITS) + distBits;

  let fill = load<i32>(block + CB_SPARSE_FILL);
  let j = load<i32>(block + CB_POSITION);
  let result = 0;
  const sparseBefore = fill;
  let pairs: i64 = 0;
  while (j < count) {
    if ((j & ABORT_POLL_MASK) == 0) {
      store<i32>(block + CB_POSITION, j);
      if (atomic.load<i32>(abort) != 0) {
        result = -1;
        break;
      }
    }
    if (fill + perTarget > capacity) {
      result = 1;
      break;
    }
    const w = load<i32>(ids + (<usize>j << 2));
    if (w != 0) {
      const targetOwned = symmetric && <u32>(w - rowBegin) < span;
      let first = j - window;
      if (first < 0) first = 0;
      for (let k = j - 1; k >= first; k--) {
        const c = load<i32>(ids + (<usize>k << 2));
        if (c == 0) break;
        const d = j - k;
        if (<u32>(c - rowBegin) < span) {
          fill = emit(c, w, d, reciprocal, rowStart, dense, sparse, fill, rowBegin, rowShift, distBits);
          pairs++;
        }
        if (targetOwned) {
          fill = emit(w, c, d, reciprocal, rowStart, dense, sparse, fill, rowBegin, rowShift, distBits);
          pairs++;
        }
      }
    }
    j++;
  }
  const sparseAdds = <i64>(fill - sparseBefore);
  store<i32>(block + CB_POSITION, j);
  store<i32>(block + CB_SPARSE_FILL, fill);
  store<i64>(block + CB_SPARSE_ADDS, load<i64>(block + CB_SPARSE_ADDS) + sparseAdds);
  store<i64>(block + CB_DENSE_ADDS, load<i64>(block + CB_DENSE_ADDS) + pairs - sparseAdds);
  return result;
}

/**
 * Sorts the sparse keys (stable LSD radix sort on the (row, column) bits, so equal pairs keep corpus
 * order) and sums equal pairs into records (u32 word1, u32 word2, f64 sum) written from the start of
 * the sparse region. Returns the number of records and empties the buffer.
 */
export function sortReduceRun(block: usize): i32 {
  const n = load<i32>(block + CB_SPARSE_FILL);
  const capacity = load<i32>(block + CB_SPARSE_CAPACITY);
  const a = <usize>load<u32>(block + CB_SPARSE);
  const b = a + (<usize>capacity << 3);
  const histogram = <usize>load<u32>(block + CB_HISTOGRAM);
  const reciprocal = <usize>load<u32>(block + CB_RECIPROCAL);
  const rowBegin = load<i32>(block + CB_ROW_BEGIN);
  const colBits = load<i32>(block + CB_COL_BITS);
  const distBits = load<i32>(block + CB_DIST_BITS);
  const keyBits = load<i32>(block + CB_ROW_BITS) + colBits;
  store<i32>(block + CB_SPARSE_FILL, 0);
  if (n == 0) return 0;

  // An odd number of passes leaves the sorted keys in the upper half, so the records (16 bytes per
  // distinct pair) can be written from the start of the region without overtaking unread keys.
  let passes = (keyBits + RADIX_MAX_BITS - 1) / RADIX_MAX_BITS;
  if (passes < 1) passes = 1;
  if ((passes & 1) == 0) passes++;
  const digitBits = (keyBits + passes - 1) / passes;
  const buckets = 1 << digitBits;
  const mask: u64 = <u64>(buckets - 1);
  let src = a;
  let dst = b;
  for (let p = 0; p < passes; p++) {
    const shift = <u64>(distBits + p * digitBits);
    memory.fill(histogram, 0, <usize>buckets << 2);
    for (let i = 0; i < n; i++) {
      const digit = <usize>((load<u64>(src + (<usize>i << 3)) >> shift) & mask);
      const h = histogram + (digit << 2);
      store<u32>(h, load<u32>(h) + 1);
    }
    let sum: u32 = 0;
    for (let d = 0; d < buckets; d++) {
      const h = histogram + (<usize>d << 2);
      const c = load<u32>(h);
      store<u32>(h, sum);
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const key = load<u64>(src + (<usize>i << 3));
      const h = histogram + (<usize>((key >> shift) & mask) << 2);
      const at = load<u32>(h);
      store<u32>(h, at + 1);
      store<u64>(dst + (<usize>at << 3), key);
    }
    const t = src;
    src = dst;
    dst = t;
  }

  const distMask: u64 = (<u64>1 << <u64>distBits) - 1;
  const colMask: u64 = (<u64>1 << <u64>colBits) - 1;
  let u = 0;
  let i = 0;
  while (i < n) {
    const first = load<u64>(src + (<usize>i << 3));
    const pair = first >> <u64>distBits;
    let total = load<f64>(reciprocal + (<usize>(first & distMask) << 3));
    i++;
    while (i < n) {
      const key = load<u64>(src + (<usize>i << 3));
      if (key >> <u64>distBits != pair) break;
      total += load<f64>(reciprocal + (<usize>(key & distMask) << 3));
      i++;
    }
    const out = a + (<usize>u << 4);
    store<u32>(out, <u32>(pair >> <u64>colBits) + <u32>rowBegin);
    store<u32>(out, <u32>(pair & colMask), 4);
    store<f64>(out, total, 8);
    u++;
  }
  return u;
}

/** Non-zero cells of the dense rows [rowBegin, rowEnd): an upper bound's dense part. */
export function countDenseNonzero(rowStart: usize, dense: usize, rowBegin: i32, rowEnd: i32): f64 {
  if (rowEnd <= rowBegin) return 0;
  const first = <usize>load<u32>(rowStart + (<usize>rowBegin << 2));
  const last = <usize>load<u32>(rowStart + (<usize>rowEnd << 2));
  let n: i64 = 0;
  for (let i = first; i < last; i++) if (load<f64>(dense + (i << 3)) != 0) n++;
  return <f64>n;
}

// Merge block: one per worker.

const NO_KEY: u64 = 0xffffffffffffffff;

@inline
function sourceKey(sources: usize, s: i32): u64 {
  const cursor = <usize>load<u32>(sources + (<usize>s << 4));
  return (<u64>load<u32>(cursor) << 32) | <u64>load<u32>(cursor, 4);
}

@inline
function heapLess(sources: usize, a: i32, b: i32): bool {
  const ka = sourceKey(sources, a);
  const kb = sourceKey(sources, b);
  return ka < kb || (ka == kb && a < b);
}

function siftDown(sources: usize, heap: usize, size: i32, at: i32): void {
  let i = at;
  const item = load<i32>(heap + (<usize>i << 2));
  while (true) {
    let child = 2 * i + 1;
    if (child >= size) break;
    let c = load<i32>(heap + (<usize>child << 2));
    if (child + 1 < size) {
      const right = load<i32>(heap + (<usize>(child + 1) << 2));
      if (heapLess(sources, right, c)) {
        child++;
        c = right;
      }
    }
    if (!heapLess(sources, c, item)) break;
    store<i32>(heap + (<usize>i << 2), c);
    i = child;
  }
  store<i32>(heap + (<usize>i << 2), item);
}

/** Moves the dense cursor to the next non-zero cell at or after the stored one. */
function advanceDense(block: usize): void {
  const rowStart = <usize>load<u32>(block + MB_ROW_START);
  const dense = <usize>load<u32>(block + MB_DENSE);
  const rowEnd = load<i32>(block + MB_ROW_END);
  let row = load<i32>(block + MB_DENSE_ROW);
  let index = load<u32>(block + MB_DENSE_INDEX);
  while (row < rowEnd) {
    const end = load<u32>(rowStart + (<usize>(row + 1) << 2));
    while (index < end) {
      const v = load<f64>(dense + (<usize>index << 3));
      if (v != 0) {
        const col = index - load<u32>(rowStart + (<usize>row << 2)) + 1;
        store<i32>(block + MB_DENSE_ROW, row);
        store<u32>(block + MB_DENSE_INDEX, index);
        store<u64>(block + MB_DENSE_KEY, (<u64>row << 32) | <u64>col);
        store<f64>(block + MB_DENSE_VAL, v);
        return;
      }
      index++;
    }
    row++;
  }
  store<i32>(block + MB_DENSE_ROW, row);
  store<u32>(block + MB_DENSE_INDEX, index);
  store<u64>(block + MB_DENSE_KEY, NO_KEY);
}

/**
 * Merges sorted record sources and the dense rows into sorted records, summing equal pairs (in
 * source order). Returns 0 when done, 1 when the output buffer is full (flush it, reset the fill,
 * call again), 2 when source `needSource` has run dry (refill it, or mark it exhausted), 3 after
 * YIELD_STEPS steps (call again), −1 on abort.
 */
export function mergeCooccurrences(block: usize): i32 {
  const sources = <usize>load<u32>(block + MB_SOURCES);
  const heap = <usize>load<u32>(block + MB_HEAP);
  const out = <usize>load<u32>(block + MB_OUT);
  const outCapacity = load<i32>(block + MB_OUT_CAPACITY);
  const abort = <usize>load<u32>(block + MB_ABORT);
  const hasDense = load<u32>(block + MB_ROW_START) != 0;

  if (load<i32>(block + MB_STATE) == 0) {
    const count = load<i32>(block + MB_SOURCE_COUNT);
    let size = 0;
    for (let s = 0; s < count; s++) {
      const d = sources + (<usize>s << 4);
      if (load<u32>(d) < load<u32>(d, 4)) {
        store<i32>(heap + (<usize>size << 2), s);
        size++;
      }
    }
    for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(sources, heap, size, i);
    store<i32>(block + MB_HEAP_SIZE, size);
    store<i32>(block + MB_FIX_SOURCE, -1);
    store<i32>(block + MB_PENDING, 0);
    if (hasDense) {
      const rowStart = <usize>load<u32>(block + MB_ROW_START);
      store<u32>(block + MB_DENSE_INDEX, load<u32>(rowStart + (<usize>load<i32>(block + MB_DENSE_ROW) << 2)));
      advanceDense(block);
    } else {
      store<u64>(block + MB_DENSE_KEY, NO_KEY);
    }
    store<i32>(block + MB_STATE, 1);
  }

  let heapSize = load<i32>(block + MB_HEAP_SIZE);
  let fix = load<i32>(block + MB_FIX_SOURCE);
  let pending = load<i32>(block + MB_PENDING) != 0;
  let pendingKey = load<u64>(block + MB_PENDING_KEY);
  let pendingVal = load<f64>(block + MB_PENDING_VAL);
  let fill = load<i32>(block + MB_OUT_FILL);
  let denseKey = load<u64>(block + MB_DENSE_KEY);
  let result = 0;
  let steps: u32 = 0;

  while (true) {
    if ((++steps & ABORT_POLL_MASK) == 0) {
      if (atomic.load<i32>(abort) != 0) {
        result = -1;
        break;
      }
      if (steps >= YIELD_STEPS) {
        result = 3;
        break;
      }
    }
    if (fix >= 0) {
      const d = sources + (<usize>fix << 4);
      if (load<u32>(d) < load<u32>(d, 4)) {
        siftDown(sources, heap, heapSize, 0);
      } else if (load<i32>(d, 8) != 0) {
        heapSize--;
        store<i32>(heap, load<i32>(heap + (<usize>heapSize << 2)));
        siftDown(sources, heap, heapSize, 0);
      } else {
        store<i32>(block + MB_NEED_SOURCE, fix);
        result = 2;
        break;
      }
      fix = -1;
    }
    if (heapSize == 0 && denseKey == NO_KEY) break;
    if (pending && fill == outCapacity) {
      result = 1;
      break;
    }
    let key: u64;
    let val: f64;
    const top = heapSize > 0 ? load<i32>(heap) : -1;
    const heapKey = top >= 0 ? sourceKey(sources, top) : NO_KEY;
    if (heapKey < denseKey) {
      const d = sources + (<usize>top << 4);
      const cursor = load<u32>(d);
      key = heapKey;
      val = load<f64>(<usize>cursor, 8);
      store<u32>(d, cursor + 16);
      fix = top;
    } else {
      key = denseKey;
      val = load<f64>(block + MB_DENSE_VAL);
      store<u32>(block + MB_DENSE_INDEX, load<u32>(block + MB_DENSE_INDEX) + 1);
      advanceDense(block);
      denseKey = load<u64>(block + MB_DENSE_KEY);
    }
    if (pending && key == pendingKey) {
      pendingVal += val;
    } else {
      if (pending) {
        const o = out + (<usize>fill << 4);
        store<u32>(o, <u32>(pendingKey >> 32));
        store<u32>(o, <u32>pendingKey, 4);
        store<f64>(o, pendingVal, 8);
        fill++;
      }
      pending = true;
      pendingKey = key;
      pendingVal = val;
    }
  }
  if (result == 0 && pending) {
    if (fill == outCapacity) {
      result = 1;
    } else {
      const o = out + (<usize>fill << 4);
      store<u32>(o, <u32>(pendingKey >> 32));
      store<u32>(o, <u32>pendingKey, 4);
      store<f64>(o, pendingVal, 8);
      fill++;
      pending = false;
    }
  }
  store<i32>(block + MB_HEAP_SIZE, heapSize);
  store<i32>(block + MB_FIX_SOURCE, fix);
  store<i32>(block + MB_PENDING, pending ? 1 : 0);
  store<u64>(block + MB_PENDING_KEY, pendingKey);
  store<f64>(block + MB_PENDING_VAL, pendingVal);
  store<i32>(block + MB_OUT_FILL, fill);
  return result;
}

/**
 * Checks `count` records read from a file: 1 ≤ word < vocabSize, a finite positive value, and keys
 * strictly increasing from `previousKey` ((word1 << 32) | word2 of the record before). Returns the
 * index of the first bad record, or −1.
 */
export function validateRecords(records: usize, count: i32, vocabSize: i32, previousKey: u64): i32 {
  let previous = previousKey;
  const limit = <u32>(vocabSize - 1);
  for (let i = 0; i < count; i++) {
    const r = records + (<usize>i << 4);
    const w1 = load<u32>(r);
    const w2 = load<u32>(r, 4);
    const v = load<f64>(r, 8);
    if (w1 - 1 >= limit || w2 - 1 >= limit) return i;
    if (!(v > 0) || !isFinite(v)) return i;
    const key = (<u64>w1 << 32) | <u64>w2;
    if (key <= previous && !(i == 0 && previousKey == NO_KEY)) return i;
    previous = key;
  }
  return -1;
}
