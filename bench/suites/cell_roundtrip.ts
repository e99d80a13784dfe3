// A cell's round trip through the kernel, warm and cold. Warm: a trivial cell compiled (esbuild transform + REPL
// rewrite + source-map composition) on the host, IPC to the kernel process, postMessage on to its cell thread,
// run, value formatted, result back the same way; beside it, the floors: a bare IPC echo to a child process plus
// a postMessage echo to a worker thread. Cold: each sample is a fresh Node process playing a freshly started
// extension host (bench/cold_start_probe.ts), so nothing of this process's warm compiler or kernel helps.
import { execFile, spawn } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import type { ColdStartSample } from '../cold_start_probe';
import { buildWorker, startKernel, cell } from '../../test/unit/kernel/kernel_fixture';

const SUITE = 'cell round trip';
const SAMPLES = 200;
/** Fresh host processes per cold scenario (each costs a few seconds). */
const COLD_SAMPLES = 5;
const BEFORE = 'no warm-up, no spare (before #17)';
const probeScript = path.join(__dirname, '..', 'cold_start_probe.ts');

/** Median of SAMPLES round trips after 20 warm-up ones. */
async function medianRoundTripMs(once: () => Promise<void>): Promise<number> {
  for (let i = 0; i < 20; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function echoRoundTripMs(): Promise<number> {
  const worker = new Worker('require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));', { eval: true });
  const once = () => new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.postMessage({ type: 'run', code: '1 + 1' });
  });
  const ms = await medianRoundTripMs(once);
  await worker.terminate();
  return ms;
}

/** A child process that echoes IPC messages, as the kernel process's hop costs without relaying to its thread. */
async function ipcEchoRoundTripMs(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.on("message", (m) => process.send(m))'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const once = () => new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send({ type: 'run', code: '1 + 1' });
  });
  const ms = await medianRoundTripMs(once);
  child.kill();
  return ms;
}

async function coldSample(scenario: 'warm-up' | 'no-warm-up', workerScript: string): Promise<ColdStartSample> {
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', probeScript, scenario, workerScript], {
    cwd: path.join(__dirname, '..', '..'), encoding: 'utf8', timeout: 120_000,
  });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ColdStartSample;
}

async function coldRows(): Promise<BenchRow[]> {
  const workerScript = await buildWorker();
  const warm: ColdStartSample[] = [];
  const before: ColdStartSample[] = [];
  // Alternated, so that a change in the machine's load falls on both.
  for (let i = 0; i < COLD_SAMPLES; i++) {
    warm.push(await coldSample('warm-up', workerScript));
    before.push(await coldSample('no-warm-up', workerScript));
  }
  const med = (samples: ColdStartSample[], key: keyof ColdStartSample) => median(samples.map((s) => s[key] ?? NaN));
  const fresh = `median of ${COLD_SAMPLES} fresh host processes`;
  return [
    {
      suite: SUITE, case: 'first cell after start: Run → value, the cell file\'s warm-up done', unit: 'ms',
      tapescope: med(warm, 'firstCellMs'), peers: { [BEFORE]: med(before, 'firstCellMs') }, higherIsBetter: false,
      note: `a 4-line tape cell (constant, GradientTape, gradient): compile, IPC, run, tape export, value back (in the cell thread: ${med(warm, 'firstCellThreadMs').toFixed(0)} ms, before: ${med(before, 'firstCellThreadMs').toFixed(0)} ms); ${fresh}; target ≤ 100 ms. Before: Run on a kernel nothing had started (fork + engine load + esbuild.wasm compile + first transform inside the Run)`,
    },
    {
      suite: SUITE, case: 'first cell after start: CPU time it costs (host + kernel process, all threads)', unit: 'ms',
      tapescope: med(warm, 'firstCellCpuMs'), peers: {}, higherIsBetter: false,
      note: `the same Run as above, as CPU time (host: process.cpuUsage, ${med(warm, 'firstCellHostCpuMs').toFixed(0)} ms of it; kernel process: /proc schedstat of its threads), which the row above approaches on an idle machine whatever the load; ${fresh}`,
    },
    {
      suite: SUITE, case: 'first cell after Restart: Restart pressed, then Run → value', unit: 'ms',
      tapescope: med(warm, 'firstCellAfterRestartMs'), peers: { [BEFORE]: med(before, 'firstCellAfterRestartMs') }, higherIsBetter: false,
      note: `the same cell; Restart kills the old process and swaps to the warm spare, the Run goes to it at once; ${fresh}. Before: the Run waits for a new process to start`,
    },
    {
      suite: SUITE, case: 'warm-up in the background: cell file shown → kernel process ready', unit: 'ms',
      tapescope: med(warm, 'processReadyMs'), peers: {}, higherIsBetter: false,
      note: `fork + Node start + engine bundle load + cell thread warm-up, while the user reads the file; ${fresh}`,
    },
    {
      suite: SUITE, case: 'warm-up in the background: cell file shown → cell compiler ready', unit: 'ms',
      tapescope: med(warm, 'compilerReadyMs'), peers: {}, higherIsBetter: false,
      note: `compiler thread start + esbuild.wasm compile and initialize + warm-up compiles until one takes < 2 ms, at most 20 (the first pays esbuild.wasm's lazy function compiles, the next its tier-up), at the same time as the kernel's; ${fresh}`,
    },
  ];
}

export default async function run(): Promise<BenchRow[]> {
  const cold = await coldRows();
  const kernel = await startKernel();
  try {
    await kernel.warmUp();
    for (let i = 0; i < 20; i++) await kernel.run(cell('1 + 1'));
    const samples: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = performance.now();
      await kernel.run(cell('const x = 1;\nx + 1'));
      samples.push(performance.now() - start);
    }
    const echo = await echoRoundTripMs();
    const ipcEcho = await ipcEchoRoundTripMs();
    return [
      {
        suite: SUITE,
        case: 'trivial cell `const x = 1; x + 1` (warm)',
        unit: 'ms',
        tapescope: median(samples),
        peers: { 'bare IPC echo + worker postMessage echo': ipcEcho + echo },
        higherIsBetter: false,
        note: `median of ${SAMPLES}; includes esbuild transform, acorn rewrite, source-map composition, vm run, trace capture and value repr`,
      },
      ...cold,
    ];
  } finally {
    await kernel.dispose();
  }
}
