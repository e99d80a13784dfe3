// A trivial cell's round trip through the kernel: compile (esbuild transform + REPL rewrite +
// source-map composition) on the host, IPC to the kernel process, postMessage on to its cell thread, run, value
// formatted, result back the same way. Beside it, the floors: a bare IPC echo to a child process plus a
// postMessage echo to a worker thread, which is all a round trip must cost without compiling. Also the cold first
// run (kernel process + cell thread start + engine load + first esbuild call).
import { spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import { startKernel, cell } from '../../test/unit/kernel/kernel_fixture';

const SUITE = 'cell round trip';
const SAMPLES = 200;

async function echoRoundTripMs(): Promise<number> {
  const worker = new Worker('require("node:worker_threads").parentPort.on("message", (m) => require("node:worker_threads").parentPort.postMessage(m));', { eval: true });
  const once = () => new Promise<void>((resolve) => {
    worker.once('message', () => resolve());
    worker.postMessage({ type: 'run', code: '1 + 1' });
  });
  for (let i = 0; i < 20; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  await worker.terminate();
  return median(samples);
}

/** A child process that echoes IPC messages, as the kernel process's hop costs without relaying to its thread. */
async function ipcEchoRoundTripMs(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'process.on("message", (m) => process.send(m))'], { serialization: 'advanced', stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const once = () => new Promise<void>((resolve) => {
    child.once('message', () => resolve());
    child.send({ type: 'run', code: '1 + 1' });
  });
  for (let i = 0; i < 20; i++) await once();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await once();
    samples.push(performance.now() - start);
  }
  child.kill();
  return median(samples);
}

export default async function run(): Promise<BenchRow[]> {
  const kernel = await startKernel();
  try {
    const coldStart = performance.now();
    const first = await kernel.run(cell('1 + 1'));
    const coldMs = performance.now() - coldStart;
    if (first.value !== '2') throw new Error(`cell_roundtrip: expected 2, got ${first.outcome} ${first.value}`);
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
      {
        suite: SUITE,
        case: 'first cell after start (cold: kernel process + cell thread + engine load + first esbuild call)',
        unit: 'ms',
        tapescope: coldMs,
        peers: {},
        higherIsBetter: false,
        note: 'one sample; paid once per kernel (first run and after each restart)',
      },
    ];
  } finally {
    await kernel.dispose();
  }
}
