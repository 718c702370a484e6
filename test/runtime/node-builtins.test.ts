// The Node.js built-ins that shared code takes at load time (src/runtime/node-builtins.ts, so the
// browser bundle has no node: import): in Node.js they are the real modules.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { describe, expect, it } from 'vitest';
import { IS_NODE, nodeBuiltin, totalMemoryBytes } from '../../src/runtime/node-builtins.js';

describe('nodeBuiltin in Node.js', () => {
  it('returns the built-in modules themselves', () => {
    expect(IS_NODE).toBe(true);
    expect(nodeBuiltin('node:fs').readFileSync).toBe(fs.readFileSync);
    expect(nodeBuiltin('node:os').availableParallelism).toBe(os.availableParallelism);
    expect(totalMemoryBytes()).toBe(os.totalmem());
  });
});
