// Node.js built-in modules for code that the browser bundle shares (corpus reading, formats, options):
// taken at load time with process.getBuiltinModule (Node.js ≥ 20.16), not with `import 'node:…'`,
// so the same module loads in a web page, where a static import of a built-in would not resolve (and
// where the browser build, esbuild with platform 'browser', fails on any). Outside Node.js every
// function of such a module throws a Wasm2VecError naming it: the browser entry reads corpora from
// strings, Blobs and Files, and models from bytes, and never reaches the file-system paths.
import { Wasm2VecError } from '../errors.js';

interface Builtins {
  'node:crypto': typeof import('node:crypto');
  'node:fs': typeof import('node:fs');
  'node:fs/promises': typeof import('node:fs/promises');
  'node:os': typeof import('node:os');
  'node:path': typeof import('node:path');
  'node:readline': typeof import('node:readline');
  'node:url': typeof import('node:url');
  'node:zlib': typeof import('node:zlib');
}

type GetBuiltinModule = <Id extends keyof Builtins>(id: Id) => Builtins[Id];

const getBuiltinModule = (globalThis as unknown as { process?: { getBuiltinModule?: GetBuiltinModule } }).process?.getBuiltinModule;

/** True in Node.js (where the built-ins are real), false in a browser or worker. */
export const IS_NODE = typeof getBuiltinModule === 'function';

/** A Node.js built-in module; outside Node.js, one whose every function throws a Wasm2VecError. */
export function nodeBuiltin<Id extends keyof Builtins>(id: Id): Builtins[Id] {
  return IS_NODE ? getBuiltinModule!(id) : (unavailable(id) as Builtins[Id]);
}

function unavailable(path: string): unknown {
  const fail = () => {
    throw new Wasm2VecError(`${path} is not available outside Node.js: in a browser, give the corpus as a string, Blob or File and models as bytes`);
  };
  // Callable (a function of the module) and indexable (a namespace such as fs.promises).
  return new Proxy(fail, { get: (_, name) => (typeof name === 'string' ? unavailable(`${path}.${name}`) : undefined), apply: fail, construct: fail });
}

/**
 * The machine's memory in bytes: os.totalmem() in Node.js; in a browser navigator.deviceMemory
 * (GiB, which browsers round down and cap at 8), else 4 GiB.
 */
export function totalMemoryBytes(): number {
  if (IS_NODE) return getBuiltinModule!('node:os').totalmem();
  const deviceMemory = (globalThis as unknown as { navigator?: { deviceMemory?: number } }).navigator?.deviceMemory;
  return (deviceMemory ?? 4) * 2 ** 30;
}
