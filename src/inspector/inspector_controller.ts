// Owns the inspector panel's whole life: create or reveal it beside the editor, restore it after a
// window reload (a WebviewPanelSerializer), forward tapes and metric points to it, and act on the
// few things the page may ask for (save an export, show a source line) after validating them.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { MetricPoint, TapeTrace } from '../../engine/trace/trace_format';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import {
  validateInspectorToHost, type ExportFileMessage, type HostToInspectorMessage, type NodeRevealedMessage, type ShowTapesMessage, type RevealSourceMessage, type RunInfo,
} from '../protocol/inspector_messages';
import { answerStepsRequest, withDeferredSteps } from './deferred_steps';
import { inspectorHtml, makeNonce } from './inspector_html';
import { runLabel } from './run_label';
import { cursorMessage, revealPosition } from './source_link';

export const INSPECTOR_VIEW_TYPE = 'tapescope.inspector';
/** Points kept on the host for a panel opened later (the page keeps its own copy once open). */
const MAX_BUFFERED_POINTS = 200_000;
const MAX_BUFFERED_RUNS = 10;
/** Optimizer steps kept on the host per run, the latest ones, for a panel opened later. */
const MAX_BUFFERED_STEPS = 20_000;

/** Runs whose tapes the host keeps for the editor's links into the inspector. */
const RECENT_RUNS_KEPT = 8;

export class InspectorController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** Messages for a panel whose page has not said 'ready' yet. */
  private undelivered: HostToInspectorMessage[] = [];
  private lastTapes: ShowTapesMessage | undefined;
  /** The run before `lastTapes` when it was of the same cell: a panel opened late still gets both, to compare. */
  private previousOfLast: ShowTapesMessage | undefined;
  private readonly metricHistory = new Map<number, MetricPoint[]>();
  private readonly telemetryHistory = new Map<number, StepTelemetry[]>();
  private readonly runLabels = new Map<number, string>();
  /** Files the page may ask to reveal: those named by the traces and runs we sent it. */
  private readonly knownFiles = new Set<string>();
  /** The last runs' tapes, so an editor hover can bring back the run its tensor came from. */
  private readonly recentRuns = new Map<number, ShowTapesMessage>();
  private shownRunId: number | undefined;
  /** What the page last said it selected for a revealNode (for tests). */
  lastRevealed: NodeRevealedMessage | undefined;
  private readonly output: vscode.OutputChannel;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.output = vscode.window.createOutputChannel('Tapescope Inspector');
    this.disposables.push(this.output);
    this.disposables.push(vscode.window.registerWebviewPanelSerializer(INSPECTOR_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel: vscode.WebviewPanel) => {
        // The page restores its own state (vscode.setState); the host only re-attaches.
        this.adopt(panel, []);
      },
    }));
    // The editor's cursor line highlights its nodes; only for files whose ops are drawn, and never queued.
    this.disposables.push(vscode.window.onDidChangeTextEditorSelection((e) => {
      const message = cursorMessage(e.textEditor.document.uri.fsPath, e.selections[0].active.line, this.knownFiles);
      if (!this.panel || !this.ready || !message) return;
      void this.panel.webview.postMessage(message satisfies HostToInspectorMessage);
    }));
  }

  open(): void {
    if (this.panel) {
      this.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      INSPECTOR_VIEW_TYPE, 'Tapescope Inspector',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, retainContextWhenHidden: true, localResourceRoots: this.resourceRoots() },
    );
    const replay: HostToInspectorMessage[] = [];
    if (this.previousOfLast) replay.push(this.previousOfLast);
    if (this.lastTapes) replay.push(this.lastTapes);
    for (const [runId, points] of this.metricHistory) {
      replay.push({ type: 'metrics', runId, points, runLabel: this.runLabels.get(runId) });
    }
    for (const [runId, steps] of this.telemetryHistory) {
      replay.push({ type: 'telemetry', runId, steps, runLabel: this.runLabels.get(runId) });
    }
    this.adopt(panel, replay);
  }

  runStarted(run: RunInfo): void {
    this.runLabels.set(run.runId, runLabel(run.cellTitle, run.line, new Date()));
    this.knownFiles.add(run.file);
  }

  showTapes(run: RunInfo, tapes: TapeTrace[]): void {
    run = { ...run, label: this.labelOf(run) };
    this.remember(run);
    for (const tape of tapes) for (const node of tape.nodes) if (node.source) this.knownFiles.add(node.source.file);
    const message: ShowTapesMessage = { type: 'tapes', run, tapes };
    const last = this.lastTapes?.run;
    this.previousOfLast = last && last.file === run.file && last.cellTitle === run.cellTitle && (run.cellTitle !== '' || last.line === run.line)
      ? this.lastTapes : undefined;
    this.lastTapes = message;
    this.recentRuns.delete(run.runId);
    this.recentRuns.set(run.runId, message);
    for (const old of this.recentRuns.keys()) {
      if (this.recentRuns.size <= RECENT_RUNS_KEPT) break;
      this.recentRuns.delete(old);
    }
    if (tapes.length === 0) return;
    if (!this.panel) {
      if (this.setting('openOnTape')) this.open();
      return;
    }
    this.send(message);
    this.send({ type: 'focus', view: 'tapes' });
    if (!this.panel.visible && this.setting('openOnTape')) this.panel.reveal(undefined, true);
  }

  addMetrics(runId: number, points: MetricPoint[]): void {
    if (points.length === 0) return;
    const newRun = !this.metricHistory.has(runId);
    this.bufferMetrics(runId, points);
    if (!this.panel) {
      if (this.setting('openOnMetric')) {
        this.open();
        this.send({ type: 'focus', view: 'chart' });
      }
      return;
    }
    this.send({ type: 'metrics', runId, points, runLabel: this.runLabels.get(runId) });
    // Bring a hidden panel forward once per run, not on every batch of a training loop.
    if (newRun && !this.panel.visible && this.setting('openOnMetric')) {
      this.panel.reveal(undefined, true);
      this.send({ type: 'focus', view: 'chart' });
    }
  }

  addTelemetry(runId: number, steps: StepTelemetry[]): void {
    if (steps.length === 0) return;
    const list = this.telemetryHistory.get(runId) ?? [];
    list.push(...steps);
    if (list.length > MAX_BUFFERED_STEPS) list.splice(0, list.length - MAX_BUFFERED_STEPS);
    this.telemetryHistory.set(runId, list);
    while (this.telemetryHistory.size > MAX_BUFFERED_RUNS) this.telemetryHistory.delete(this.telemetryHistory.keys().next().value!);
    if (!this.panel) {
      if (this.setting('openOnMetric')) this.open();
      return;
    }
    this.send({ type: 'telemetry', runId, steps, runLabel: this.runLabels.get(runId) });
  }

  dispose(): void {
    this.panel?.dispose();
    this.disposePanelListeners();
    for (const d of this.disposables) d.dispose();
  }

  private labelOf(run: RunInfo): string {
    let label = this.runLabels.get(run.runId);
    if (label === undefined) {
      label = runLabel(run.cellTitle, run.line, new Date());
      this.runLabels.set(run.runId, label);
    }
    return label;
  }

  private remember(run: RunInfo): void {
    this.knownFiles.add(run.file);
  }

  private bufferMetrics(runId: number, points: MetricPoint[]): void {
    const list = this.metricHistory.get(runId) ?? [];
    list.push(...points);
    this.metricHistory.set(runId, list);
    while (this.metricHistory.size > MAX_BUFFERED_RUNS) this.metricHistory.delete(this.metricHistory.keys().next().value!);
    let total = 0;
    for (const pts of this.metricHistory.values()) total += pts.length;
    if (total > MAX_BUFFERED_POINTS) list.splice(0, Math.min(list.length, total - MAX_BUFFERED_POINTS));
  }

  private setting(name: 'openOnTape' | 'openOnMetric'): boolean {
    return vscode.workspace.getConfiguration('tapescope.inspector').get<boolean>(name, true);
  }

  private resourceRoots(): vscode.Uri[] {
    return [vscode.Uri.joinPath(this.context.extensionUri, 'dist'), vscode.Uri.joinPath(this.context.extensionUri, 'media')];
  }

  private adopt(panel: vscode.WebviewPanel, replay: HostToInspectorMessage[]): void {
    this.panel?.dispose();
    this.disposePanelListeners();
    this.panel = panel;
    this.ready = false;
    this.undelivered = replay;
    this.shownRunId = replay.filter((m): m is ShowTapesMessage => m.type === 'tapes').pop()?.run.runId;
    const webview = panel.webview;
    webview.options = { enableScripts: true, localResourceRoots: this.resourceRoots() };
    webview.html = inspectorHtml({
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')).toString(),
      layoutWorkerUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'layout_worker.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(this.context.extensionUri, 'media', 'inspector.css')).toString(),
      nonce: makeNonce((n) => randomBytes(n)),
    });
    this.panelDisposables.push(
      webview.onDidReceiveMessage((raw: unknown) => this.receive(raw)),
      panel.onDidDispose(() => {
        if (this.panel !== panel) return;
        this.panel = undefined;
        this.ready = false;
        this.undelivered = [];
        this.disposePanelListeners();
      }),
    );
  }

  private disposePanelListeners(): void {
    for (const d of this.panelDisposables) d.dispose();
    this.panelDisposables = [];
  }

  /** Opens the inspector on the node that produced a tensor (the editor hover's link), bringing its run back if needed. */
  revealNode(runId: number, tapeId: number, tensorId: number): void {
    this.open();
    const run = this.recentRuns.get(runId);
    if (run && this.shownRunId !== runId) this.send(run);
    this.send({ type: 'focus', view: 'tapes' });
    this.send({ type: 'revealNode', runId, tapeId, tensorId });
  }

  private send(message: HostToInspectorMessage): void {
    if (message.type === 'tapes') {
      this.shownRunId = message.run.runId;
      message = withDeferredSteps(message);
    }
    if (!this.panel || !this.ready) {
      this.undelivered.push(message);
      return;
    }
    void this.panel.webview.postMessage(message);
  }

  private receive(raw: unknown): void {
    let message;
    try {
      message = validateInspectorToHost(raw);
    } catch (error) {
      this.output.appendLine((error as Error).message);
      return;
    }
    switch (message.type) {
      case 'ready': {
        this.ready = true;
        const pending = this.undelivered;
        this.undelivered = [];
        for (const m of pending) this.send(m);
        return;
      }
      case 'export': void this.saveExport(message); return;
      case 'revealSource': void this.revealSource(message); return;
      case 'nodeRevealed': this.lastRevealed = message; return;
      case 'requestSteps': this.send(answerStepsRequest(message, this.recentRuns.get(message.runId))); return;
    }
  }

  private async saveExport(message: ExportFileMessage): Promise<void> {
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const filters = { [message.format.toUpperCase()]: [message.format] };
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, message.suggestedName) : undefined,
      filters,
      saveLabel: `Export ${message.format.toUpperCase()}`,
    });
    if (!target) return;
    const bytes = message.format === 'png' ? Buffer.from(message.data, 'base64') : Buffer.from(message.data, 'utf8');
    await vscode.workspace.fs.writeFile(target, bytes);
    void vscode.window.showInformationMessage(`Tapescope: saved ${target.fsPath}`);
  }

  private async revealSource(message: RevealSourceMessage): Promise<void> {
    const at = revealPosition(message, this.knownFiles);
    if (!at) {
      this.output.appendLine(`Refused to reveal ${message.file}: no trace named it.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(at.file));
    const position = new vscode.Position(at.line, at.character);
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  }
}
