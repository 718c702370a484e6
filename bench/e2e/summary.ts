import { median } from '../lib/stats.js';
import type { Mode, ToolId } from './options.js';
import type { Availability, Tool } from './peers.js';
import type { Medians, RunRecord, ScalingPoint, ToolSummary } from './types.js';

const num = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export function mediansOf(runs: RunRecord[]): Medians {
  const m = (f: (r: RunRecord) => number | null | undefined) => num(median(runs.map(f)));
  return {
    wallSeconds: m((r) => r.wallSeconds),
    wordsPerSecond: m((r) => r.wordsPerSecond),
    wordsPerSecondPerThread: m((r) => r.wordsPerSecondPerThread),
    peakRssMiB: m((r) => r.peakRssMiB),
    cpuSeconds: m((r) => r.cpuSeconds),
    ownFigure: m((r) => r.ownFigure?.value),
    trainSeconds: m((r) => r.ownFigure?.trainSeconds),
    analogyTotal: m((r) => r.quality?.analogy?.total),
    analogySemantic: m((r) => r.quality?.analogy?.semantic),
    analogySyntactic: m((r) => r.quality?.analogy?.syntactic),
    analogyAnswered: m((r) => r.quality?.analogy?.answered),
    wordsim: m((r) => r.quality?.wordsim?.spearman),
  };
}

/**
 * One row per tool and mode. The ratio compares each tool with `reference` (wasm2vec) run by run
 * within the same alternation round, so slow drift of the machine affects both sides alike.
 */
export function summarize(
  runs: RunRecord[],
  tools: { tool: Tool; availability: Availability }[],
  modes: Mode[],
  rounds: number,
  modeAvailability: (tool: Tool, mode: Mode) => Availability,
  reference: ToolId = 'wasm2vec',
): ToolSummary[] {
  const out: ToolSummary[] = [];
  for (const mode of modes) {
    for (const { tool, availability } of tools) {
      if (!tool.modes.includes(mode)) continue;
      const modeAvail = modeAvailability(tool, mode);
      const mine = runs.filter((r) => r.tool === tool.id && r.mode === mode);
      const ok = mine.filter((r) => r.ok);
      let status: ToolSummary['status'];
      let reason: string | undefined;
      if (!availability.available) {
        status = 'missing';
        reason = availability.reason;
      } else if (!modeAvail.available) {
        status = 'not available';
        reason = modeAvail.reason;
      } else if (ok.length === 0) {
        status = 'failed';
        reason = mine.find((r) => r.error)?.error ?? 'no run finished';
      } else {
        status = 'ok';
      }
      let ratio: ToolSummary['ratio'] = null;
      if (ok.length > 0) {
        const perRound: (number | null)[] = [];
        for (let round = 1; round <= rounds; round++) {
          const ref = runs.find((r) => r.tool === reference && r.mode === mode && r.round === round && r.ok);
          const own = ok.find((r) => r.round === round);
          perRound.push(ref?.wordsPerSecond && own?.wordsPerSecond ? ref.wordsPerSecond / own.wordsPerSecond : null);
        }
        const med = median(perRound);
        if (Number.isFinite(med)) ratio = { perRound, median: med };
      }
      out.push({
        tool: tool.id,
        label: tool.label,
        mode,
        status,
        reason,
        version: availability.available ? availability.version : undefined,
        detail: availability.available ? availability.detail : undefined,
        okRuns: ok.length,
        failedRuns: mine.length - ok.length,
        medians: mediansOf(ok),
        ratio,
        ownFigureUnit: ok.find((r) => r.ownFigure)?.ownFigure?.unit,
      });
    }
  }
  return out;
}

export function summarizeScaling(runs: RunRecord[], modes: Mode[], threadsList: number[]): ScalingPoint[] {
  const out: ScalingPoint[] = [];
  for (const mode of modes) {
    for (const threads of threadsList) {
      const ok = runs.filter((r) => r.mode === mode && r.threads === threads && r.ok);
      if (runs.every((r) => r.mode !== mode)) continue;
      const m = mediansOf(ok);
      out.push({
        mode, threads, okRuns: ok.length, wallSeconds: m.wallSeconds, wordsPerSecond: m.wordsPerSecond,
        trainWordsPerSecond: m.ownFigure, trainRateUnit: ok.find((r) => r.ownFigure)?.ownFigure?.unit, peakRssMiB: m.peakRssMiB, speedup: null, efficiency: null,
      });
    }
    // Speedup from the training-phase figure when the tool reports one, else from the whole run.
    const one = out.find((p) => p.mode === mode && p.threads === 1);
    for (const p of out.filter((q) => q.mode === mode)) {
      const useTrain = one?.trainWordsPerSecond != null && p.trainWordsPerSecond !== null;
      const base = useTrain ? one!.trainWordsPerSecond : (one?.wordsPerSecond ?? null);
      const value = useTrain ? p.trainWordsPerSecond : p.wordsPerSecond;
      if (base && value !== null) {
        p.speedup = value / base;
        p.efficiency = p.speedup / p.threads;
      }
    }
  }
  return out;
}
