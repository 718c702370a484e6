// The GloVe training kernel's ABI (assembly/glove.ts ↔ src/glove/layout.ts, src/glove/train.ts):
// byte offsets of the training config block, shared by all workers. The one source of truth: both
// compilers import this file (test/runtime/abi.test.ts). Plain `export const` integers only.

export const T_STRIDE = 0; //      i32: padded dimension (multiple of 4)
export const T_ROW_BYTES = 4; //   i32: bytes per parameter row
export const T_WORDS = 8; //       ptr: word rows (W, b)
export const T_CONTEXTS = 12; //   ptr: context rows (W̃, b̃)
export const T_ETA = 16; //        f32: learning rate
export const T_CLIP = 20; //       f32: per-component gradient clip
export const T_ABORT = 24; //      i32: set to 1 to stop
export const T_PAIRS_DONE = 32; // i64: records trained by all workers (atomic)
export const T_SCRATCH = 40; //    u32: written with a value of no use, so the prefetching loads are kept

/** Bytes reserved for the training config block. */
export const TRAIN_CONFIG_BYTES = 64;
