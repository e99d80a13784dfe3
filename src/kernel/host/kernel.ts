// The host side of a kernel: starts the kernel process (which runs cells on its own thread), queues runs in
// order, interrupts, restarts after faults. No vscode import: tests and the bench drive it directly.
// It imports from src/repl/ only the compiler (compile_cell.ts, which drives esbuild-wasm on the host's compiler
// thread): cells are compiled before they cross the boundary; what compiled cells call at run time
// (src/kernel/cell_thread/) never loads here.
import { fork, type ChildProcess } from 'node:child_process';
import type { MetricPoint, SourceLocation, TapeTrace } from '../../../engine/trace/trace_format';
import type { FitProgress, StepTelemetry } from '../../../engine/trace/telemetry_format';
import {
  MalformedMessageError, validateKernelToHost,
  type CellError, type HeapNearLimitMessage, type HostToKernelMessage, type KernelProcessConfig, type KernelToHostMessage,
  type RunCellMessage, type RunDoneMessage,
} from '../../protocol/kernel_messages';
import { CellCompileError, compileCell, warmUpCompiler, type CellSource } from '../../repl/compile_cell';
import { describeProcessExit, withoutV8CrashReport } from './exit_cause';
import { Signal } from './signal';

/** Young-generation size of the cell thread; the benchmarks run with the same setting (--max-semi-space-size=64). */
export const KERNEL_YOUNG_GENERATION_MB = 192;
/** The setting named in memory messages. */
export const HEAP_SETTING = 'tapescope.kernel.maxHeapMb';
/** How much of the kernel process's stderr is kept to explain its death (V8 prints its fatal line there). */
const STDERR_TAIL_CHARS = 16_384;
/** An interrupt deadline noticed this late means the host was busy; the kernel then gets HOST_LAG_GRACE_MS more. */
const HOST_LAG_MS = 500;
const HOST_LAG_GRACE_MS = 1000;

export interface KernelOptions {
  /** The kernel process's entry script, dist/kernel_process.js (dist/cell_thread.js must sit beside it). */
  workerScript: string;
  /** Heap limit of the cell thread's old generation, in MB (worker_threads resourceLimits); also the limit on
   *  tensors and typed arrays, which live outside that heap. */
  maxOldGenerationSizeMb: number;
  /** How long an interrupted cell may take to stop before the kernel is restarted. */
  interruptTimeoutMs: number;
  metricFlushMs?: number;
  maxTapesPerRun?: number;
  /** Name traced tensors by the user's code (default true; off only to measure what naming costs). */
  userNames?: boolean;
  /** The kernel process's working directory, where relative paths in cells resolve (default: the host's). */
  cwd?: string;
  /**
   * Keep a second kernel process started and warm while the kernel is idle, so that a restart (by the user or
   * after a fault) swaps to it at once instead of waiting for a new process to load the engine. Default false.
   */
  spareProcess?: boolean;
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
/** The kernel's state is gone: every earlier run's results describe bindings that no longer exist. */
export interface KernelRestarted { cause: string; byUser: boolean }

/** One forked kernel process and what the host knows of it. */
interface KernelProcess {
  child: ChildProcess;
  /** Resolves when its cell thread has loaded the engine and warmed up; rejects if it ends first. */
  ready: Promise<void>;
  /** The tail of its stderr, to explain its death (V8 prints its fatal line there). */
  stderrTail: string;
  /** The cell thread's own account of its end, sent just before the process exits. */
  threadExitCause?: string;
}

/** A spare that failed to start this many times in a row is not tried again (a broken install would loop). */
const SPARE_FAILURES_BEFORE_GIVING_UP = 2;
/** The spare starts once the kernel has been idle this long, so its start never competes with a cell for the cores. */
const SPARE_IDLE_DELAY_MS = 1000;

interface QueuedRun {
  runId: number;
  request: RunRequest;
  resolve: (result: RunResult) => void;
}

interface CurrentRun extends QueuedRun {
  started: number;
  compiled: boolean;
  interruptedEarly: boolean;
}

type InterruptReason = { by: 'user' } | { by: 'heap'; usedMb: number; limitMb: number };

export class Kernel {
  private active: KernelProcess | undefined;
  private ready: Promise<void> | undefined;
  /** The warm process a restart swaps to (with options.spareProcess). */
  private spare: KernelProcess | undefined;
  private spareFailures = 0;
  private spareTimer: NodeJS.Timeout | undefined;
  private queue: QueuedRun[] = [];
  private current: CurrentRun | undefined;
  private nextRunId = 1;
  private interruptTimer: NodeJS.Timeout | undefined;
  private interruptReason: InterruptReason | undefined;
  private idleInterruptAsked = false;
  private disposed = false;
  private stateValue: KernelState = 'stopped';
  private lastRunId = 0;
  private runsSinceStartValue = 0;

  readonly onState = new Signal<KernelState>();
  readonly onRunStarted = new Signal<RunStarted>();
  readonly onStream = new Signal<StreamEvent>();
  readonly onTapes = new Signal<TapesEvent>();
  readonly onMetrics = new Signal<MetricsEvent>();
  readonly onTelemetry = new Signal<TelemetryEvent>();
  readonly onRunFinished = new Signal<RunFinished>();
  readonly onRestarted = new Signal<KernelRestarted>();
  /** Kernel-level notices for the user: restarts and their causes, what an Interrupt cancelled, rejected messages. */
  readonly onNotice = new Signal<string>();

  constructor(private readonly options: KernelOptions) {}

  get state(): KernelState {
    return this.stateValue;
  }

  /** When the current run started (performance.now()), for the busy timer. */
  get busySince(): number | undefined {
    return this.current?.started;
  }

  /** Cells run since the kernel process (and so its state) started: what a restart would lose. */
  get runsSinceStart(): number {
    return this.runsSinceStartValue;
  }

  get pendingRuns(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** The kernel process's id while one runs (tests check it is gone after dispose). */
  get processId(): number | undefined {
    return this.active?.child.pid;
  }

  /** The spare kernel process's id while one is kept (options.spareProcess). */
  get spareProcessId(): number | undefined {
    return this.spare?.child.pid;
  }

  private get child(): ChildProcess | undefined {
    return this.active?.child;
  }

  /**
   * Gets everything the first cell needs ready before it is run: the kernel process (its cell thread loaded
   * and warmed up) and the cell compiler (esbuild.wasm compiled and warmed up on a throw-away cell), both at
   * once. Called when a cell file is first shown; resolves when both are ready (never rejects: a kernel that
   * cannot start says so on the first run).
   */
  async warmUp(): Promise<void> {
    if (this.disposed) return;
    const idle = () => !this.current && this.queue.length === 0;
    const kernelReady = this.startProcess().then(() => {
      if (idle()) this.setState('idle');
    }, () => {
      // The first run will try again and say why it failed.
      if (idle()) this.setState('stopped');
    });
    await Promise.all([kernelReady, warmUpCompiler()]);
    // Only now, so that the spare's start does not compete with the first process's for the cores.
    if (idle() && this.child) this.keepSpare();
  }

  /** Starts the spare now if one is due and resolves when it has warmed up (if one is kept); for tests and the bench. */
  async spareReady(): Promise<void> {
    if (this.spareTimer) {
      clearTimeout(this.spareTimer);
      this.spareTimer = undefined;
      this.startSpare();
    }
    await this.spare?.ready;
  }

  /** Queue a cell; resolves when it has finished (or was cancelled by an interrupt or a fault). */
  run(request: RunRequest): Promise<RunResult> {
    if (this.disposed) throw new Error('Kernel is disposed');
    return new Promise((resolve) => {
      this.queue.push({ runId: this.nextRunId++, request, resolve });
      void this.pump();
    });
  }

  /**
   * Stop the running cell keeping all state, cancel queued runs, and cancel the timers cells left behind (the
   * notice says which). Restarts the kernel if the cell does not stop in time.
   */
  interrupt(): void {
    this.cancelQueued('cancelled by interrupt');
    const current = this.current;
    if (current && !current.compiled) {
      current.interruptedEarly = true;
      return;
    }
    if (current) {
      this.interruptRunning(current, { by: 'user' });
      return;
    }
    if (!this.child) {
      this.onNotice.fire('Interrupt: the kernel is not running.');
      return;
    }
    this.idleInterruptAsked = true;
    this.send({ type: 'interrupt' });
  }

  /** Clear all state on purpose: a fresh kernel process, queued runs cancelled. */
  async restart(): Promise<void> {
    this.cancelQueued('cancelled by Restart Kernel');
    const running = this.current;
    this.current = undefined;
    // The old process is unheard from now on; the spare (if kept) takes over while it dies, and cells queued from
    // here on run on the new process: their results belong to it, so the old state is declared lost first.
    const stopped = this.stopProcess();
    this.stateLost({ cause: 'restarted by the user', byUser: true });
    if (running) this.settle(running, { runId: running.runId, outcome: 'restarted', message: 'Kernel restarted by the user; all state was cleared.', durationMs: performance.now() - running.started });
    this.onNotice.fire('Kernel restarted; all state was cleared.');
    await Promise.all([stopped, this.startProcess()]);
    this.setState(this.current ? 'busy' : 'idle');
    this.keepSpare();
  }

  /** Ends the kernel process; a running or queued cell finishes as cancelled (onRunFinished fires for it). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancelQueued('the kernel was shut down');
    const running = this.current;
    this.current = undefined;
    if (running) this.settle(running, { runId: running.runId, outcome: 'cancelled', message: 'the kernel was shut down', durationMs: performance.now() - running.started });
    clearTimeout(this.spareTimer);
    const spare = this.spare;
    this.spare = undefined;
    await Promise.all([this.stopProcess(), spare && killProcess(spare.child)]);
    this.setState('stopped');
  }

  private setState(state: KernelState): void {
    if (state === this.stateValue) return;
    this.stateValue = state;
    this.onState.fire(state);
  }

  private stateLost(event: KernelRestarted): void {
    this.runsSinceStartValue = 0;
    this.onRestarted.fire(event);
  }

  /** The one place a run ends: its promise resolves and onRunFinished fires. */
  private settle(run: QueuedRun, result: RunResult): void {
    run.resolve(result);
    this.onRunFinished.fire({ request: run.request, result });
  }

  private send(message: HostToKernelMessage): void {
    if (this.child?.connected) this.child.send(message);
  }

  /** Called whenever the kernel turns idle: a spare kernel process starts after a short idle time, if asked for and missing. */
  private keepSpare(): void {
    if (!this.options.spareProcess || this.spare || this.disposed || this.spareFailures >= SPARE_FAILURES_BEFORE_GIVING_UP) return;
    clearTimeout(this.spareTimer);
    this.spareTimer = setTimeout(() => {
      this.spareTimer = undefined;
      if (!this.current && this.queue.length === 0) this.startSpare();
    }, SPARE_IDLE_DELAY_MS);
    this.spareTimer.unref();
  }

  private startSpare(): void {
    if (this.spare || this.disposed) return;
    const spare = this.spawnProcess();
    this.spare = spare;
    spare.ready.then(() => {
      this.spareFailures = 0;
    }, () => {
      if (this.spare === spare) this.spare = undefined;
      this.spareFailures++;
    });
  }

  /** The kernel process cells run in: the current one, else the spare (swapped in at once), else a new one. */
  private startProcess(): Promise<void> {
    if (this.ready) return this.ready;
    this.setState(this.stateValue === 'restarting' ? 'restarting' : 'starting');
    const adopted = this.spare;
    this.spare = undefined;
    const started = adopted && adopted.child.exitCode === null && adopted.child.signalCode === null ? adopted : this.spawnProcess();
    if (adopted && adopted !== started) void killProcess(adopted.child);
    this.active = started;
    const ready = started.ready.catch((err: unknown) => {
      if (this.active === started) {
        this.active = undefined;
        this.ready = undefined;
      }
      throw err;
    });
    this.ready = ready;
    return ready;
  }

  /** Forks a kernel process; its output and messages reach the kernel's listeners only while it is the active one. */
  private spawnProcess(): KernelProcess {
    const config: KernelProcessConfig = {
      maxHeapMb: this.options.maxOldGenerationSizeMb,
      youngGenerationMb: KERNEL_YOUNG_GENERATION_MB,
      metricFlushMs: this.options.metricFlushMs ?? 100,
      maxTapesPerRun: this.options.maxTapesPerRun ?? 200,
      heapSettingName: HEAP_SETTING,
      ...(this.options.userNames === false ? { userNames: false } : {}),
    };
    // The extension host's own runtime: under Electron (desktop VS Code) it runs as plain Node, as VS Code's own
    // Node helpers do; none of the host's flags (an inspector port, a loader) are passed on.
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (process.versions.electron) env.ELECTRON_RUN_AS_NODE = '1';
    const child = fork(this.options.workerScript, [JSON.stringify(config)], {
      execPath: process.execPath,
      execArgv: [],
      cwd: this.options.cwd,
      env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    const handle: KernelProcess = { child, ready: Promise.resolve(), stderrTail: '' };
    const isActive = () => this.active === handle;
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      if (isActive()) this.onStream.fire({ runId: this.current?.runId ?? this.lastRunId, stream: 'stdout', text });
    });
    child.stderr!.setEncoding('utf8').on('data', (text: string) => {
      handle.stderrTail = (handle.stderrTail + text).slice(-STDERR_TAIL_CHARS);
      const shown = withoutV8CrashReport(text);
      if (shown && isActive()) this.onStream.fire({ runId: this.current?.runId ?? this.lastRunId, stream: 'stderr', text: shown });
    });
    let started = false;
    handle.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (raw: unknown) => {
        if (started || (raw as { type?: unknown })?.type !== 'ready') return;
        started = true;
        resolve();
      });
      // 'close' comes after stderr is fully read, so V8's last words are in stderrTail.
      child.on('close', (code, signal) => {
        if (started) {
          if (isActive()) this.onProcessClose(handle, code, signal);
          else if (this.spare === handle) this.spare = undefined;
          return;
        }
        // Node's own last words: the error line, not the version line after it.
        const lines = handle.stderrTail.split('\n').map((l) => l.trim()).filter(Boolean);
        const lastWords = [...lines].reverse().find((l) => /\bError\b/.test(l)) ?? lines.at(-1);
        reject(new Error(`The kernel process ended while starting: ${handle.threadExitCause ?? describeProcessExit(code, signal, handle.stderrTail)}${lastWords ? ` (${lastWords.trim()})` : ''}`));
      });
      // Kept for the child's whole life: an unheard 'error' (a failed send to a dying process) would throw here.
      child.on('error', (err) => {
        if (!started) reject(new Error(`The kernel process could not start: ${err.message}`));
      });
    });
    // A spare that fails is only dropped; nobody waits on its promise.
    handle.ready.catch(() => undefined);
    child.on('message', (raw) => {
      if (isActive()) this.onKernelMessage(handle, raw);
      else if ((raw as { type?: unknown })?.type === 'threadExit') handle.threadExitCause = String((raw as { cause?: unknown }).cause);
    });
    return handle;
  }

  private async stopProcess(): Promise<void> {
    clearTimeout(this.interruptTimer);
    this.interruptTimer = undefined;
    const child = this.child;
    this.active = undefined;
    this.ready = undefined;
    if (!child) return;
    this.setState('restarting');
    await killProcess(child);
  }

  private async pump(): Promise<void> {
    if (this.current || this.queue.length === 0 || this.disposed) return;
    const next = this.queue.shift()!;
    const current: CurrentRun = { ...next, started: performance.now(), compiled: false, interruptedEarly: false };
    this.current = current;
    this.lastRunId = next.runId;
    this.runsSinceStartValue++;
    this.setState('busy');
    this.onRunStarted.fire({ runId: next.runId, request: next.request });
    try {
      await this.startProcess();
      const compiled = await compileCell(next.request);
      if (this.current !== current) return;
      if (current.interruptedEarly) {
        this.finish({ runId: next.runId, outcome: 'interrupted', message: 'interrupted before it started', durationMs: 0 });
        return;
      }
      current.compiled = true;
      const message: RunCellMessage = {
        type: 'run', runId: next.runId, code: compiled.code, sourceMap: compiled.sourceMap,
        scriptName: `tapescope-run-${next.runId}.js`, file: next.request.file,
      };
      this.send(message);
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

  /** The current run is over: settle it and start the next. */
  private finish(result: RunResult): void {
    const done = this.current;
    if (!done) return;
    this.current = undefined;
    clearTimeout(this.interruptTimer);
    this.interruptTimer = undefined;
    this.interruptReason = undefined;
    this.settle(done, result);
    if (this.queue.length === 0) this.setState(this.child ? 'idle' : 'stopped');
    void this.pump();
    if (!this.current) this.keepSpare();
  }

  private interruptRunning(current: CurrentRun, reason: InterruptReason): void {
    if (this.interruptTimer) return;
    this.interruptReason = reason;
    this.send({ type: 'interrupt' });
    const due = performance.now() + this.options.interruptTimeoutMs;
    let graced = false;
    const expire = () => {
      this.interruptTimer = undefined;
      if (this.current !== current) return;
      // A timer that fires late means this (host) thread was busy, and the kernel's answer may be waiting in the
      // IPC pipe behind it: let it arrive before blaming the kernel.
      if (!graced && performance.now() - due > HOST_LAG_MS) {
        graced = true;
        this.interruptTimer = setTimeout(expire, HOST_LAG_GRACE_MS);
        return;
      }
      const seconds = (this.options.interruptTimeoutMs / 1000).toFixed(1);
      const cause = reason.by === 'heap'
        ? `the kernel ran out of memory (the cell held ${reason.usedMb} MB of its ${reason.limitMb} MB heap limit, ${HEAP_SETTING}, and did not stop within ${seconds} s of the interrupt)`
        : `the cell did not respond to Interrupt within ${seconds} s (busy outside JavaScript?)`;
      void this.restartAfterFault(cause);
    };
    this.interruptTimer = setTimeout(expire, this.options.interruptTimeoutMs);
  }

  private onKernelMessage(handle: KernelProcess, raw: unknown): void {
    let message: KernelToHostMessage;
    try {
      message = validateKernelToHost(raw);
    } catch (err) {
      if (!(err instanceof MalformedMessageError)) throw err;
      this.onNotice.fire(err.message);
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
      case 'interruptReport':
        if (message.cancelled.length) this.onNotice.fire(`Interrupt: cancelled ${message.cancelled.join(', ')}.`);
        else if (this.idleInterruptAsked) this.onNotice.fire('Interrupt: nothing was running and no timers were pending.');
        this.idleInterruptAsked = false;
        break;
      case 'heapNearLimit':
        this.onHeapNearLimit(message);
        break;
      case 'threadExit':
        handle.threadExitCause = message.cause;
        break;
    }
  }

  private onHeapNearLimit(message: HeapNearLimitMessage): void {
    const current = this.current;
    if (!current || current.runId !== message.runId || !current.compiled) return;
    this.interruptRunning(current, { by: 'heap', usedMb: message.usedMb, limitMb: message.limitMb });
  }

  private onDone(message: RunDoneMessage): void {
    if (!this.current || this.current.runId !== message.runId) return;
    const result: RunResult = { runId: message.runId, outcome: message.outcome, durationMs: message.durationMs };
    if (message.value !== undefined) result.value = message.value;
    if (message.error) result.error = message.error;
    if (message.interruptedAt) result.interruptedAt = message.interruptedAt;
    if (message.outcome === 'interrupted') {
      const parts = [message.interruptedAt ? `interrupted at line ${message.interruptedAt.line}` : 'interrupted'];
      const reason = this.interruptReason;
      if (reason?.by === 'heap') {
        parts[0] += `: the heap reached ${reason.usedMb} MB of its ${reason.limitMb} MB limit (${HEAP_SETTING}); every binding was kept — free large ones (x = null) or restart the kernel`;
      }
      if (message.cancelled?.length) parts.push(`cancelled ${message.cancelled.join(', ')}`);
      result.message = parts.join('; ');
    }
    this.finish(result);
  }

  private onProcessClose(handle: KernelProcess, code: number | null, signal: NodeJS.Signals | null): void {
    const cause = handle.threadExitCause ?? describeProcessExit(code, signal, handle.stderrTail);
    this.active = undefined;
    this.ready = undefined;
    void this.restartAfterFault(cause, true);
  }

  /** A fault ends the current run, cancels the queue and brings up a fresh kernel process. */
  private async restartAfterFault(cause: string, processGone = false): Promise<void> {
    const message = `Kernel restarted: ${cause}. All state was cleared.`;
    this.cancelQueued(`cancelled: ${cause}`);
    const running = this.current;
    this.current = undefined;
    if (!processGone) await this.stopProcess();
    this.setState('restarting');
    this.stateLost({ cause, byUser: false });
    if (running) this.settle(running, { runId: running.runId, outcome: 'restarted', message, durationMs: performance.now() - running.started });
    this.onNotice.fire(message);
    if (this.disposed) return;
    try {
      await this.startProcess();
      if (!this.current) this.setState(this.queue.length ? 'busy' : 'idle');
    } catch (err) {
      this.onNotice.fire(`The kernel could not be restarted: ${(err as Error).message}`);
      this.ready = undefined;
      this.active = undefined;
      this.setState('stopped');
    }
    void this.pump();
    if (!this.current) this.keepSpare();
  }

  private cancelQueued(why: string): void {
    const cancelled = this.queue;
    this.queue = [];
    for (const run of cancelled) this.settle(run, { runId: run.runId, outcome: 'cancelled', message: why, durationMs: 0 });
  }
}

/** Ends a kernel process for good (SIGKILL: nothing in it is worth keeping) and waits until it is gone. */
async function killProcess(child: ChildProcess): Promise<void> {
  child.removeAllListeners('close');
  child.removeAllListeners('message');
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  await exited;
}
