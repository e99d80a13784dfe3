// The host side of a kernel: owns one worker thread, queues runs in order, interrupts,
// restarts after faults. No vscode import: tests and the bench drive it directly.
import { Worker } from 'node:worker_threads';
import type { MetricPoint, SourceLocation, TapeTrace } from '../../engine/trace/trace_format';
import type { FitProgress, StepTelemetry } from '../../engine/trace/telemetry_format';
import {
  FaultCode, SHARED_SLOT_COUNT, SharedSlot, validateWorkerToHost,
  type CellError, type RunDoneMessage, type WorkerToHostMessage,
} from '../protocol/kernel_messages';
import { CellCompileError, compileCell, type CellSource } from '../repl/compile_cell';
import { Signal } from './signal';
import type { KernelWorkerData } from './worker';

/** Young-generation size of the kernel worker; the benchmarks run with the same setting (--max-semi-space-size=64). */
export const KERNEL_YOUNG_GENERATION_MB = 192;

export interface KernelOptions {
  /** dist/worker.js */
  workerScript: string;
  /** Heap limit of the worker's old generation, in MB (worker_threads resourceLimits); also the limit on
   *  tensors and typed arrays, which live outside that heap. */
  maxOldGenerationSizeMb: number;
  /** How long an interrupted cell may take to stop before the kernel is restarted. */
  interruptTimeoutMs: number;
  metricFlushMs?: number;
  maxTapesPerRun?: number;
}

export interface RunRequest extends CellSource {
  /** Shown in the output and the inspector ('first steps', or '' for an untitled cell). */
  title: string;
}

export type RunOutcome = 'ok' | 'error' | 'interrupted' | 'restarted' | 'cancelled';

export interface RunResult {
  runId: number;
  outcome: RunOutcome;
  value?: string;
  error?: CellError;
  interruptedAt?: SourceLocation;
  /** Why the kernel restarted or the run was cancelled, for the user. */
  message?: string;
  durationMs: number;
}

export type KernelState = 'stopped' | 'starting' | 'idle' | 'busy' | 'restarting';

export interface RunStarted { runId: number; request: RunRequest }
export interface StreamEvent { runId: number; stream: 'stdout' | 'stderr'; text: string }
export interface TapesEvent { runId: number; tapes: TapeTrace[]; droppedTapes: number }
export interface MetricsEvent { runId: number; points: MetricPoint[] }
export interface TelemetryEvent { runId: number; steps: StepTelemetry[]; progress?: FitProgress }
export interface RunFinished { request: RunRequest; result: RunResult }

interface QueuedRun {
  runId: number;
  request: RunRequest;
  resolve: (result: RunResult) => void;
}

export class Kernel {
  private worker: Worker | undefined;
  private shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOT_COUNT * 4));
  private ready: Promise<void> | undefined;
  private queue: QueuedRun[] = [];
  private current: (QueuedRun & { started: number; compiled: boolean; interruptedEarly: boolean }) | undefined;
  private nextRunId = 1;
  private interruptTimer: NodeJS.Timeout | undefined;
  private lastWorkerError: Error | undefined;
  private disposed = false;
  private stateValue: KernelState = 'stopped';

  readonly onState = new Signal<KernelState>();
  readonly onRunStarted = new Signal<RunStarted>();
  readonly onStream = new Signal<StreamEvent>();
  readonly onTapes = new Signal<TapesEvent>();
  readonly onMetrics = new Signal<MetricsEvent>();
  readonly onTelemetry = new Signal<TelemetryEvent>();
  readonly onRunFinished = new Signal<RunFinished>();
  /** Kernel-level notices for the user: restarts and their causes, rejected messages. */
  readonly onNotice = new Signal<string>();

  constructor(private readonly options: KernelOptions) {}

  get state(): KernelState {
    return this.stateValue;
  }

  /** When the current run started (performance.now()), for the busy timer. */
  get busySince(): number | undefined {
    return this.current?.started;
  }

  get pendingRuns(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** Queue a cell; resolves when it has finished (or was cancelled by an interrupt or a fault). */
  run(request: RunRequest): Promise<RunResult> {
    if (this.disposed) throw new Error('Kernel is disposed');
    return new Promise((resolve) => {
      this.queue.push({ runId: this.nextRunId++, request, resolve });
      void this.pump();
    });
  }

  /** Stop the running cell keeping all state; cancels queued runs. Restarts the worker if it does not stop in time. */
  interrupt(): void {
    this.cancelQueued('cancelled by interrupt');
    if (this.current && !this.current.compiled) this.current.interruptedEarly = true;
    if (!this.current || !this.current.compiled || this.interruptTimer) return;
    Atomics.store(this.shared, SharedSlot.interrupt, 1);
    const stuck = this.current;
    this.interruptTimer = setTimeout(() => {
      this.interruptTimer = undefined;
      if (this.current !== stuck) return;
      const seconds = (this.options.interruptTimeoutMs / 1000).toFixed(1);
      void this.restartAfterFault(`the cell did not respond to Interrupt within ${seconds} s (busy outside JavaScript?)`);
    }, this.options.interruptTimeoutMs);
  }

  /** Clear all state on purpose: a fresh worker, queued runs cancelled. */
  async restart(): Promise<void> {
    this.cancelQueued('cancelled by Restart Kernel');
    const running = this.current;
    this.current = undefined;
    await this.stopWorker();
    if (running) {
      const result: RunResult = { runId: running.runId, outcome: 'restarted', message: 'Kernel restarted by the user; all state was cleared.', durationMs: performance.now() - running.started };
      running.resolve(result);
      this.onRunFinished.fire({ request: running.request, result });
    }
    this.onNotice.fire('Kernel restarted; all state was cleared.');
    await this.startWorker();
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelQueued('the kernel was shut down');
    const running = this.current;
    this.current = undefined;
    running?.resolve({ runId: running.runId, outcome: 'cancelled', message: 'the kernel was shut down', durationMs: 0 });
    await this.stopWorker();
    this.setState('stopped');
  }

  private setState(state: KernelState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.onState.fire(state);
  }

  private startWorker(): Promise<void> {
    if (this.ready) return this.ready;
    this.setState(this.stateValue === 'restarting' ? 'restarting' : 'starting');
    this.shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOT_COUNT * 4));
    this.lastWorkerError = undefined;
    const workerData: KernelWorkerData = {
      shared: this.shared.buffer as SharedArrayBuffer,
      metricFlushMs: this.options.metricFlushMs ?? 100,
      maxTapesPerRun: this.options.maxTapesPerRun ?? 200,
      maxExternalMemoryMb: this.options.maxOldGenerationSizeMb,
    };
    const worker = new Worker(this.options.workerScript, {
      workerData,
      resourceLimits: {
        maxOldGenerationSizeMb: this.options.maxOldGenerationSizeMb,
        // A tape keeps every recorded op alive until gradient(); a roomy young generation (64 MB semi-spaces) means
        // far fewer scavenges copying it, which halves the cost of scalar-heavy (micrograd-style) graphs.
        maxYoungGenerationSizeMb: KERNEL_YOUNG_GENERATION_MB,
      },
      stdout: false,
      stderr: false,
    });
    this.worker = worker;
    this.ready = new Promise<void>((resolve, reject) => {
      const onReady = (raw: unknown) => {
        if ((raw as { type?: unknown })?.type !== 'ready') return;
        worker.off('message', onReady);
        worker.off('exit', onEarlyExit);
        resolve();
      };
      const onEarlyExit = (code: number) => reject(new Error(`The kernel worker exited while starting (code ${code})${this.lastWorkerError ? `: ${this.lastWorkerError.message}` : ''}`));
      worker.on('message', onReady);
      worker.once('exit', onEarlyExit);
    });
    worker.on('message', (raw) => this.onWorkerMessage(worker, raw));
    worker.on('error', (err) => {
      this.lastWorkerError = err;
    });
    worker.on('exit', (code) => this.onWorkerExit(worker, code));
    return this.ready;
  }

  private async stopWorker(): Promise<void> {
    clearTimeout(this.interruptTimer);
    this.interruptTimer = undefined;
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    if (worker) {
      this.setState('restarting');
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0 || this.disposed) return;
    const next = this.queue.shift()!;
    this.current = { ...next, started: performance.now(), compiled: false, interruptedEarly: false };
    const current = this.current;
    this.setState('busy');
    this.onRunStarted.fire({ runId: next.runId, request: next.request });
    try {
      await this.startWorker();
      const compiled = await compileCell(next.request);
      if (this.current !== current) return;
      if (current.interruptedEarly) {
        this.finish({ runId: next.runId, outcome: 'interrupted', message: 'interrupted before it started', durationMs: 0 });
        return;
      }
      current.compiled = true;
      Atomics.store(this.shared, SharedSlot.interrupt, 0);
      this.worker!.postMessage({
        type: 'run', runId: next.runId, code: compiled.code, sourceMap: compiled.sourceMap,
        scriptName: `tapescope-run-${next.runId}.js`, file: next.request.file,
      });
    } catch (err) {
      if (this.current !== current) return;
      const e = err as Error;
      this.finish({
        runId: next.runId,
        outcome: 'error',
        error: {
          name: e.name, message: e.message,
          stack: err instanceof CellCompileError ? `${e.name}: ${e.message}\n    at ${err.location.file}:${err.location.line}:${err.location.column}` : (e.stack ?? e.message),
          location: err instanceof CellCompileError ? err.location : undefined,
        },
        durationMs: performance.now() - current.started,
      });
    }
  }

  private finish(result: RunResult): void {
    const done = this.current;
    if (!done) return;
    this.current = undefined;
    clearTimeout(this.interruptTimer);
    this.interruptTimer = undefined;
    done.resolve(result);
    this.onRunFinished.fire({ request: done.request, result });
    if (this.queue.length === 0) this.setState(this.worker ? 'idle' : 'stopped');
    void this.pump();
  }

  private onWorkerMessage(worker: Worker, raw: unknown): void {
    if (worker !== this.worker) return;
    let message: WorkerToHostMessage;
    try {
      message = validateWorkerToHost(raw);
    } catch (err) {
      this.onNotice.fire((err as Error).message);
      return;
    }
    switch (message.type) {
      case 'ready':
        if (!this.current) this.setState('idle');
        break;
      case 'stream':
        this.onStream.fire({ runId: message.runId, stream: message.stream, text: message.text });
        break;
      case 'tapes':
        this.onTapes.fire({ runId: message.runId, tapes: message.tapes, droppedTapes: message.droppedTapes });
        break;
      case 'metrics':
        this.onMetrics.fire({ runId: message.runId, points: message.points });
        break;
      case 'telemetry':
        this.onTelemetry.fire({ runId: message.runId, steps: message.steps, progress: message.progress });
        break;
      case 'done':
        this.onDone(message);
        break;
    }
  }

  private onDone(message: RunDoneMessage): void {
    if (!this.current || this.current.runId !== message.runId) return;
    const result: RunResult = { runId: message.runId, outcome: message.outcome, durationMs: message.durationMs };
    if (message.value !== undefined) result.value = message.value;
    if (message.error) result.error = message.error;
    if (message.interruptedAt) result.interruptedAt = message.interruptedAt;
    if (message.outcome === 'interrupted') {
      result.message = message.interruptedAt ? `interrupted at line ${message.interruptedAt.line}` : 'interrupted';
    }
    if (message.fatal) {
      const cause = message.fatal === 'stack-overflow' ? 'stack overflow (Maximum call stack size exceeded)' : message.error?.message ?? 'out of memory';
      result.message = `${cause}: the kernel was restarted and all state was cleared`;
      this.cancelQueued(`cancelled: ${cause}`);
      this.finish(result);
      void this.restartAfterFault(cause, false);
      return;
    }
    this.finish(result);
  }

  private onWorkerExit(worker: Worker, code: number): void {
    if (worker !== this.worker) return;
    let cause: string;
    if (Atomics.load(this.shared, SharedSlot.fault) === FaultCode.processExit) {
      cause = `the cell called process.exit(${Atomics.load(this.shared, SharedSlot.exitCode)})`;
    } else if ((this.lastWorkerError as { code?: string } | undefined)?.code === 'ERR_WORKER_OUT_OF_MEMORY') {
      cause = `out of memory (the kernel's heap limit is ${this.options.maxOldGenerationSizeMb} MB, setting tapescope.kernel.maxHeapMb)`;
    } else {
      cause = `the kernel thread died (exit code ${code}${this.lastWorkerError ? `, ${this.lastWorkerError.message}` : ''})`;
    }
    this.worker = undefined;
    this.ready = undefined;
    void this.restartAfterFault(cause, true);
  }

  /** A fault ends the current run, cancels the queue and brings up a fresh worker. */
  private async restartAfterFault(cause: string, workerGone = false): Promise<void> {
    const message = `Kernel restarted: ${cause}. All state was cleared.`;
    this.cancelQueued(`cancelled: ${cause}`);
    const running = this.current;
    this.current = undefined;
    if (!workerGone) await this.stopWorker();
    this.setState('restarting');
    if (running) {
      const result: RunResult = { runId: running.runId, outcome: 'restarted', message, durationMs: performance.now() - running.started };
      running.resolve(result);
      this.onRunFinished.fire({ request: running.request, result });
    }
    this.onNotice.fire(message);
    if (this.disposed) return;
    try {
      await this.startWorker();
      if (!this.current) this.setState(this.queue.length ? 'busy' : 'idle');
    } catch (err) {
      this.onNotice.fire(`The kernel could not be restarted: ${(err as Error).message}`);
      this.setState('stopped');
    }
    void this.pump();
  }

  private cancelQueued(why: string): void {
    const cancelled = this.queue;
    this.queue = [];
    for (const run of cancelled) {
      const result: RunResult = { runId: run.runId, outcome: 'cancelled', message: why, durationMs: 0 };
      run.resolve(result);
      this.onRunFinished.fire({ request: run.request, result });
    }
  }
}
