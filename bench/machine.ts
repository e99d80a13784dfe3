// Facts about the machine and runtime printed at the top of docs/PERFORMANCE.md.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineFacts {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  v8: string;
  /** 1-minute load average when the bench started: other work on the machine skews the figures. */
  loadAverage: number;
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // Not Linux: fall through to what Node reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function cpuFlags(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('flags'));
    const flags = new Set(line?.split(':')[1].trim().split(/\s+/) ?? []);
    return ['avx2', 'fma', 'avx512f'].filter((f) => flags.has(f)).join(', ');
  } catch {
    return '';
  }
}

export function machineFacts(): MachineFacts {
  const flags = cpuFlags();
  return {
    cpu: cpuModel() + (flags ? ` (${flags})` : ''),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: os.loadavg()[0],
  };
}
