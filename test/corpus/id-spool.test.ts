import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IdSpool, encodeToFile, encodeToMemory } from '../../src/corpus/id-spool.js';
import { liveTempPaths } from '../../src/runtime/temp-files.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('IdSpool', () => {
  it('spills past its memory budget into the given temporary directory, reads back in order, and removes its files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wasm2vec-spool-test-'));
    dirs.push(dir);
    const spool = new IdSpool(0, dir); // budget 0: every block spills
    const n = (1 << 20) * 2 + 123; // two full blocks and a partial one
    for (let i = 0; i < n; i++) spool.push(i % 1000);
    spool.finish();
    expect(readdirSync(dir).filter((f) => f.startsWith('wasm2vec-spool-'))).toHaveLength(1);
    const remap = Int32Array.from({ length: 1000 }, (_, i) => (i % 3 === 0 ? -1 : i));
    const target = new Int32Array(n);
    const kept = encodeToMemory(spool, remap, target);
    let expected = 0;
    for (let i = 0; i < n; i++) if ((i % 1000) % 3 !== 0) expected++;
    expect(kept).toBe(expected);
    expect(target[0]).toBe(1);
    expect(target[1]).toBe(2);
    expect(target[2]).toBe(4);
    const encoded = encodeToFile(spool, remap, dir);
    expect(encoded.kind).toBe('file');
    if (encoded.kind !== 'file') return;
    expect(encoded.path.startsWith(dir)).toBe(true);
    expect(encoded.length).toBe(expected);
    encoded.dispose();
    spool.dispose();
    expect(readdirSync(dir)).toEqual([]);
    expect(liveTempPaths().filter((p) => p.startsWith(dir))).toEqual([]);
  });
});
