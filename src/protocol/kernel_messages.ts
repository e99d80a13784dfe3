// Messages between the three parts of a kernel, declared once:
//   extension host  ⇄ (child_process IPC) ⇄  kernel process  ⇄ (worker_threads port) ⇄  cell thread.
// The kernel process relays host messages to the cell thread and the thread's messages to the host, so one
// vocabulary covers both hops; each receiver validates what it gets: a malformed message is rejected, never acted on.
import type { MetricPoint, SourceLocation, TapeTrace } from '../../engine/trace/trace_format';
import { isLocation, isObject, isRunId, isStrings, type Fields } from './validation';
import type { FitProgress, StepTelemetry } from '../../engine/trace/telemetry_format';

/** Layout of the SharedArrayBuffer the kernel process and its cell thread share (Int32 slots). */
export const SharedSlot = {
  /** Non-zero while the kernel process asks the running cell to stop. */
  interrupt: 0,
  /** Set by the cell thread just before it dies on purpose (see FaultCode). */
  fault: 1,
  /** The exit code passed to process.exit, when fault is processExit. */
  exitCode: 2,
  /** The cell thread's JS heap in use, in MB, refreshed by its loop and op checks (read by the heap watch). */
  heapUsedMb: 3,
  /** Its memory outside the JS heap (tensors, typed arrays), in MB, refreshed with heapUsedMb. */
  externalMb: 4,
  /** Counts the thread's memory posts: a count that stops moving means the thread is stuck inside one call. */
  memoryPosts: 5,
} as const;
export const SHARED_SLOT_COUNT = 6;

/** Why the cell thread is about to end on purpose (a cell called process.exit or process.abort). */
export const FaultCode = { none: 0, processExit: 1, processAbort: 2 } as const;

/** How the host starts a kernel process (JSON in its first command-line argument). */
export interface KernelProcessConfig {
  /** Old-generation limit of the cell thread's heap, in MB (worker_threads resourceLimits); also the tensor budget. */
  maxHeapMb: number;
  /** Young-generation size of the cell thread, in MB. */
  youngGenerationMb: number;
  /** Metric points reach the host at most this often while a cell runs. */
  metricFlushMs: number;
  /** Tapes sent per run at most (the first and last halves are kept). */
  maxTapesPerRun: number;
  /** The setting users change to raise the limits, named in memory errors. */
  heapSettingName: string;
  /** Put the user's names on the traces (default true; the bench turns it off to measure what naming costs). */
  userNames?: boolean;
}

/** What the kernel process hands its cell thread (worker_threads workerData). */
export interface CellThreadData extends Omit<KernelProcessConfig, 'youngGenerationMb'> {
  shared: SharedArrayBuffer;
}

export interface RunCellMessage {
  type: 'run';
  runId: number;
  /** Compiled JavaScript, ready for vm.runInThisContext. */
  code: string;
  /** The name V8 shows in stack frames of this cell ('tapescope-run-7.js'). */
  scriptName: string;
  /** Source map (JSON) from the compiled code to the user's file. */
  sourceMap: string;
  /** Absolute path of the user's file: require/import resolve from its folder. */
  file: string;
}

/** Stop the running cell (keeping state) and cancel every timer cells left behind. */
export interface InterruptMessage { type: 'interrupt' }

export type HostToKernelMessage = RunCellMessage | InterruptMessage;

export interface ReadyMessage { type: 'ready' }

export interface StreamMessage {
  type: 'stream';
  runId: number;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface CellError {
  name: string;
  message: string;
  /** Stack with every cell frame mapped to file:line:column of the user's file. */
  stack: string;
  /** Where the error was thrown in the user's file (the innermost cell frame). */
  location?: SourceLocation;
}

export interface RunDoneMessage {
  type: 'done';
  runId: number;
  outcome: 'ok' | 'error' | 'interrupted';
  /** The last expression's value in full (TF-style repr), absent when the cell ends in a statement. */
  value?: string;
  error?: CellError;
  /** For an interrupted cell: where in the user's file it stopped. */
  interruptedAt?: SourceLocation;
  /** The error is one the kernel cannot safely continue after: the host restarts it. */
  fatal?: 'out-of-memory';
  /** For an interrupted cell: the timers the interrupt cancelled ('1 interval started in cell [12]'). */
  cancelled?: string[];
  durationMs: number;
}

export interface TapesMessage { type: 'tapes'; runId: number; tapes: TapeTrace[]; droppedTapes: number }
export interface MetricsMessage { type: 'metrics'; runId: number; points: MetricPoint[] }

/** Training telemetry of optimizer steps and model.fit's progress, flushed with the metric points. */
export interface TelemetryMessage { type: 'telemetry'; runId: number; steps: StepTelemetry[]; progress?: FitProgress }

/** The cell thread's answer to an Interrupt that found no cell running. */
export interface InterruptReportMessage { type: 'interruptReport'; cancelled: string[] }

/** From the kernel process's heap watch: the running cell drove the heap near its limit. */
export interface HeapNearLimitMessage { type: 'heapNearLimit'; runId: number; usedMb: number; limitMb: number }

/** From the kernel process: its cell thread ended (the process exits right after), and why. */
export interface ThreadExitMessage { type: 'threadExit'; cause: string }

export type KernelToHostMessage = ReadyMessage | StreamMessage | RunDoneMessage | TapesMessage | MetricsMessage | TelemetryMessage
  | InterruptReportMessage | HeapNearLimitMessage | ThreadExitMessage;

export class MalformedMessageError extends Error {
  constructor(direction: string, why: string) {
    super(`Rejected malformed ${direction} message: ${why}`);
    this.name = 'MalformedMessageError';
  }
}

function expect(ok: boolean, direction: string, why: string): void {
  if (!ok) throw new MalformedMessageError(direction, why);
}

/** Checks a message the kernel (process or cell thread) received from the host; throws MalformedMessageError otherwise. */
export function validateHostToKernel(message: unknown): HostToKernelMessage {
  const dir = 'host→kernel';
  expect(isObject(message), dir, 'not an object');
  const m = message as Fields;
  if (m.type === 'interrupt') return m as unknown as InterruptMessage;
  expect(m.type === 'run', dir, `unknown type ${JSON.stringify(m.type)}`);
  expect(isRunId(m.runId), dir, 'runId must be a non-negative integer');
  for (const key of ['code', 'scriptName', 'sourceMap', 'file'] as const) {
    expect(typeof m[key] === 'string', dir, `${key} must be a string`);
  }
  expect(/^tapescope-run-\d+\.js$/.test(m.scriptName as string), dir, 'scriptName must be tapescope-run-<n>.js');
  return m as unknown as RunCellMessage;
}

/** Checks a message the host (or the relaying kernel process) received from the kernel; throws MalformedMessageError otherwise. */
export function validateKernelToHost(message: unknown): KernelToHostMessage {
  const dir = 'kernel→host';
  expect(isObject(message), dir, 'not an object');
  const m = message as Fields;
  switch (m.type) {
    case 'ready':
      return m as unknown as ReadyMessage;
    case 'stream':
      expect(isRunId(m.runId), dir, 'stream.runId');
      expect(m.stream === 'stdout' || m.stream === 'stderr', dir, 'stream.stream must be stdout|stderr');
      expect(typeof m.text === 'string', dir, 'stream.text must be a string');
      return m as unknown as StreamMessage;
    case 'done': {
      expect(isRunId(m.runId), dir, 'done.runId');
      expect(m.outcome === 'ok' || m.outcome === 'error' || m.outcome === 'interrupted', dir, 'done.outcome');
      expect(m.value === undefined || typeof m.value === 'string', dir, 'done.value must be a string');
      expect(typeof m.durationMs === 'number', dir, 'done.durationMs must be a number');
      expect(m.interruptedAt === undefined || isLocation(m.interruptedAt), dir, 'done.interruptedAt');
      expect(m.fatal === undefined || m.fatal === 'out-of-memory', dir, 'done.fatal');
      expect(m.cancelled === undefined || isStrings(m.cancelled), dir, 'done.cancelled must be strings');
      if (m.error !== undefined) {
        const e = m.error;
        expect(isObject(e) && typeof e.name === 'string' && typeof e.message === 'string'
          && typeof e.stack === 'string', dir, 'done.error needs name, message and stack strings');
        expect((e as Fields).location === undefined || isLocation((e as Fields).location), dir, 'done.error.location');
      }
      expect(m.outcome !== 'error' || m.error !== undefined, dir, 'an error outcome carries an error');
      return m as unknown as RunDoneMessage;
    }
    case 'tapes':
      expect(isRunId(m.runId), dir, 'tapes.runId');
      expect(Array.isArray(m.tapes) && m.tapes.every((t) => isObject(t) && Array.isArray(t.nodes)
        && Array.isArray(t.edges) && Array.isArray(t.tensors)), dir, 'tapes.tapes must be TapeTrace[]');
      expect(typeof m.droppedTapes === 'number', dir, 'tapes.droppedTapes must be a number');
      return m as unknown as TapesMessage;
    case 'metrics':
      expect(isRunId(m.runId), dir, 'metrics.runId');
      expect(Array.isArray(m.points) && m.points.every((p) => isObject(p) && typeof p.name === 'string'
        && typeof p.step === 'number' && typeof p.value === 'number' && typeof p.wallTime === 'number'),
      dir, 'metrics.points must be MetricPoint[]');
      return m as unknown as MetricsMessage;
    case 'telemetry':
      expect(isRunId(m.runId), dir, 'telemetry.runId');
      expect(Array.isArray(m.steps) && m.steps.every((t) => isObject(t) && typeof t.step === 'number'
        && typeof t.optimizer === 'string' && Array.isArray(t.variables)), dir, 'telemetry.steps must be StepTelemetry[]');
      expect(m.progress === undefined || (isObject(m.progress) && typeof m.progress.epoch === 'number'
        && typeof m.progress.batch === 'number' && typeof m.progress.done === 'boolean'), dir, 'telemetry.progress must be FitProgress');
      return m as unknown as TelemetryMessage;
    case 'interruptReport':
      expect(isStrings(m.cancelled), dir, 'interruptReport.cancelled must be strings');
      return m as unknown as InterruptReportMessage;
    case 'heapNearLimit':
      expect(isRunId(m.runId), dir, 'heapNearLimit.runId');
      expect(typeof m.usedMb === 'number' && typeof m.limitMb === 'number', dir, 'heapNearLimit needs usedMb and limitMb numbers');
      return m as unknown as HeapNearLimitMessage;
    case 'threadExit':
      expect(typeof m.cause === 'string', dir, 'threadExit.cause must be a string');
      return m as unknown as ThreadExitMessage;
    default:
      throw new MalformedMessageError(dir, `unknown type ${JSON.stringify(m.type)}`);
  }
}

/** Checks the configuration a kernel process was started with; throws MalformedMessageError otherwise. */
export function validateKernelProcessConfig(config: unknown): KernelProcessConfig {
  const dir = 'host→kernel config';
  expect(isObject(config), dir, 'not an object');
  const c = config as Fields;
  for (const key of ['maxHeapMb', 'youngGenerationMb', 'metricFlushMs', 'maxTapesPerRun'] as const) {
    expect(typeof c[key] === 'number' && (c[key] as number) > 0, dir, `${key} must be a positive number`);
  }
  expect(typeof c.heapSettingName === 'string', dir, 'heapSettingName must be a string');
  expect(c.userNames === undefined || typeof c.userNames === 'boolean', dir, 'userNames must be a boolean');
  return c as unknown as KernelProcessConfig;
}
