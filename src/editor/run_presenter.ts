// Shows runs to the user: the Tapescope output channel (streamed text, values in full, mapped
// errors), an inline decoration at the end of each cell, and Diagnostics at the throwing line.
import * as vscode from 'vscode';
import type { RunRequest, RunResult } from '../kernel/kernel';
import { inlineBudget, inlineErrorText, inlineNoticeText, inlineValueText } from './inline_result';

/** What the test API reports for each finished run. */
export interface CellRunRecord {
  uri: string;
  runId: number;
  title: string;
  /** 1-based first line of the cell in its file. */
  line: number;
  outcome: RunResult['outcome'];
  value?: string;
  errorMessage?: string;
  errorLine?: number;
  message?: string;
  /** Everything the run printed, then its value / error / notice, as in the output channel. */
  output: string;
}

interface InlineResult { range: vscode.Range; text: string; kind: 'ok' | 'error' | 'running' | 'stale'; full?: string }

/** The output channel as the presenter writes it, keeping a copy (the test API reads the whole history). */
const HISTORY_CHARS = 4_000_000;

interface Channel { append(text: string): void; appendLine(text: string): void; show(preserveFocus?: boolean): void }

export class RunPresenter implements vscode.Disposable {
  private channel: vscode.OutputChannel | undefined;
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('tapescope');
  private readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 2em', fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  private readonly inline = new Map<string, Map<number, InlineResult>>();
  private readonly outputs = new Map<number, string[]>();
  private readonly runEmitter = new vscode.EventEmitter<CellRunRecord>();
  private lastOutput = '';
  private history: string[] = [];
  private historyChars = 0;
  /** The run whose text the channel shows last: output of any other run gets its own heading first. */
  private speakingRun: number | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  readonly onDidRunCell = this.runEmitter.event;

  constructor() {
    this.subscriptions.push(vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()));
  }

  get lastOutputText(): string {
    return this.lastOutput;
  }

  /** The inline results shown in a file, by 0-based line of the cell they end (for tests). */
  inlineResults(uri: vscode.Uri): Array<{ line: number; text: string }> {
    return [...(this.inline.get(uri.toString())?.values() ?? [])].map((r) => ({ line: r.range.start.line, text: r.text }));
  }

  /** Keeps what the channel was given, its last HISTORY_CHARS characters at most. */
  private remember(text: string): void {
    this.history.push(text);
    this.historyChars += text.length;
    if (this.historyChars <= HISTORY_CHARS) return;
    const joined = this.history.join('').slice(-HISTORY_CHARS);
    this.history = [joined];
    this.historyChars = joined.length;
  }

  /** Everything written to the output channel since activation (its last 4 M characters). */
  get outputHistory(): string {
    return this.history.join('');
  }

  private get output(): Channel {
    const channel = (this.channel ??= vscode.window.createOutputChannel('Tapescope'));
    return {
      append: (text) => { this.remember(text); channel.append(text); },
      appendLine: (text) => { this.remember(`${text}\n`); channel.appendLine(text); },
      show: (preserveFocus?: boolean) => channel.show(preserveFocus),
    };
  }

  showOutput(): void {
    this.output.show(true);
  }

  runStarted(runId: number, request: RunRequest, endLine: number): void {
    const uri = vscode.Uri.file(request.file);
    const where = `${vscode.workspace.asRelativePath(uri)}:${request.lineOffset + 1}`;
    const header = `In [${runId}] ${where}${request.title ? `  ${request.title}` : ''}`;
    this.outputs.set(runId, []);
    this.speakingRun = runId;
    this.output.appendLine(header);
    this.clearDiagnosticsIn(uri, request.lineOffset, endLine);
    this.setInline(uri, request.lineOffset, { range: this.endOfCell(uri, request.lineOffset, endLine), text: '… running', kind: 'running' });
  }

  stream(runId: number, text: string): void {
    const running = this.outputs.get(runId);
    running?.push(text);
    if (runId !== this.speakingRun) {
      // A timer of a finished cell (or a cell resuming after one): never glued into another cell's output.
      this.output.appendLine(running ? `In [${runId}] (continued)` : `In [${runId}] (after it finished: a timer or promise it left)`);
      this.speakingRun = runId;
    }
    this.output.append(text);
  }

  /**
   * The kernel that ran these files lost its state: earlier inline results are greyed and marked, and the
   * Tapescope diagnostics of their runs cleared (they described bindings that no longer exist).
   */
  kernelRestarted(files: Iterable<string>): void {
    for (const file of files) {
      const uri = vscode.Uri.file(file);
      for (const result of this.inline.get(uri.toString())?.values() ?? []) {
        if (result.kind === 'stale' || result.kind === 'running') continue;
        result.kind = 'stale';
        result.text = `${result.text} (before restart)`;
      }
      this.diagnostics.delete(uri);
    }
    this.renderAll();
  }

  runFinished(request: RunRequest, result: RunResult, endLine: number): void {
    const uri = vscode.Uri.file(request.file);
    const lines: string[] = [];
    let inline: string | undefined;
    let full: string | undefined;
    let kind: InlineResult['kind'] = 'ok';
    const range = this.endOfCell(uri, request.lineOffset, endLine);
    const budget = inlineBudget(range.end.character, vscode.workspace.getConfiguration('editor', uri).get<number>('wordWrapColumn', 80));
    switch (result.outcome) {
      case 'ok':
        if (result.value !== undefined) {
          lines.push(`Out[${result.runId}]: ${result.value}`);
          inline = inlineValueText(result.value, budget);
          full = result.value;
        } else {
          inline = '✓';
        }
        break;
      case 'error': {
        const e = result.error!;
        lines.push(e.stack || `${e.name}: ${e.message}`);
        if (result.message) lines.push(result.message);
        inline = inlineErrorText(`${e.name}: ${e.message}`, e.location?.line, budget);
        full = `${e.name}: ${e.message}`;
        kind = 'error';
        if (e.location) this.addDiagnostic(e.location.file, e.location.line, e.location.column, `${e.name}: ${e.message}`);
        break;
      }
      case 'restarted':
        // The kernel died under this cell: say so where the user is looking, on the cell's first line.
        this.addDiagnostic(request.file, request.lineOffset + 1, 1, `Tapescope: ${result.message ?? 'the kernel restarted while this cell ran'}`);
        lines.push(`■ ${result.message ?? result.outcome}`);
        inline = inlineNoticeText(result.message ?? result.outcome, budget);
        full = result.message;
        kind = 'error';
        break;
      case 'interrupted':
      case 'cancelled':
        lines.push(`■ ${result.message ?? result.outcome}`);
        inline = inlineNoticeText(result.message ?? result.outcome, budget);
        full = result.message;
        kind = 'error';
        break;
    }
    for (const line of lines) this.output.appendLine(line);
    this.output.appendLine('');
    this.setInline(uri, request.lineOffset, { range, text: inline, kind, full });
    const printed = (this.outputs.get(result.runId) ?? []).join('');
    this.outputs.delete(result.runId);
    this.lastOutput = printed + lines.join('\n');
    this.runEmitter.fire({
      uri: uri.toString(),
      runId: result.runId,
      title: request.title,
      line: request.lineOffset + 1,
      outcome: result.outcome,
      value: result.value,
      errorMessage: result.error ? `${result.error.name}: ${result.error.message}` : undefined,
      errorLine: result.error?.location?.line,
      message: result.message,
      output: this.lastOutput,
    });
  }

  notice(text: string): void {
    this.output.appendLine(`[kernel] ${text}`);
  }

  private addDiagnostic(file: string, line: number, column: number, message: string): void {
    const uri = vscode.Uri.file(file);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    const lineEnd = document && line - 1 < document.lineCount ? document.lineAt(line - 1).range.end.character : column;
    const range = new vscode.Range(line - 1, Math.max(0, column - 1), line - 1, Math.max(column, lineEnd));
    const diagnostic = new vscode.Diagnostic(range, message, vscode.DiagnosticSeverity.Error);
    diagnostic.source = 'tapescope';
    this.diagnostics.set(uri, [...(this.diagnostics.get(uri) ?? []), diagnostic]);
  }

  private clearDiagnosticsIn(uri: vscode.Uri, startLine: number, endLine: number): void {
    const kept = (this.diagnostics.get(uri) ?? []).filter((d) => d.range.start.line < startLine || d.range.start.line > endLine);
    this.diagnostics.set(uri, kept);
  }

  /** End of the cell's last non-blank line, where the inline result sits. */
  private endOfCell(uri: vscode.Uri, startLine: number, endLine: number): vscode.Range {
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    let line = Math.min(endLine, (document?.lineCount ?? endLine + 1) - 1);
    while (document && line > startLine && document.lineAt(line).isEmptyOrWhitespace) line--;
    const end = document ? document.lineAt(line).range.end : new vscode.Position(line, 0);
    return new vscode.Range(end, end);
  }

  private setInline(uri: vscode.Uri, cellStart: number, result: InlineResult | undefined): void {
    const key = uri.toString();
    const forFile = this.inline.get(key) ?? new Map<number, InlineResult>();
    this.inline.set(key, forFile);
    if (result) forFile.set(cellStart, result);
    else forFile.delete(cellStart);
    this.renderAll();
  }

  private renderAll(): void {
    for (const editor of vscode.window.visibleTextEditors) {
      const forFile = this.inline.get(editor.document.uri.toString());
      if (!forFile) continue;
      const colors = { ok: 'editorCodeLens.foreground', error: 'errorForeground', running: 'editorCodeLens.foreground', stale: 'disabledForeground' };
      editor.setDecorations(this.decorationType, [...forFile.values()].map((r) => ({
        // The last line of the cell, so hovering it shows the hover; the text goes after its end.
        range: new vscode.Range(r.range.end.line, 0, r.range.end.line, r.range.end.character),
        // The whole value on hover (the inline text shows what fits).
        hoverMessage: r.full === undefined ? undefined : new vscode.MarkdownString().appendCodeblock(r.full, 'text'),
        renderOptions: { after: { contentText: r.text, color: new vscode.ThemeColor(colors[r.kind]) } },
      })));
    }
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.channel?.dispose();
    this.diagnostics.dispose();
    this.decorationType.dispose();
    this.runEmitter.dispose();
  }
}
