import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** Logical CPUs Node may use (os.availableParallelism()). */
  cores: number;
  /** "processor" entries in /proc/cpuinfo, when readable. */
  cpuinfoProcessors: number | null;
  cpuFlags: { avx2: boolean; avx512f: boolean; fma: boolean } | null;
  memoryGiB: number;
  node: string;
  v8: string;
  platform: string;
  arch: string;
  kernel: string;
  /** 1, 5 and 15 minute load averages when the benchmark started: other work on the machine skews every figure. */
  loadAverage: number[];
}

export function machineInfo(): MachineInfo {
  let cpuModel = cpus()[0]?.model?.trim() ?? 'unknown';
  let processors: number | null = null;
  let flags: MachineInfo['cpuFlags'] = null;
  try {
    const text = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^model name\s*:\s*(.+)$/m.exec(text);
    if (model) cpuModel = model[1].trim();
    processors = (text.match(/^processor\s*:/gm) ?? []).length || null;
    const f = /^flags\s*:\s*(.+)$/m.exec(text)?.[1].split(/\s+/) ?? [];
    if (f.length > 0) flags = { avx2: f.includes('avx2'), avx512f: f.includes('avx512f'), fma: f.includes('fma') };
  } catch {
    // not Linux: os.cpus() is all we have
  }
  return {
    cpuModel,
    cores: availableParallelism(),
    cpuinfoProcessors: processors,
    cpuFlags: flags,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    v8: process.versions.v8,
    platform: process.platform,
    arch: process.arch,
    kernel: release(),
    loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
  };
}

export function describeMachine(m: MachineInfo): string {
  const flags = m.cpuFlags ? [m.cpuFlags.avx2 && 'AVX2', m.cpuFlags.fma && 'FMA', m.cpuFlags.avx512f && 'AVX-512'].filter(Boolean).join('/') : '';
  return `${m.cpuModel}${flags ? ` (${flags})` : ''}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node} (V8 ${m.v8}), ${m.platform}/${m.arch}, load average at start ${m.loadAverage.join(' ')}`;
}
