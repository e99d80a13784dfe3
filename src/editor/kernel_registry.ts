// One kernel per workspace folder, created (and warmed up) when a cell file of that folder is first shown or on
// its first run, and the wiring from kernel events to the output, the status bar and the inspector. Loaded then.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { Kernel, type RunRequest, type RunResult } from '../kernel/kernel';
import type { MetricPoint, TapeTrace } from '../../engine/trace/trace_format';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import type { RunInfo } from '../protocol/inspector_messages';
import { FitProgressNotifier } from './fit_progress';
import { KernelStatusBar } from './kernel_status_bar';
import { RunPresenter } from './run_presenter';
import { GradientDecorations } from './gradient_decorations';

/** What the inspector needs to hear about (implemented by InspectorController). */
export interface InspectorSink {
  /** A run began: from now on its points and steps carry its name. */
  runStarted(run: RunInfo): void;
  showTapes(run: RunInfo, tapes: TapeTrace[]): void;
  addMetrics(runId: number, points: MetricPoint[]): void;
  addTelemetry(runId: number, steps: StepTelemetry[]): void;
}

export interface TapesForRun {
  run: RunInfo;
  tapes: TapeTrace[];
}

export class KernelRegistry implements vscode.Disposable {
  private readonly kernels = new Map<string, Kernel>();
  readonly presenter = new RunPresenter();
  readonly gradients = new GradientDecorations();
  readonly statusBar = new KernelStatusBar();
  readonly fitProgress = new FitProgressNotifier();
  private readonly tapesEmitter = new vscode.EventEmitter<TapesForRun>();
  /** Tapes recorded by each run, for the inspector to subscribe to. */
  readonly onTapes = this.tapesEmitter.event;
  private readonly metricsEmitter = new vscode.EventEmitter<{ runId: number; points: MetricPoint[] }>();
  /** Metric points each run logs (the walkthrough's "train and watch" step completes on the first). */
  readonly onMetrics = this.metricsEmitter.event;

  constructor(private readonly workerScript: string, private readonly inspector: InspectorSink) {}

  /** The folder a file's kernel belongs to: its workspace folder, else its own directory. */
  static keyFor(uri: vscode.Uri): string {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? folder.uri.toString() : `dir:${path.dirname(uri.fsPath)}`;
  }

  existing(uri: vscode.Uri): Kernel | undefined {
    return this.kernels.get(KernelRegistry.keyFor(uri));
  }

  all(): Kernel[] {
    return [...this.kernels.values()];
  }

  kernelFor(uri: vscode.Uri): Kernel {
    const key = KernelRegistry.keyFor(uri);
    let kernel = this.kernels.get(key);
    if (kernel) return kernel;
    const settings = vscode.workspace.getConfiguration('tapescope.kernel', uri);
    kernel = new Kernel({
      workerScript: this.workerScript,
      maxOldGenerationSizeMb: settings.get<number>('maxHeapMb', 4096),
      interruptTimeoutMs: settings.get<number>('interruptTimeoutSeconds', 3) * 1000,
      spareProcess: settings.get<boolean>('spareProcess', true),
    });
    this.kernels.set(key, kernel);
    this.wire(kernel);
    return kernel;
  }

  /** Starts and warms up the kernel of the file's folder and the cell compiler, so its first cell answers at once. */
  warmUp(uri: vscode.Uri): Promise<void> {
    const kernel = this.kernelFor(uri);
    this.statusBar.follow(kernel);
    return kernel.warmUp();
  }

  /** Queue a cell of the file at `uri` on that folder's kernel. */
  run(uri: vscode.Uri, request: RunRequest): Promise<RunResult> {
    const kernel = this.kernelFor(uri);
    this.statusBar.follow(kernel);
    return kernel.run(request);
  }

  private wire(kernel: Kernel): void {
    const runs = new Map<number, { request: RunRequest; endLine: number }>();
    const endLineOf = (request: RunRequest) => request.lineOffset + request.code.split('\n').length - 1;
    /** Files whose cells ran on this kernel since it last lost its state. */
    const files = new Set<string>();
    kernel.onRestarted.event(() => {
      this.presenter.kernelRestarted(files);
      files.clear();
    });
    kernel.onRunStarted.event(({ runId, request }) => {
      files.add(request.file);
      runs.set(runId, { request, endLine: endLineOf(request) });
      this.presenter.runStarted(runId, request, endLineOf(request));
      const run = { runId, cellTitle: request.title, file: request.file, line: request.lineOffset + 1 };
      this.inspector.runStarted(run);
    });
    kernel.onStream.event(({ runId, text }) => this.presenter.stream(runId, text));
    kernel.onRunFinished.event(({ request, result }) => {
      runs.delete(result.runId);
      this.fitProgress.runFinished(result.runId);
      this.presenter.runFinished(request, result, endLineOf(request));
    });
    kernel.onNotice.event((text) => {
      this.presenter.notice(text);
      if (text.startsWith('Kernel restarted:')) void vscode.window.showWarningMessage(`Tapescope: ${text}`);
      else if (text.startsWith('Interrupt:')) void vscode.window.showInformationMessage(`Tapescope: ${text}`);
    });
    kernel.onTapes.event(({ runId, tapes }) => {
      const started = runs.get(runId);
      const run = {
        runId,
        cellTitle: started?.request.title ?? '',
        file: started?.request.file ?? '',
        line: (started?.request.lineOffset ?? 0) + 1,
      };
      this.tapesEmitter.fire({ run, tapes });
      this.inspector.showTapes(run, tapes);
      this.gradients.showTapes(run, tapes);
    });
    kernel.onMetrics.event((event) => {
      this.inspector.addMetrics(event.runId, event.points);
      this.metricsEmitter.fire(event);
    });
    kernel.onTelemetry.event(({ runId, steps, progress }) => {
      if (progress) this.fitProgress.update(runId, progress, () => kernel.interrupt());
      if (steps.length > 0) this.inspector.addTelemetry(runId, steps);
    });
  }

  /** The kernel the status bar shows (the one last used). */
  get followed(): Kernel | undefined {
    return this.statusBar.kernel;
  }

  async restart(uri: vscode.Uri | undefined): Promise<void> {
    const kernels = uri ? [this.existing(uri)].filter((k): k is Kernel => !!k) : this.all();
    await Promise.all(kernels.map((k) => k.restart()));
  }

  /** Interrupt the file's kernel; without a file, the busy kernels, or else the one the status bar shows (leftover timers). */
  interrupt(uri: vscode.Uri | undefined): void {
    const kernel = uri ? this.existing(uri) : undefined;
    const busy = this.all().filter((k) => k.pendingRuns > 0);
    const followed = this.followed ? [this.followed] : this.all();
    for (const k of kernel ? [kernel] : busy.length ? busy : followed) k.interrupt();
  }

  dispose(): void {
    for (const kernel of this.kernels.values()) void kernel.dispose();
    this.kernels.clear();
    this.presenter.dispose();
    this.gradients.dispose();
    this.statusBar.dispose();
    this.fitProgress.dispose();
    this.tapesEmitter.dispose();
  }
}
