// The cell thread: a worker thread of the kernel process that runs compiled cells in its own global scope,
// keeping their bindings between runs. Entry point of dist/cell_thread.js.
import { parentPort, workerData } from 'node:worker_threads';
import { Console } from 'node:console';
import { Writable } from 'node:stream';
import * as nodeTimers from 'node:timers';
import * as vm from 'node:vm';
import { tf, traceCapture, runtime } from '../../../engine';
import type { MetricPoint, TapeTrace } from '../../../engine/trace/trace_format';
import type { FitProgress, StepTelemetry } from '../../../engine/trace/telemetry_format';
import {
  FaultCode, MalformedMessageError, SharedSlot, validateHostToKernel,
  type CellThreadData, type HostToKernelMessage, type KernelToHostMessage, type RunCellMessage, type RunDoneMessage,
} from '../../protocol/kernel_messages';
import { CellRuntime, KernelInterrupt } from './cell_runtime';
import { CellTimers, runOwner } from './cell_timers';
import { StackMapper } from './stack_mapper';
import { consoleArgs, formatPrint, reprValue } from '../value_format';
import { RUNTIME_GLOBAL } from '../../repl/repl_rewrite';
import { cellNames } from '../../repl/cell_names';

const port = parentPort!;
const options = workerData as CellThreadData;
const shared = new Int32Array(options.shared);
const post = (message: KernelToHostMessage): void => port.postMessage(message);

let currentRunId = 0;
let running = false;
/** The cell whose code is running now: a finished cell's timer or promise still speaks as that cell. */
const ownerRunId = (): number => runOwner.getStore() ?? currentRunId;
const INTERRUPT_POLL_MS = 50;

function streamTo(stream: 'stdout' | 'stderr'): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      post({ type: 'stream', runId: ownerRunId(), stream, text: chunk.toString() });
      done();
    },
  });
}

const cellConsole = new Console({ stdout: streamTo('stdout'), stderr: streamTo('stderr'), colorMode: false });
const kernelConsole = Object.create(cellConsole) as Console;
for (const method of ['log', 'info', 'debug', 'warn', 'error', 'trace'] as const) {
  const write = cellConsole[method].bind(cellConsole) as (...args: unknown[]) => void;
  (kernelConsole as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => write(...consoleArgs(args));
}

function print(...args: unknown[]): void {
  post({ type: 'stream', runId: ownerRunId(), stream: 'stdout', text: formatPrint(args) + '\n' });
}

const tapescopeModule: Record<string, unknown> = { ...(tf as object), tf, default: tf };
const cellRuntime = new CellRuntime(shared, tapescopeModule);
cellRuntime.externalMemoryLimitMb = options.maxHeapMb;
cellRuntime.memorySettingName = options.heapSettingName;
runtime.setTensorMemoryLimit(options.maxHeapMb * 2 ** 20, options.heapSettingName, () => cellRuntime.checkMemory());
const stacks = new StackMapper(__filename);
const timers = new CellTimers((err, runId) => reportUncaught(err, runId));

Object.assign(globalThis, { tf, print, console: kernelConsole, [RUNTIME_GLOBAL]: cellRuntime });
timers.install(globalThis as unknown as Record<string, unknown>);

// process.exit ends this thread; leave a note in shared memory first so the host can name the cause.
const realExit = process.exit.bind(process);
process.exit = ((code?: number | string | null) => {
  Atomics.store(shared, SharedSlot.exitCode, Number(code ?? process.exitCode ?? 0) | 0);
  Atomics.store(shared, SharedSlot.fault, FaultCode.processExit);
  realExit(code as number);
}) as typeof process.exit;
// Node refuses process.abort() in a worker; a cell means "end the kernel now", so it ends like one.
process.abort = (() => {
  Atomics.store(shared, SharedSlot.fault, FaultCode.processAbort);
  realExit(134);
}) as typeof process.abort;

// Errors thrown later by a cell's timers or promises: reported under that cell, and the kernel lives on.
function reportUncaught(err: unknown, runId = ownerRunId()): void {
  const e = err instanceof Error ? err : new Error(String(err));
  post({ type: 'stream', runId, stream: 'stderr', text: `Uncaught ${stacks.mapStack(e.stack ?? `${e.name}: ${e.message}`)}\n` });
}
process.on('uncaughtException', (err) => reportUncaught(err));
process.on('unhandledRejection', (err) => reportUncaught(err));

let pendingMetrics: MetricPoint[] = [];
let pendingTelemetry: StepTelemetry[] = [];
let pendingProgress: FitProgress | undefined;
let lastMetricFlush = 0;
function flushMetrics(): void {
  if (pendingMetrics.length > 0) post({ type: 'metrics', runId: currentRunId, points: pendingMetrics });
  if (pendingTelemetry.length > 0 || pendingProgress) {
    post({ type: 'telemetry', runId: currentRunId, steps: pendingTelemetry, ...(pendingProgress ? { progress: pendingProgress } : {}) });
  }
  pendingMetrics = [];
  pendingTelemetry = [];
  pendingProgress = undefined;
  lastMetricFlush = Date.now();
}
// A training loop is synchronous, so timers would not fire: flush by elapsed time instead.
const flushIfDue = (): void => {
  if (Date.now() - lastMetricFlush >= options.metricFlushMs) flushMetrics();
};

runtime.setMetricSink((point: MetricPoint) => {
  pendingMetrics.push(point);
  flushIfDue();
});
runtime.setTelemetrySink((step: StepTelemetry) => {
  pendingTelemetry.push(step);
  flushIfDue();
});
runtime.setFitProgressSink((progress: FitProgress) => {
  pendingProgress = progress;
  if (progress.done) flushMetrics();
  else flushIfDue();
});
runtime.setPrintSink((text: string) => print(text));
runtime.setBeforeOpHook(() => cellRuntime.beforeOp());
runtime.setSourceLocator((site?: Error) => {
  if (site !== undefined) return stacks.firstCellLocation(site.stack ?? '');
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  return stacks.firstCellLocation(stack);
});

function keepTapes(tapes: TapeTrace[]): { tapes: TapeTrace[]; dropped: number } {
  const max = options.maxTapesPerRun;
  if (tapes.length <= max) return { tapes, dropped: 0 };
  const head = Math.ceil(max / 2);
  return { tapes: [...tapes.slice(0, head), ...tapes.slice(tapes.length - (max - head))], dropped: tapes.length - max };
}

async function run(message: RunCellMessage): Promise<void> {
  currentRunId = message.runId;
  running = true;
  Atomics.store(shared, SharedSlot.interrupt, 0);
  stacks.register(message.runId, message.sourceMap);
  cellRuntime.enterFile(message.file);
  const started = performance.now();
  let done: Omit<RunDoneMessage, 'durationMs'>;
  const names = options.userNames === false ? undefined : cellNames(message.code, message.sourceMap, (line, column) => stacks.locate(message.runId, line, column), globalThis as Record<string, unknown>, (v): v is InstanceType<typeof tf.Tensor> => v instanceof tf.Tensor);
  traceCapture.begin({ sourceLines: true, names });
  // While the cell awaits, no loop or op runs to see the flag: poll it so Interrupt ends the wait too.
  let poll: NodeJS.Timeout | undefined;
  const interruptedWhileWaiting = new Promise<never>((_, reject) => {
    poll = nodeTimers.setInterval(() => {
      if (cellRuntime.interruptRequested) reject(new KernelInterrupt(undefined));
    }, INTERRUPT_POLL_MS);
  });
  try {
    const cellDone = runOwner.run(message.runId, () => vm.runInThisContext(message.code, { filename: message.scriptName }) as unknown);
    const value: unknown = await Promise.race([cellDone, interruptedWhileWaiting]);
    done = { type: 'done', runId: message.runId, outcome: 'ok' };
    if (value !== undefined) done.value = reprValue(value);
    if (cellRuntime.interruptRequested) done = { type: 'done', runId: message.runId, outcome: 'interrupted' };
  } catch (err) {
    if (err instanceof KernelInterrupt || cellRuntime.interruptRequested) {
      const stackLocation = err instanceof Error ? stacks.firstCellLocation(err.stack ?? '') : undefined;
      const line = err instanceof KernelInterrupt && err.fileLine !== undefined ? err.fileLine : stackLocation?.line;
      done = { type: 'done', runId: message.runId, outcome: 'interrupted' };
      if (line !== undefined) done.interruptedAt = { file: message.file, line, column: stackLocation?.line === line ? stackLocation.column : 1 };
    } else {
      const e = err instanceof Error ? err : Object.assign(new Error(String(err)), { stack: `Error: ${String(err)}` });
      const rawStack = e.stack ?? `${e.name}: ${e.message}`;
      done = {
        type: 'done', runId: message.runId, outcome: 'error',
        error: { name: e.name, message: e.message, stack: stacks.mapStack(rawStack), location: stacks.firstCellLocation(rawStack) },
      };
    }
  }
  nodeTimers.clearInterval(poll);
  if (done.outcome === 'interrupted') {
    // Interrupt also ends what this cell and earlier ones left scheduled.
    const cancelled = timers.cancelAll();
    if (cancelled.length) done.cancelled = cancelled;
  }
  let tapes: TapeTrace[] = [];
  try {
    tapes = traceCapture.end();
  } catch (err) {
    reportUncaught(err);
  }
  flushMetrics();
  if (tapes.length) {
    const kept = keepTapes(tapes);
    post({ type: 'tapes', runId: message.runId, tapes: kept.tapes, droppedTapes: kept.dropped });
  }
  running = false;
  post({ ...done, durationMs: performance.now() - started } as RunDoneMessage);
}

/** Interrupt with no cell running: cancel the timers finished cells left behind and say what went. */
function interruptIdle(): void {
  Atomics.store(shared, SharedSlot.interrupt, 0);
  post({ type: 'interruptReport', cancelled: timers.cancelAll() });
}

// Runs arrive one at a time (the host queues them), but chain anyway so two never overlap.
let queue = Promise.resolve();
port.on('message', (raw: unknown) => {
  let message: HostToKernelMessage;
  try {
    message = validateHostToKernel(raw);
  } catch (err) {
    if (err instanceof MalformedMessageError) {
      post({ type: 'stream', runId: currentRunId, stream: 'stderr', text: `${err.message}\n` });
      return;
    }
    throw err;
  }
  if (message.type === 'interrupt') {
    // While a cell runs, the shared flag (set by the kernel process) stops it and its end cancels the timers.
    if (!running) interruptIdle();
    return;
  }
  queue = queue.then(() => run(message)).catch((err: unknown) => {
    // A failure outside the cell itself (a bad source map, say) still ends the run.
    const e = err instanceof Error ? err : new Error(String(err));
    post({ type: 'done', runId: message.runId, outcome: 'error', durationMs: 0, error: { name: e.name, message: `kernel: ${e.message}`, stack: e.stack ?? e.message } });
  });
});

/**
 * Takes a throw-away cell through the path every run takes (the parse for the user's names, vm, engine ops on a
 * tape and its gradient, trace export, value repr, stack mapping) before 'ready', so that V8 has compiled that code
 * when the first real cell comes. It sets no global and sends nothing; only tensor and tape ids have moved on.
 */
function warmUp(): void {
  const code = [
    '(() => {',
    '  const x = tf.constant(3.0);',
    '  const tape = new tf.GradientTape();',
    '  const y = tape.record(() => { tape.watch([x]); return x.mul(x).add(tf.fill([2], 0.5)).sum(); });',
    '  const [dx] = tape.gradient(y, [x]);',
    '  return [dx, tf.tensor([[1, 2], [3, 4]]).matmul(tf.ones([2, 2])), `${y.dataSync()[0]}`, { a: 1 }];',
    '})()',
  ].join('\n');
  const sourceMap = JSON.stringify({ version: 3, file: 'cell.js', sources: ['/tapescope-warm-up.ts'], names: [], mappings: 'AAAA;AACA;AACA;AACA;AACA;AACA;AACA' });
  const warmStacks = new StackMapper(__filename);
  warmStacks.register(0, sourceMap);
  const names = cellNames(code, sourceMap, (line, column) => warmStacks.locate(0, line, column), {}, (v): v is InstanceType<typeof tf.Tensor> => v instanceof tf.Tensor);
  traceCapture.begin({ sourceLines: true, names });
  try {
    const value = vm.runInThisContext(code, { filename: 'tapescope-warm-up.js' }) as unknown;
    reprValue(value);
    formatPrint([value, 'text']);
    warmStacks.mapStack(new Error('warm-up').stack ?? '');
  } finally {
    traceCapture.end();
  }
}

try {
  warmUp();
} catch {
  // A warm-up that fails costs only a slower first cell; the cell itself will report what is wrong.
}
post({ type: 'ready' });
