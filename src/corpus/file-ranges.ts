// Splitting a plain-text file into byte ranges that threads can read apart: the vocabulary pass
// (count-vocabulary.ts) and the phrase counter (phrases/learn.ts) cut at different separators, so
// each passes its own boundary rule; the reading, the gzip and size checks live here once.
import { nodeBuiltin } from '../runtime/node-builtins.js';

const { promises: fs } = nodeBuiltin('node:fs');

/** Bytes read per look for a boundary (a line or word longer than this moves on to the next window). */
const WINDOW_BYTES = 1 << 20;

/** Where a range starts: `offset`, and whether that is just after a line end. */
export interface RangeStart {
  offset: number;
  lineStart: boolean;
}

/**
 * In a window of bytes, the index of the separator a range may end with (the next range starts
 * after it), or undefined when the window has none.
 */
export type BoundaryRule = (window: Buffer) => { index: number; lineStart: boolean } | undefined;

/**
 * Splits the file into `parts` ranges near equal sizes, each boundary the first separator `rule`
 * finds from the nominal cut on. Returns the `parts` starts and then the file's end (lineStart
 * false), or undefined for a file smaller than `minBytes`, a gzip file, or anything but a regular
 * file (the one-thread path reads those, and reports a missing file). A boundary not found before
 * the end is the end, so ranges may be empty.
 */
export async function splitFile(path: string, parts: number, minBytes: number, rule: BoundaryRule): Promise<RangeStart[] | undefined> {
  let handle;
  try {
    handle = await fs.open(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile() || stat.size < minBytes) return undefined;
    const buffer = Buffer.alloc(WINDOW_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, 2, 0);
    if (bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b) return undefined;
    const starts: RangeStart[] = [{ offset: 0, lineStart: true }];
    for (let k = 1; k < parts; k++) {
      let position = Math.max(Math.floor((stat.size * k) / parts), starts[k - 1].offset);
      let boundary: RangeStart = { offset: stat.size, lineStart: false };
      while (position < stat.size) {
        const { bytesRead: n } = await handle.read(buffer, 0, WINDOW_BYTES, position);
        if (n === 0) break;
        const found = rule(buffer.subarray(0, n));
        if (found) {
          boundary = { offset: position + found.index + 1, lineStart: found.lineStart };
          break;
        }
        position += n;
      }
      starts.push(boundary);
    }
    starts.push({ offset: stat.size, lineStart: false });
    return starts;
  } finally {
    await handle.close();
  }
}
