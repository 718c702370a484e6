// Matrix Market coordinate format (NIST), the sparse-matrix exchange format scipy.io.mmread,
// R's Matrix::readMM and Julia's MatrixMarket read: a banner, comment lines, "rows cols entries",
// then one "row column value" line per entry, 1-based. Written atomically from a CSR matrix.
import { writeFileAtomic } from '../runtime/atomic-write.js';
import { Wasm2VecError } from '../errors.js';

export interface CsrMatrix {
  rows: number;
  cols: number;
  nnz: number;
  /** rowPtr[i] is the first entry of row i (rows + 1 of them). */
  rowPtr: Uint32Array;
  /** Entry e at byte 8e: u32 column (0-based), f32 value. */
  entries: DataView;
}

/** Entries formatted per write. */
const LINES_PER_WRITE = 1 << 16;

/** Writes `matrix` to `path` as "%%MatrixMarket matrix coordinate real general"; `comments` become % lines. */
export async function writeMatrixMarket(path: string, matrix: CsrMatrix, comments: readonly string[] = []): Promise<void> {
  const { rows, cols, nnz, rowPtr, entries } = matrix;
  try {
    await writeFileAtomic(path, async (out) => {
      const header = ['%%MatrixMarket matrix coordinate real general', ...comments.map((c) => `% ${c.replace(/\n/g, ' ')}`), `${rows} ${cols} ${nnz}`];
      await out.write(`${header.join('\n')}\n`);
      let lines: string[] = [];
      for (let i = 0; i < rows; i++) {
        for (let e = rowPtr[i]; e < rowPtr[i + 1]; e++) {
          // 9 significant digits give back the same f32.
          lines.push(`${i + 1} ${entries.getUint32(8 * e, true) + 1} ${entries.getFloat32(8 * e + 4, true).toPrecision(9)}`);
          if (lines.length === LINES_PER_WRITE) {
            await out.write(`${lines.join('\n')}\n`);
            lines = [];
          }
        }
      }
      if (lines.length > 0) await out.write(`${lines.join('\n')}\n`);
    });
  } catch (error) {
    throw new Wasm2VecError(`cannot write the Matrix Market file ${path}: ${(error as Error).message}`, { cause: error });
  }
}

/** Reads a "coordinate real general" Matrix Market file (as written above) into row, column (0-based) and value arrays. */
export function parseMatrixMarket(text: string, path = 'matrix'): { rows: number; cols: number; i: Uint32Array; j: Uint32Array; v: Float64Array } {
  const lines = text.split('\n');
  if (!/^%%MatrixMarket matrix coordinate real general\s*$/i.test(lines[0] ?? '')) {
    throw new Wasm2VecError(`${path}: line 1 is not a "%%MatrixMarket matrix coordinate real general" banner`);
  }
  let at = 1;
  while (at < lines.length && lines[at].startsWith('%')) at++;
  const size = (lines[at] ?? '').trim().split(/\s+/).map(Number);
  if (size.length !== 3 || !size.every((x) => Number.isInteger(x) && x >= 0)) throw new Wasm2VecError(`${path}: line ${at + 1} should be "rows cols entries"`);
  const [rows, cols, nnz] = size;
  const i = new Uint32Array(nnz);
  const j = new Uint32Array(nnz);
  const v = new Float64Array(nnz);
  for (let e = 0; e < nnz; e++) {
    const line = lines[at + 1 + e];
    const parts = (line ?? '').trim().split(/\s+/);
    const r = Number(parts[0]);
    const c = Number(parts[1]);
    const x = Number(parts[2]);
    if (parts.length !== 3 || !Number.isInteger(r) || !Number.isInteger(c) || r < 1 || r > rows || c < 1 || c > cols || !Number.isFinite(x)) {
      throw new Wasm2VecError(`${path}: line ${at + 2 + e} should be "row column value" within ${rows} × ${cols}, got "${line}"`);
    }
    i[e] = r - 1;
    j[e] = c - 1;
    v[e] = x;
  }
  return { rows, cols, i, j, v };
}
