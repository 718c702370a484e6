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

/** What to do about a file-system error, by its code. */
const SYSTEM_ERROR_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free space there or point the temporary/output path at another disk',
  EDQUOT: 'the disk quota is exhausted: free space or use another disk',
  EROFS: 'the file system is read-only: choose a writable directory',
  EACCES: 'permission denied: choose a directory you can write to',
  EPERM: 'operation not permitted: choose a directory you can write to',
  ENOENT: 'no such file or directory: check the path',
  ENOTDIR: 'a component of the path is not a directory: check the path',
  EISDIR: 'the path is a directory: give a file name',
  EMFILE: 'too many open files: raise the limit (ulimit -n)',
  EFBIG: 'the file is too large for this file system or for ulimit -f',
  EIO: 'an input/output error from the device',
};

/** The codes of a write that failed for lack of space or of write access. */
export const WRITE_FAULT_CODES = ['ENOSPC', 'EDQUOT', 'EROFS', 'EFBIG', 'EACCES', 'EPERM', 'EIO'] as const;

/**
 * Turns a Node.js system error (ENOSPC, EROFS, EACCES…) met while doing `what` into a Wasm2VecError
 * naming the path and what to do; any other error is returned unchanged.
 */
export function fromSystemError(error: unknown, what: string, path?: string, onlyCodes?: readonly string[]): unknown {
  if (error instanceof Wasm2VecError || error instanceof AbortError) return error;
  // Errors thrown on a worker thread arrive without `code`; their message still starts with it.
  const code =
    (error && typeof error === 'object' ? (error as { code?: unknown }).code : undefined) ??
    (error instanceof Error ? /^(E[A-Z]+): /.exec(error.message)?.[1] : undefined);
  if (typeof code !== 'string' || !/^E[A-Z]+$/.test(code) || (onlyCodes && !onlyCodes.includes(code))) return error;
  const advice = SYSTEM_ERROR_ADVICE[code] ?? (error as Error).message;
  const where = path ?? (error as { path?: unknown }).path;
  return new Wasm2VecError(`cannot ${what}${typeof where === 'string' ? ` ${where}` : ''}: ${code}, ${advice}`, { cause: error });
}
