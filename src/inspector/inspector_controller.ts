// Owns the inspector panel's whole life: create or reveal it beside the editor, restore it after a
// window reload (a WebviewPanelSerializer), forward tapes and metric points to it, and act on the
// few things the page may ask for (save an export, show a source line) after validating them.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';
import type { MetricPoint, TapeTrace } from '../../engine/trace/trace_format';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import {
  validateInspectorToHost, type ExportFileMessage, type HostToInspectorMessage, type RevealSourceMessage, type RunInfo,
} from '../protocol/inspector_messages';
import { inspectorHtml, makeNonce } from './inspector_html';
import { runLabel } from './run_label';

export const INSPECTOR_VIEW_TYPE = 'tapescope.inspector';
/** Points kept on the host for a panel opened later (the page keeps its own copy once open). */
const MAX_BUFFERED_POINTS = 200_000;
const MAX_BUFFERED_RUNS = 10;
/** Optimizer steps kept on the host per run, the latest ones, for a panel opened later. */
const MAX_BUFFERED_STEPS = 20_000;

export class InspectorController implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private ready = false;
  /** Messages for a panel whose page has not said 'ready' yet. */
  private undelivered: HostToInspectorMessage[] = [];
  private lastTapes: HostToInspectorMessage | undefined;
  private readonly metricHistory = new Map<number, MetricPoint[]>();
  private readonly telemetryHistory = new Map<number, StepTelemetry[]>();
  private readonly runLabels = new Map<number, string>();
  /** Files the page may ask to reveal: those named by the traces and runs we sent it. */
  private readonly knownFiles = new Set<string>();
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
      const file = e.textEditor.document.uri.fsPath;
      if (!this.panel || !this.ready || !this.knownFiles.has(file)) return;
      void this.panel.webview.postMessage({ type: 'cursor', file, line: e.selections[0].active.line + 1 } satisfies HostToInspectorMessage);
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
    const message: HostToInspectorMessage = { type: 'tapes', run, tapes };
    this.lastTapes = message;
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

  private send(message: HostToInspectorMessage): void {
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
    if (!this.knownFiles.has(message.file)) {
      this.output.appendLine(`Refused to reveal ${message.file}: no trace named it.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument(vscode.Uri.file(message.file));
    const position = new vscode.Position(message.line - 1, Math.max(0, message.column - 1));
    await vscode.window.showTextDocument(document, {
      viewColumn: vscode.ViewColumn.One,
      selection: new vscode.Range(position, position),
    });
  }
}
