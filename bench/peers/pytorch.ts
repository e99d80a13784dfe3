// PyTorch as a bench peer, through the system Python (Debian's python3-torch). Absent torch is not an
// error: callers get null and say so in the row's note.
import { execFileSync } from 'node:child_process';

const PYTHON = '/usr/bin/python3';
let cachedVersion: string | null | undefined;

/** torch.__version__, or null when `import torch` fails. */
export function pytorchVersion(): string | null {
  if (cachedVersion === undefined) {
    try {
      cachedVersion = execFileSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 60_000 }).trim();
    } catch {
      cachedVersion = null;
    }
  }
  return cachedVersion;
}

/** Note for rows when PyTorch is missing. */
export const PYTORCH_MISSING_NOTE = 'PyTorch skipped: `import torch` failed (apt-get install python3-torch)';

/** Which BLAS Debian's torch resolves libblas.so.3 to: the reference netlib BLAS is ~15x slower than OpenBLAS. */
export function blasLibrary(): string {
  try {
    const resolved = execFileSync('readlink', ['-f', '/usr/lib/x86_64-linux-gnu/libblas.so.3'], { encoding: 'utf8' }).trim();
    return resolved.includes('openblas') ? 'OpenBLAS' : resolved.includes('blis') ? 'BLIS' : `reference BLAS (${resolved})`;
  } catch {
    return 'unknown';
  }
}

/**
 * Runs a Python script with `input` as JSON on stdin and returns its stdout parsed as JSON.
 * The script runs with torch limited to one thread (set before it starts) so figures are per core.
 */
export function runPytorchScript<T>(script: string, input: unknown): T {
  const prelude = 'import torch, json, sys\ntorch.set_num_threads(1)\n';
  const stdout = execFileSync(PYTHON, ['-c', prelude + script], {
    input: JSON.stringify(input), encoding: 'utf8', timeout: 600_000, maxBuffer: 16 << 20,
    // BLAS libraries start their own thread pools; keep them to one core too.
    env: { ...process.env, OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' },
  });
  return JSON.parse(stdout) as T;
}
