// Facts about the machine and runtime printed at the top of docs/PERFORMANCE.md.
import { readFileSync } from 'node:fs';
import os from 'node:os';

export interface MachineFacts {
  cpu: string;
  /** The SIMD extensions /proc/cpuinfo lists (what the WASM SIMD code and PyTorch's BLAS can use). */
  simdFlags: string;
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

/** x86 vector extensions from SSE4 to AMX, and Arm's (Advanced SIMD, SVE), in that order. */
const SIMD_FLAGS = ['sse4_1', 'sse4_2', 'avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512dq', 'avx512bw', 'avx512vl', 'avx512_vnni', 'avx512_bf16', 'avx_vnni', 'amx_tile', 'asimd', 'asimdhp', 'sve', 'sve2'];

function cpuFlags(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => /^(flags|Features)\s*:/.test(l));
    const flags = new Set(line?.split(':')[1].trim().split(/\s+/) ?? []);
    return SIMD_FLAGS.filter((f) => flags.has(f)).join(', ');
  } catch {
    return '';
  }
}

export function machineFacts(): MachineFacts {
  return {
    cpu: cpuModel(),
    simdFlags: cpuFlags(),
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    v8: process.versions.v8,
    loadAverage: os.loadavg()[0],
  };
}
