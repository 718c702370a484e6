// `wasm2vec predict-prob`: fastText's predict-prob (see predict.ts).
import { predictCommand } from './predict.js';
import { processIO, type CommandIO } from '../io.js';

export function run(argv: string[], io: CommandIO = processIO): Promise<number> {
  return predictCommand('predict-prob', argv, io);
}
