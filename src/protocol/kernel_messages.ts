// Messages between the extension host and the kernel worker, declared once.
// Both sides validate what they receive: a malformed message is rejected, never executed.
import type { MetricPoint, SourceLocation, TapeTrace } from '../../engine/trace/trace_format';
import type { FitProgress, StepTelemetry } from '../../engine/trace/telemetry_format';

/** Layout of the SharedArrayBuffer the host and the worker share (Int32 slots). */
export const SharedSlot = {
  /** Non-zero while the host asks the running cell to stop. */
  interrupt: 0,
  /** Set by the worker just before it dies on purpose (see FaultCode). */
  fault: 1,
  /** The exit code passed to process.exit, when fault is ProcessExit. */
  exitCode: 2,
} as const;
export const SHARED_SLOT_COUNT = 3;

export const FaultCode = { none: 0, processExit: 1 } as const;

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

export type HostToWorkerMessage = RunCellMessage;

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
  fatal?: 'stack-overflow' | 'out-of-memory';
  durationMs: number;
}

export interface TapesMessage { type: 'tapes'; runId: number; tapes: TapeTrace[]; droppedTapes: number }
export interface MetricsMessage { type: 'metrics'; runId: number; points: MetricPoint[] }

/** Training telemetry of optimizer steps and model.fit's progress, flushed with the metric points. */
export interface TelemetryMessage { type: 'telemetry'; runId: number; steps: StepTelemetry[]; progress?: FitProgress }

export type WorkerToHostMessage = ReadyMessage | StreamMessage | RunDoneMessage | TapesMessage | MetricsMessage | TelemetryMessage;

export class MalformedMessageError extends Error {
  constructor(direction: string, why: string) {
    super(`Rejected malformed ${direction} message: ${why}`);
    this.name = 'MalformedMessageError';
  }
}

type Fields = Record<string, unknown>;

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function expect(ok: boolean, direction: string, why: string): void {
  if (!ok) throw new MalformedMessageError(direction, why);
}

function isRunId(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function isLocation(value: unknown): boolean {
  return isObject(value) && typeof value.file === 'string'
    && typeof value.line === 'number' && typeof value.column === 'number';
}

/** Checks a message the worker received from the host; throws MalformedMessageError otherwise. */
export function validateHostToWorker(message: unknown): HostToWorkerMessage {
  const dir = 'host→worker';
  expect(isObject(message), dir, 'not an object');
  const m = message as Fields;
  expect(m.type === 'run', dir, `unknown type ${JSON.stringify(m.type)}`);
  expect(isRunId(m.runId), dir, 'runId must be a non-negative integer');
  for (const key of ['code', 'scriptName', 'sourceMap', 'file'] as const) {
    expect(typeof m[key] === 'string', dir, `${key} must be a string`);
  }
  expect(/^tapescope-run-\d+\.js$/.test(m.scriptName as string), dir, 'scriptName must be tapescope-run-<n>.js');
  return m as unknown as RunCellMessage;
}

/** Checks a message the host received from the worker; throws MalformedMessageError otherwise. */
export function validateWorkerToHost(message: unknown): WorkerToHostMessage {
  const dir = 'worker→host';
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
      expect(m.fatal === undefined || m.fatal === 'stack-overflow' || m.fatal === 'out-of-memory', dir, 'done.fatal');
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
    default:
      throw new MalformedMessageError(dir, `unknown type ${JSON.stringify(m.type)}`);
  }
}
