/**
 * An error caused by the user's input (a bad option, a corrupt file, a corpus with no usable words).
 * The CLI prints its message without a stack trace and exits non-zero; library callers can test
 * `instanceof Wasm2VecError` to tell input problems from bugs.
 */
export class Wasm2VecError extends Error {
  override name = 'Wasm2VecError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Thrown (as the rejection reason) when a run is stopped through its AbortSignal. */
export class AbortError extends Error {
  override name = 'AbortError';
  constructor(message = 'the operation was aborted') {
    super(message);
  }
}
