// Where the large streams of a run live (the encoded corpus, co-occurrence records and runs): in a
// region of the shared memory when they fit, or in a temporary file that a worker reads through a
// buffer of its own. One type for every such choice, and the synchronous whole-range reads and
// writes between such files and the shared memory that the worker threads use.
import { nodeBuiltin } from './node-builtins.js';
const { readSync, writeSync } = nodeBuiltin('node:fs');

/** A stream in a region of the shared memory (`offset`), or in a file (`path`); M and F add the fields of each. */
export type Store<M extends object = object, F extends object = M> = ({ kind: 'memory'; offset: number } & M) | ({ kind: 'file'; path: string } & F);

/** Reads exactly `bytes` bytes at `position` of the file into the memory at `offset`. */
export function readExactly(fd: number, memory: WebAssembly.Memory, offset: number, bytes: number, position: number, path: string): void {
  let at = 0;
  while (at < bytes) {
    const n = readSync(fd, new Uint8Array(memory.buffer, offset + at, bytes - at), 0, bytes - at, position + at);
    if (n <= 0) throw new Error(`${path} ended early at byte ${position + at}`);
    at += n;
  }
}

/** Writes `bytes` bytes of the memory at `offset` to the file. */
export function writeAll(fd: number, memory: WebAssembly.Memory, offset: number, bytes: number): void {
  let at = 0;
  while (at < bytes) at += writeSync(fd, new Uint8Array(memory.buffer, offset + at, bytes - at));
}
