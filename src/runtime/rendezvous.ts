// Where the workers of one pool meet without ending their tasks: each worker, between kernel calls,
// parks (Atomics.wait on an i32 of the shared memory) when the main thread asks for a pause or when
// it reaches the end of an epoch; the main thread sees them all parked, does its work (an epoch
// callback, a checkpoint) and releases them with Atomics.notify. The pool and its workers' optimised
// WebAssembly code stay alive across the meeting. A run that asks for no meeting pays one atomic
// load per kernel chunk.
//
// The block is an 'atomic' region of the shared memory (see memory-layout.ts), RENDEZVOUS_HEADER_BYTES
// then one RENDEZVOUS_SLOT_BYTES slot per worker:
//   i32 [0] pause            1 while the main thread wants every worker parked at its next chunk boundary
//   i32 [1] changes          bumped (and notified) by a worker whenever its slot's state changes
//   i32 [2] epochs released  workers parked at the end of epoch e (1-based) wait until this is ≥ e
//   i32 [3] stop             1 once the run is stopping: parked workers wake and return
//   slot t: i32 state (RUNNING, PARKED, AT_EPOCH_END, DONE), i32 epochs completed, f64 position
//           (where the worker resumes: its next id in its shard, in epoch `epochs completed`)
// Only the owning worker writes its slot; the main thread reads a slot only while it is parked or done.
// coordinate() below is the main thread's loop, and runWithMeetings() the one way trainers run a pool with it
// (word2vec's epoch callbacks and checkpoints, GloVe's iteration ends).
import { seconds } from './phases.js';

export const RENDEZVOUS_HEADER_BYTES = 16;
export const RENDEZVOUS_SLOT_BYTES = 16;

export function rendezvousBytes(workers: number): number {
  return RENDEZVOUS_HEADER_BYTES + workers * RENDEZVOUS_SLOT_BYTES;
}

const PAUSE = 0;
const CHANGES = 1;
const EPOCHS_RELEASED = 2;
const STOP = 3;

export const WorkerState = { Running: 0, Parked: 1, AtEpochEnd: 2, Done: 3 } as const;
export type WorkerState = (typeof WorkerState)[keyof typeof WorkerState];

// Atomics.waitAsync (Node ≥ 16) is in TypeScript's ES2024 lib; this project compiles against ES2023.
const waitAsync = (Atomics as unknown as {
  waitAsync(array: Int32Array, index: number, value: number, timeoutMs: number): { async: boolean; value: Promise<string> | string };
}).waitAsync;

/** Parked workers re-check the stop word this often even without a notify (a safety net, never a hang). */
const PARK_RECHECK_MS = 1_000;

export interface WorkerPlace {
  state: WorkerState;
  /** Epochs this worker has completed (the epoch it continues in, 0-based). */
  epoch: number;
  /** Its next id in its shard. */
  position: number;
}

/** One view of the block, from either side. */
export class Rendezvous {
  private readonly words: Int32Array;
  private readonly positions: Float64Array;

  constructor(buffer: ArrayBufferLike, readonly offset: number, readonly workers: number) {
    if (offset % 8 !== 0) throw new Error(`rendezvous block at ${offset} is not 8-byte aligned`);
    this.words = new Int32Array(buffer, offset, rendezvousBytes(workers) / 4);
    this.positions = new Float64Array(buffer, offset, rendezvousBytes(workers) / 8);
  }

  // ---- worker side ----

  /** Whether the main thread asked for a pause (one atomic load: call it between kernel chunks). */
  pauseRequested(): boolean {
    return Atomics.load(this.words, PAUSE) !== 0;
  }

  /** Parks until the pause is lifted; returns false if the run is stopping. */
  park(worker: number, epoch: number, position: number): boolean {
    this.setPlace(worker, WorkerState.Parked, epoch, position);
    while (Atomics.load(this.words, PAUSE) !== 0 && !this.stopping()) {
      Atomics.wait(this.words, PAUSE, 1, PARK_RECHECK_MS);
    }
    this.setState(worker, WorkerState.Running);
    return !this.stopping();
  }

  /**
   * At the end of epoch `epoch` (1-based, = epochs completed): parks until the main thread releases
   * that epoch (a pause asked meanwhile finds this worker already parked). Returns false if stopping.
   */
  parkAtEpochEnd(worker: number, epoch: number, position: number): boolean {
    this.setPlace(worker, WorkerState.AtEpochEnd, epoch, position);
    for (;;) {
      const released = Atomics.load(this.words, EPOCHS_RELEASED);
      if (released >= epoch || this.stopping()) break;
      Atomics.wait(this.words, EPOCHS_RELEASED, released, PARK_RECHECK_MS);
    }
    this.setState(worker, WorkerState.Running);
    return !this.stopping();
  }

  /** The worker's task is over (normally or not): the main thread no longer waits for it. */
  done(worker: number): void {
    this.setState(worker, WorkerState.Done);
  }

  private setPlace(worker: number, state: WorkerState, epoch: number, position: number): void {
    const slot = (RENDEZVOUS_HEADER_BYTES + worker * RENDEZVOUS_SLOT_BYTES) / 4;
    Atomics.store(this.words, slot + 1, epoch);
    this.positions[slot / 2 + 1] = position;
    this.setState(worker, state);
  }

  private setState(worker: number, state: WorkerState): void {
    Atomics.store(this.words, (RENDEZVOUS_HEADER_BYTES + worker * RENDEZVOUS_SLOT_BYTES) / 4, state);
    Atomics.add(this.words, CHANGES, 1);
    Atomics.notify(this.words, CHANGES);
  }

  // ---- main-thread side ----

  /** Resets the block before the workers start. */
  reset(): void {
    this.words.fill(0);
  }

  place(worker: number): WorkerPlace {
    const slot = (RENDEZVOUS_HEADER_BYTES + worker * RENDEZVOUS_SLOT_BYTES) / 4;
    return { state: Atomics.load(this.words, slot) as WorkerState, epoch: Atomics.load(this.words, slot + 1), position: this.positions[slot / 2 + 1] };
  }

  places(): WorkerPlace[] {
    return Array.from({ length: this.workers }, (_, t) => this.place(t));
  }

  /** True when no worker is running (each is parked, at an epoch end or done). */
  allStill(): boolean {
    return this.places().every((p) => p.state !== WorkerState.Running);
  }

  requestPause(): void {
    Atomics.store(this.words, PAUSE, 1);
  }

  releasePause(): void {
    Atomics.store(this.words, PAUSE, 0);
    Atomics.notify(this.words, PAUSE);
  }

  /** Lets the workers parked at the end of `epoch` (1-based) go on. */
  releaseEpoch(epoch: number): void {
    Atomics.store(this.words, EPOCHS_RELEASED, epoch);
    Atomics.notify(this.words, EPOCHS_RELEASED);
  }

  /** The run is stopping: every parked worker wakes and returns (call with the abort flag). */
  stop(): void {
    Atomics.store(this.words, STOP, 1);
    this.releasePause();
    Atomics.notify(this.words, EPOCHS_RELEASED);
  }

  stopping(): boolean {
    return Atomics.load(this.words, STOP) !== 0;
  }

  /** Resolves when a worker's state changes, or after `timeoutMs` (the main thread never blocks). */
  async changed(timeoutMs: number): Promise<void> {
    const seen = Atomics.load(this.words, CHANGES);
    const wait = waitAsync(this.words, CHANGES, seen, Math.max(0, timeoutMs));
    if (wait.async) await wait.value;
  }
}

interface MeetingHooks {
  /** With every worker parked at the end of `epoch` (1-based): false stops the run, throwing fails it. */
  epochEnd?: (epoch: number, epochSeconds: number) => Promise<boolean>;
  /** Every `pauseEverySeconds`, with every worker parked at its next chunk boundary (or an epoch end, or done). */
  pause?: () => Promise<void>;
  pauseEverySeconds?: number;
}

/**
 * The main thread's side of the rendezvous: waits (without blocking the event loop) for every worker
 * to park at the end of the next epoch, runs the hook, and releases them. Returns when the workers
 * are all done, the run is stopping or `finished()` says the pool has settled.
 */
async function coordinate(rendezvous: Rendezvous, firstEpoch: number, epochs: number, finished: () => boolean, hooks: MeetingHooks): Promise<void> {
  let epoch = firstEpoch;
  let epochStarted = performance.now();
  const pauseEveryMs = (hooks.pauseEverySeconds ?? Infinity) * 1000;
  let nextPause = performance.now() + pauseEveryMs;
  while (!finished() && !rendezvous.stopping()) {
    const places = rendezvous.places();
    if (places.every((p) => p.state === WorkerState.Done)) return;
    if (hooks.pause && performance.now() >= nextPause) {
      rendezvous.requestPause();
      try {
        while (!rendezvous.allStill() && !finished() && !rendezvous.stopping()) await rendezvous.changed(COORDINATOR_POLL_MS);
        if (!finished() && !rendezvous.stopping()) await hooks.pause();
      } finally {
        rendezvous.releasePause();
      }
      nextPause = performance.now() + pauseEveryMs;
      continue;
    }
    if (hooks.epochEnd && epoch <= epochs && places.every((p) => p.state === WorkerState.AtEpochEnd && p.epoch === epoch)) {
      const go = await hooks.epochEnd(epoch, seconds(epochStarted));
      if (!go) {
        rendezvous.stop();
        return;
      }
      epochStarted = performance.now();
      rendezvous.releaseEpoch(epoch);
      epoch++;
      continue;
    }
    await rendezvous.changed(Math.min(COORDINATOR_POLL_MS, Math.max(1, nextPause - performance.now())));
  }
}

/** What the meetings did to a run. */
export interface MeetingOutcome {
  /** Set to the epoch whose end hook said stop. */
  epochsCompleted: number;
  stoppedEarly: boolean;
  /** Seconds the workers spent parked for the hooks. */
  pausedSeconds: number;
}

export interface Meetings {
  rendezvous: Rendezvous;
  /** The first epoch (1-based) whose end the workers will reach, and the last. */
  firstEpoch: number;
  epochs: number;
  /** With every worker parked at the end of `epoch`: false ends the run early, throwing fails it. */
  atEpochEnd: (epoch: number, epochSeconds: number) => Promise<boolean>;
  /** Every `pauseEverySeconds`, with every worker parked at its next chunk boundary. */
  pause?: () => Promise<void>;
  pauseEverySeconds?: number;
}

/**
 * Awaits a pool's run (`running`, already started) while the main thread meets its workers at epoch
 * ends and pauses (none without `meetings`): every trainer's one path for epoch callbacks and
 * checkpoints. The hooks' time goes to outcome.pausedSeconds; an early stop sets
 * outcome.epochsCompleted and stoppedEarly; an error thrown by a hook stops the workers (`stop`) and
 * is the error this rejects with, not the pool's own.
 */
export async function runWithMeetings<R>(running: Promise<R>, stop: () => void, meetings: Meetings | undefined, outcome: MeetingOutcome): Promise<R> {
  if (!meetings) return running;
  const timed = async <T>(hook: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    try {
      return await hook();
    } finally {
      outcome.pausedSeconds += seconds(started);
    }
  };
  let hookFailed = false;
  let hookError: unknown;
  let settled = false;
  const coordinator = coordinate(meetings.rendezvous, meetings.firstEpoch, meetings.epochs, () => settled, {
    pause: meetings.pause && (() => timed(meetings.pause!)),
    pauseEverySeconds: meetings.pauseEverySeconds,
    epochEnd: (epoch, epochSeconds) =>
      timed(async () => {
        const go = await meetings.atEpochEnd(epoch, epochSeconds);
        if (!go) {
          outcome.epochsCompleted = epoch;
          outcome.stoppedEarly = true;
        }
        return go;
      }),
  }).catch((error: unknown) => {
    hookFailed = true;
    hookError = error;
    stop();
  });
  let results: R;
  try {
    results = await running;
  } catch (error) {
    throw hookFailed ? hookError : error;
  } finally {
    settled = true;
    await coordinator;
  }
  if (hookFailed) throw hookError;
  return results;
}

/** The coordinator re-checks this often even when no worker changed state (to notice a settled pool). */
const COORDINATOR_POLL_MS = 100;
