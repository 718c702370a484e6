// SIGINT and SIGTERM for the whole CLI: the first signal aborts the running command through one
// process-wide AbortSignal (training stops, a save in progress is abandoned, temporary files are
// removed by their owners) and the command then exits 130 (SIGINT) or 143 (SIGTERM). A second signal
// exits at once, after removing every temporary path still registered.
import { removeAllTempPaths } from '../runtime/temp-files.js';

const controller = new AbortController();
let received: NodeJS.Signals | undefined;
/** If the orderly stop has not finished by then (something is stuck), exit anyway. */
const FORCED_EXIT_MS = 10_000;

const EXIT_CODES: Partial<Record<NodeJS.Signals, number>> = { SIGINT: 130, SIGTERM: 143 };

/** Aborted when the process receives SIGINT or SIGTERM (after installInterruptHandlers()). */
export function interruptSignal(): AbortSignal {
  return controller.signal;
}

/** The exit code for the signal received (130 SIGINT, 143 SIGTERM), or undefined if none was. */
export function interruptExitCode(): number | undefined {
  return received && EXIT_CODES[received];
}

function exitNow(signal: NodeJS.Signals): never {
  removeAllTempPaths();
  process.exit(EXIT_CODES[signal] ?? 130);
}

function onSignal(signal: NodeJS.Signals): void {
  if (received !== undefined) {
    process.stderr.write(`\nwasm2vec: ${signal} again: exiting now; temporary files removed, no output written\n`);
    exitNow(received);
  }
  received = signal;
  process.stderr.write(`\nwasm2vec: ${signal}: stopping, removing temporary files (press Ctrl-C again to exit at once)\n`);
  controller.abort();
  setTimeout(() => {
    process.stderr.write('wasm2vec: did not stop in time: exiting; temporary files removed\n');
    exitNow(signal);
  }, FORCED_EXIT_MS).unref();
}

/** Installs the handlers; the last resort of removing registered temporary paths runs on every exit. */
export function installInterruptHandlers(): void {
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', () => removeAllTempPaths());
}
