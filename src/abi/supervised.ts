// The supervised (fastText classifier) kernel's ABI (assembly/supervised.ts ↔ src/supervised/layout.ts):
// byte offsets of the fields of the config block (one per run, shared by all workers) and of the
// worker block (one per worker). AssemblyScript and TypeScript both import this file.
// Plain `export const` integers only: a module both compilers accept.

// Config block (shared by all workers, read-only except the token counter and abort flag).
export const S_DIM = 0; //             i32: padded dimension (multiple of 4)
export const S_LOSS = 4; //            i32: 0 softmax, 1 one-vs-all, 2 negative sampling, 3 hierarchical softmax
export const S_LABELS = 8; //          i32: number of labels (rows of the output matrix)
export const S_NEGATIVE = 12; //       i32: negative labels per example (ns)
export const S_INPUT = 16; //          ptr: input matrix (words, then word n-gram buckets), rows × dim
export const S_OUTPUT = 20; //         ptr: output matrix, labels × dim (hs: labels − 1 inner nodes)
export const S_LR = 24; //             f32: starting learning rate
export const S_ABORT = 28; //          i32: set to 1 to stop all workers at the next example
export const S_TOKENS_DONE = 32; //    i64: tokens processed by all workers (atomic), as fastText's tokenCount_
export const S_TOKENS_TOTAL = 40; //   i64: epochs × tokens of the training file
export const S_LR_UPDATE = 48; //      i32: tokens between learning-rate refreshes (fastText's lrUpdateRate)
export const S_NOISE_THRESHOLD = 52; // ptr: u32 per label, alias-method acceptance threshold (× 2^32), ns
export const S_NOISE_ALIAS = 56; //    ptr: i32 per label, alias-method alternative, ns
export const S_HS_CODES = 60; //       ptr: u8 per path node, the Huffman code bit (hs)
export const S_HS_POINTS = 64; //      ptr: i32 per path node, the inner node's row in the output matrix (hs)
export const S_HS_PATHS = 68; //       ptr: i32 pair per label: first path node, path length (hs)

// Worker block (one per worker, cache-line aligned).
export const SW_RANDOM = 0; //   u64
export const SW_HIDDEN = 8; //   ptr: dim floats, mean of the example's input rows
export const SW_GRADIENT = 12; // ptr: dim floats, gradient of the hidden vector
export const SW_SCORES = 16; //  ptr: labels floats, softmax output
export const SW_LOSS = 24; //    f64: summed loss of the examples trained
export const SW_EXAMPLES = 32; // i64: examples trained

/** Bytes reserved for the config block and for each worker block. */
export const SUPERVISED_CONFIG_BYTES = 128;
export const SUPERVISED_WORKER_BYTES = 64;

/** Loss codes in S_LOSS. */
export const LOSS_SOFTMAX = 0;
export const LOSS_OVA = 1;
export const LOSS_NS = 2;
export const LOSS_HS = 3;
