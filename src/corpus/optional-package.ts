// Loads an optional dependency (jieba, OpenCC) only when an option asks for it, with a message that
// says which package to install when it is absent. The specifier is a variable, so the compiler and
// a plain install never need the package.
import { Wasm2VecError } from '../errors.js';

export async function importOptional<T>(specifier: string, packageName: string, neededFor: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Wasm2VecError(`${neededFor} needs the optional package ${packageName}, which is not installed: run \`npm install ${packageName}\``, { cause: error });
    }
    throw new Wasm2VecError(`${neededFor}: cannot load ${packageName}: ${(error as Error).message}`, { cause: error });
  }
}
