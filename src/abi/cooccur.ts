// The co-occurrence kernels' ABI (assembly/cooccur.ts ↔ src/cooccur/layout.ts, src/cooccur/shards.ts):
// byte offsets of the count block and the merge block (one of each per worker). The one source of
// truth: both compilers import this file (test/runtime/abi.test.ts). Plain `export const` integers only.

export const CB_IDS = 0; //              ptr: i32 token ids
export const CB_IDS_COUNT = 4; //        i32: ids in the buffer
export const CB_POSITION = 8; //         i32: next target (in/out); ids before the first target are context only
export const CB_WINDOW = 12; //          i32
export const CB_SYMMETRIC = 16; //       i32: 1 symmetric, 0 left context only
export const CB_ROW_BEGIN = 20; //       i32: first word1 this worker owns
export const CB_ROW_END = 24; //         i32: one past the last
export const CB_ROW_START = 28; //       ptr: u32 × (vocab + 1), dense entries of row r are [rowStart[r], rowStart[r+1])
export const CB_DENSE = 32; //           ptr: f64 dense table
export const CB_SPARSE = 36; //          ptr: u64 pair keys, then an equal-sized scratch half for the radix sort
export const CB_SPARSE_CAPACITY = 40; // i32: keys per half
export const CB_SPARSE_FILL = 44; //     i32: keys stored (in/out)
export const CB_COL_BITS = 48; //        i32: bits of a column id in a key
export const CB_DIST_BITS = 52; //       i32: bits of a distance in a key
export const CB_ABORT = 56; //           ptr: i32 abort flag
export const CB_RECIPROCAL = 60; //      ptr: f64 × (window + 1), 1/d
export const CB_DENSE_ADDS = 64; //      i64: pairs added to the dense table (in/out)
export const CB_SPARSE_ADDS = 72; //     i64: pairs appended to the sparse buffer (in/out)
export const CB_HISTOGRAM = 80; //       ptr: u32 × RADIX_BUCKETS
export const CB_ROW_BITS = 84; //        i32: bits of (word1 − rowBegin) in a key
export const MB_SOURCES = 0; //      ptr: 16 bytes per source: u32 cursor, u32 end, i32 exhausted, pad
export const MB_SOURCE_COUNT = 4; // i32
export const MB_HEAP = 8; //         ptr: i32 × sources
export const MB_HEAP_SIZE = 12; //   i32
export const MB_ROW_START = 16; //   ptr: dense row starts, or 0 for no dense table
export const MB_DENSE = 20; //       ptr
export const MB_DENSE_ROW = 24; //   i32: row of the next dense cell to look at (in: first row)
export const MB_DENSE_INDEX = 28; // u32: index of that cell
export const MB_ROW_END = 32; //     i32: dense rows end here
export const MB_OUT = 36; //         ptr: output records
export const MB_OUT_CAPACITY = 40; // i32: records
export const MB_OUT_FILL = 44; //    i32: records written (in/out)
export const MB_PENDING = 48; //     i32: 1 while a record is being summed
export const MB_FIX_SOURCE = 52; //  i32: source whose cursor moved and whose heap place is stale, or −1
export const MB_PENDING_KEY = 56; // u64
export const MB_PENDING_VAL = 64; // f64
export const MB_ABORT = 72; //       ptr: i32 abort flag
export const MB_STATE = 76; //       i32: 0 before the first call
export const MB_DENSE_KEY = 80; //   u64: key of the next non-zero dense cell, NO_KEY when none
export const MB_DENSE_VAL = 88; //   f64
export const MB_NEED_SOURCE = 96; // i32: source to refill when 2 is returned

/** f64 written by the worker (not the kernel): ids of the stream done before the current buffer. */
export const CB_PROGRESS_BASE = 88;
/** Bytes reserved for a count block and for a merge block. */
export const COUNT_BLOCK_BYTES = 128;
export const MERGE_BLOCK_BYTES = 128;
/** A merge source descriptor: u32 cursor, u32 end, i32 exhausted, padding. */
export const SOURCE_BYTES = 16;
/** A record: u32 word1, u32 word2, then f64 X (counted) or f32 log X, f32 f(X) (training). */
export const RECORD_BYTES = 16;
