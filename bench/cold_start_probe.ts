// One cold start, in a fresh Node process playing a freshly started extension host (no compiler thread, no
// esbuild.wasm compiled, no kernel process), with the runtime the bench runs on. bench/suites/cell_roundtrip.ts
// starts it once per sample: `node --import tsx bench/cold_start_probe.ts <scenario> <kernel_process.js>`; it
// prints one JSON line of ColdStartSample.
//   warm-up: what the extension does when a cell file is shown (Kernel.warmUp: the kernel process and the cell
//            compiler start and warm up at once), then Run on the first cell; then Restart (onto the spare
//            process) and Run at once.
//   no-warm-up: Run pressed on a kernel nothing started beforehand (the code before #17: everything is paid inside
//            the first Run), then Restart without a spare and Run again.
import { readFileSync, readdirSync } from 'node:fs';
import { Kernel } from '../src/kernel/kernel';
import { warmUpCompiler } from '../src/repl/compile_cell';

export interface ColdStartSample {
  /** Cell file shown → kernel process ready (fork, Node start, engine load, cell thread warm-up). */
  processReadyMs?: number;
  /** Cell file shown → compiler ready (thread start, esbuild.wasm compile and initialize, warm-up compiles). */
  compilerReadyMs?: number;
  /** Run → value back for the first cell (compile, IPC, run, tape export, value repr). */
  firstCellMs: number;
  /** Of that, the time the cell thread took to run it (vm, engine ops, tape export, repr). */
  firstCellThreadMs: number;
  /**
   * CPU time the first cell cost, all threads of the host and the kernel process (Linux: the kernel's from
   * /proc/<pid>/task/<tid>/schedstat): what its wall time approaches on an idle machine, whatever the load now.
   */
  firstCellCpuMs?: number;
  /** Of that, the host's (main thread, compiler thread, V8's background compiles). */
  firstCellHostCpuMs?: number;
  /** Restart Kernel pressed, then Run at once → the value of that first cell after the restart. */
  firstCellAfterRestartMs: number;
}

/** A first cell as the examples start: a watched constant, a tape, its gradient — a trace goes back too. */
export const FIRST_CELL = [
  'let x = tf.constant(3.0);',
  'let tape = new tf.GradientTape();',
  'let y = tape.record(() => { tape.watch([x]); return x.mul(x); });',
  'tape.gradient(y, [x])',
].join('\n');

/** CPU time of every thread of a process so far, in ms (undefined where /proc is not there). */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6, 0);
  } catch {
    return undefined;
  }
}

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
  const start = performance.now();
  const value = await fn();
  return [value, performance.now() - start];
}

async function main(): Promise<void> {
  const [scenario, workerScript] = process.argv.slice(2);
  const warm = scenario === 'warm-up';
  const kernel = new Kernel({ workerScript, maxOldGenerationSizeMb: 1024, interruptTimeoutMs: 3000, spareProcess: warm });
  const run = async () => {
    const result = await kernel.run({ code: FIRST_CELL, file: '/bench/first_cell.ts', lineOffset: 0, title: 'first' });
    if (result.outcome !== 'ok') throw new Error(`cold start probe: the first cell ended ${result.outcome}: ${result.message ?? result.error?.message}`);
    return result.durationMs;
  };
  try {
    const sample: Partial<ColdStartSample> = {};
    if (warm) {
      const shown = performance.now();
      // What Kernel.warmUp does, with each half timed from the moment the file was shown.
      const compiler = warmUpCompiler().then(() => { sample.compilerReadyMs = performance.now() - shown; });
      const idle = kernel.onState.event((state) => {
        if (state === 'idle') sample.processReadyMs ??= performance.now() - shown;
      });
      await kernel.warmUp();
      idle.dispose();
      await compiler;
      await kernel.spareReady();
    }
    const hostCpu = process.cpuUsage();
    const kernelCpu = processCpuMs(kernel.processId);
    [sample.firstCellThreadMs, sample.firstCellMs] = await timed(run);
    const hostCpuMs = (process.cpuUsage(hostCpu).user + process.cpuUsage(hostCpu).system) / 1000;
    const kernelCpuNow = processCpuMs(kernel.processId);
    if (kernelCpu !== undefined && kernelCpuNow !== undefined) {
      sample.firstCellHostCpuMs = hostCpuMs;
      sample.firstCellCpuMs = hostCpuMs + kernelCpuNow - kernelCpu;
    }
    if (warm) await kernel.spareReady();
    [, sample.firstCellAfterRestartMs] = await timed(async () => {
      const restarted = kernel.restart();
      await run();
      await restarted;
    });
    process.stdout.write(JSON.stringify(sample) + '\n');
  } finally {
    await kernel.dispose();
  }
}

if (require.main === module) {
  main().then(() => process.exit(0), (error) => {
    console.error(error);
    process.exit(1);
  });
}
