// The CommonJS entry (`require('wasm2vec')`, the exports map's "require" condition): the library is
// written as ES modules, which Node.js loads with require() since 20.19 (and 22.12), so this entry
// is the ES build itself, with one clear message on an older Node instead of ERR_REQUIRE_ESM.
import type * as Wasm2Vec from './index.js';

function load(): typeof Wasm2Vec {
  try {
    return require('./index.js') as typeof Wasm2Vec;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_REQUIRE_ESM') throw error;
    throw new Error(`require('wasm2vec') needs Node.js 20.19 or later (this is ${process.version}); on an older Node use import('wasm2vec')`, { cause: error });
  }
}

const wasm2vec: typeof Wasm2Vec = load();
export = wasm2vec;
