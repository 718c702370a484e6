// The word2vec kernel's ABI (assembly/w2v.ts, assembly/subwords.ts ↔ src/word2vec/layout.ts): byte
// offsets of the fields of the config block (one per run, shared by all workers) and of the worker
// block (one per worker). The one source of truth: AssemblyScript and TypeScript both import this
// file, so the kernel reads each field where the layout writes it (test/runtime/abi.test.ts).
// Plain `export const` integers only: a module both compilers accept.

// Config block (shared by all workers, read-only except the word counter and abort flag).
export const C_MODE = 0; //             i32: 0 skip-gram, 1 CBOW
export const C_DIM = 4; //              i32: padded dimension (multiple of 4)
export const C_WINDOW = 8; //           i32
export const C_NEGATIVE = 12; //        i32
export const C_VOCAB_SIZE = 16; //      i32
export const C_START_ALPHA = 20; //     f32
export const C_MIN_ALPHA = 24; //       f32
export const C_INPUT = 28; //           ptr: input vectors (syn0), vocab × dim
export const C_OUTPUT = 32; //          ptr: output vectors (syn1neg), vocab × dim
export const C_NOISE_THRESHOLD = 36; // ptr: u32 per word, alias-method acceptance threshold (× 2^32)
export const C_NOISE_ALIAS = 40; //     ptr: i32 per word, alias-method alternative
export const C_KEEP = 44; //            ptr: f32 per word, subsampling keep probability (word2vec.c's `ran`)
export const C_SIGMOID = 48; //         ptr: f32 × 1000, word2vec.c's expTable
export const C_SUBSAMPLE = 52; //       i32: 1 if subsampling is on
export const C_ABORT = 56; //           i32: set to 1 to stop all workers at the next sentence
export const C_WORDS_DONE = 64; //      i64: words processed by all workers (atomic)
export const C_WORDS_TOTAL = 72; //     i64: epochs × training words
export const C_MAX_SENTENCE = 80; //    i32: word2vec.c's MAX_SENTENCE_LENGTH
export const C_UPDATE = 84; //          i32: 0 classic per-pair updates, 1 batched (skip-gram, negative sampling only)
export const C_HS = 88; //              i32: 1 if hierarchical softmax is on
export const C_HS_OUTPUT = 92; //       ptr: hierarchical softmax vectors (syn1), (vocab − 1) inner nodes × dim
export const C_HS_CODES = 96; //        ptr: u8 per path node, the Huffman code bit
export const C_HS_POINTS = 100; //      ptr: i32 per path node, the inner node's row in syn1
export const C_HS_PATHS = 104; //       ptr: i32 pair per word: first path node, path length
export const C_SUBWORDS = 108; //       i32: 1 for fastText-style subword training (see assembly/subwords.ts)
export const C_SUBWORD_OFFSETS = 112; // ptr: i32 per word + 1, start of the word's rows in C_SUBWORD_ROWS
export const C_SUBWORD_ROWS = 116; //   ptr: i32 input-matrix rows (the word's own, then its n-gram buckets)
export const C_LOSS = 120; //           i32: 1 to tally the training loss in W_LOSS / W_PREDICTIONS
export const C_LOSS_TABLE = 124; //     ptr: f32 × 2 × LOSS_BINS, −log σ(x) then −log σ(−x) at bin centres

// Worker block (one per worker, cache-line aligned).
export const W_RANDOM = 0; //    u64
export const W_ALPHA = 8; //     f32
export const W_HIDDEN = 16; //   ptr: dim floats (CBOW's mean of context)
export const W_GRADIENT = 20; // ptr: dim floats (neu1e)
export const W_SENTENCE = 24; // ptr: max-sentence i32
// Scratch of the batched update: sized for 2·window contexts and negative+1 targets.
export const W_CONTEXTS = 28; // ptr: i32 row addresses of the context words
export const W_TARGETS = 32; //  ptr: i32 row addresses of the positive word and the noise words
export const W_SCORES = 36; //   ptr: f32 contexts × targets gradient scales
export const W_DELTAS = 40; //   ptr: f32 contexts × dim input-vector updates
// The loss tally (with C_LOSS): the kernel adds each chunk's sums when the chunk ends.
export const W_LOSS = 48; //        f64: sum of the loss terms (assembly/losses.ts lossTerm)
export const W_PREDICTIONS = 56; // f64: predictions tallied: (centre, context) pairs (skip-gram) or centre words (CBOW)

/** Bins of the loss table over [−LOSS_MAX_X, LOSS_MAX_X) (scores outside are clipped to its ends). */
export const LOSS_BINS = 1000;
export const LOSS_MAX_X = 6;

/** Bytes reserved for the config block and for each worker block. */
export const CONFIG_BYTES = 128;
export const WORKER_BYTES = 64;
