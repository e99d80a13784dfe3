// Gradients in the editor: after a cell that took gradients runs, faint inline text on each line that bound a
// recorded tensor (its value and gradient) and on each gradient() line (what it returned), flags where a gradient
// changed since the cell's previous run, and a hover on a tensor's name with its value, shape and gradient and a
// link that selects the tensor's node in the inspector.
// `tapescope.editor.inlineGradients` turns the inline text off (the hover stays).
import * as vscode from 'vscode';
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RunInfo } from '../protocol/inspector_messages';
import { changedGradients, editorGradients, flagChanges, shortSummary, type EditorGradients, type LineGradient } from './editor_gradients';

const SETTING = 'editor.inlineGradients';
/** The hover's link: opens the inspector on the tensor's node (registered in extension.ts). */
export const REVEAL_NODE_COMMAND = 'tapescope.revealNode';

export class GradientDecorations implements vscode.Disposable {
  private readonly decorationType = vscode.window.createTextEditorDecorationType({
    after: { margin: '0 0 0 3em', color: new vscode.ThemeColor('editorCodeLens.foreground'), fontStyle: 'italic' },
    rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
  });
  /** By file: what the last run of each cell showed (keyed by the cell's first line), for the hovers and comparing. */
  private readonly shown = new Map<string, Map<number, { runId: number; gradients: EditorGradients; lines: LineGradient[] }>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor() {
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors(() => this.renderAll()),
      vscode.workspace.onDidChangeConfiguration((e) => { if (e.affectsConfiguration(`tapescope.${SETTING}`)) this.renderAll(); }),
      vscode.languages.registerHoverProvider([{ language: 'typescript', scheme: 'file' }, { language: 'javascript', scheme: 'file' }],
        { provideHover: (document, position) => this.hover(document, position) }),
    );
  }

  /** A run's tapes arrived: compute each file's lines, flag what changed since the cell last ran, redraw. */
  showTapes(run: RunInfo, tapes: readonly TapeTrace[]): void {
    if (!run.file) return;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.fsPath === run.file);
    if (!document) return;
    const gradients = editorGradients(tapes, run.file, (line) => (line >= 1 && line <= document.lineCount ? document.lineAt(line - 1).text : undefined));
    const forFile = this.shown.get(run.file) ?? new Map();
    this.shown.set(run.file, forFile);
    const previous = forFile.get(run.line)?.gradients;
    const lines = previous ? flagChanges(gradients.lines, changedGradients(previous, gradients)) : gradients.lines;
    forFile.set(run.line, { runId: run.runId, gradients, lines });
    this.renderAll();
  }

  /** The inline gradient texts shown in a file (for tests), 1-based lines. */
  inlineGradients(file: string): LineGradient[] {
    return [...(this.shown.get(file)?.values() ?? [])].flatMap((c) => c.lines);
  }

  private renderAll(): void {
    const on = vscode.workspace.getConfiguration('tapescope').get<boolean>(SETTING, true);
    for (const editor of vscode.window.visibleTextEditors) {
      const lines = on ? this.inlineGradients(editor.document.uri.fsPath) : [];
      editor.setDecorations(this.decorationType, lines.filter((l) => l.line <= editor.document.lineCount).map((l) => {
        const end = editor.document.lineAt(l.line - 1).range.end;
        return { range: new vscode.Range(end, end), renderOptions: { after: { contentText: `  ${l.text}` } } };
      }));
    }
  }

  private hover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const range = document.getWordRangeAtPosition(position, /[A-Za-z_$][\w$]*/);
    if (!range) return undefined;
    const name = document.getText(range);
    const cells = [...(this.shown.get(document.uri.fsPath)?.entries() ?? [])].filter(([start]) => start <= position.line + 1).sort((a, b) => b[0] - a[0]);
    const cell = cells.map(([, c]) => c).find((c) => c.gradients.hovers.has(name));
    const found = cell?.gradients.hovers.get(name);
    if (!cell || !found) return undefined;
    const text = new vscode.MarkdownString(undefined, true);
    text.appendMarkdown('**');
    text.appendText(name);
    text.appendMarkdown('** (tape ');
    text.appendText(String(found.tapeId));
    text.appendMarkdown(')\n\n');
    text.appendText(`value ${shortSummary(found.value)}   shape (${found.shape.join(', ')}) ${found.dtype}\n`);
    text.appendMarkdown('\n\n');
    text.appendText(`gradient ${found.grad === undefined ? 'not taken' : shortSummary(found.grad)}`);
    const args = encodeURIComponent(JSON.stringify([{ runId: cell.runId, tapeId: found.tapeId, tensorId: found.tensorId }]));
    text.appendMarkdown(`\n\n[Select its node in the inspector](command:${REVEAL_NODE_COMMAND}?${args})`);
    text.isTrusted = { enabledCommands: [REVEAL_NODE_COMMAND] };
    return new vscode.Hover(text, range);
  }

  dispose(): void {
    this.decorationType.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
