// What makes a cell file look like cells the moment it opens, without waiting for the TypeScript server: a
// subtle separator above each `// %%` marker and its title set off as a header. Drawn for every visible cell
// file on open and after each edit; the first sight of a cell file also starts the cell compiler's thread so
// the first run does not wait for it.
import * as vscode from 'vscode';

const MARKER_TITLE = /^(\s*\/\/\s?%%)(.*)$/;
const CELL_FILE = /^\s*\/\/\s?%%/m;

export function isCellDocument(document: vscode.TextDocument): boolean {
  return (document.languageId === 'typescript' || document.languageId === 'javascript') && CELL_FILE.test(document.getText());
}

export interface CellFileReadiness { shownAt: number; decoratedAt: number; lensesAt?: number }

export class CellDecorations implements vscode.Disposable {
  private readonly separator = vscode.window.createTextEditorDecorationType({
    isWholeLine: true,
    borderWidth: '1px 0 0 0',
    borderStyle: 'solid',
    borderColor: new vscode.ThemeColor('editorIndentGuide.activeBackground1'),
  });
  private readonly title = vscode.window.createTextEditorDecorationType({
    fontWeight: 'bold',
    color: new vscode.ThemeColor('textLink.foreground'),
  });
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly drawn = new Map<string, number>();
  private readonly readiness = new Map<string, CellFileReadiness>();
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();

  /** `onCellFile` runs once per document the first time it is seen as a cell file. */
  constructor(private readonly onCellFile: (editor: vscode.TextEditor) => void) {
    const seen = new WeakSet<vscode.TextDocument>();
    const drawVisible = () => {
      for (const editor of vscode.window.visibleTextEditors) {
        const key = editor.document.uri.toString();
        const shownAt = performance.now();
        if (!this.draw(editor) || seen.has(editor.document)) continue;
        this.readiness.set(key, { shownAt, decoratedAt: performance.now(), ...this.readiness.get(key) });
        seen.add(editor.document);
        this.onCellFile(editor);
      }
    };
    this.subscriptions.push(
      vscode.window.onDidChangeVisibleTextEditors(drawVisible),
      vscode.workspace.onDidChangeTextDocument((e) => this.redrawSoon(e.document)),
    );
    drawVisible();
  }

  /** Notes the first time the CodeLens provider answered for a file shown as a cell file. */
  lensesProvided(uri: vscode.Uri): void {
    const known = this.readiness.get(uri.toString());
    if (known && known.lensesAt === undefined) known.lensesAt = performance.now();
  }

  /** When a cell file was first shown, decorated, and given its lenses (performance.now() ms; for tests). */
  readinessOf(uri: vscode.Uri): CellFileReadiness | undefined {
    return this.readiness.get(uri.toString());
  }

  /** Markers decorated in a file (for tests). */
  markersIn(uri: vscode.Uri): number {
    return this.drawn.get(uri.toString()) ?? 0;
  }

  /** Decorates one editor; true when it shows a cell file. */
  private draw(editor: vscode.TextEditor): boolean {
    const document = editor.document;
    if (!isCellDocument(document)) {
      editor.setDecorations(this.separator, []);
      editor.setDecorations(this.title, []);
      this.drawn.delete(document.uri.toString());
      return false;
    }
    const separators: vscode.Range[] = [];
    const titles: vscode.Range[] = [];
    for (let line = 0; line < document.lineCount; line++) {
      const text = document.lineAt(line).text;
      const match = MARKER_TITLE.exec(text);
      if (!match) continue;
      if (line > 0) separators.push(new vscode.Range(line, 0, line, 0));
      if (match[2].trim()) titles.push(new vscode.Range(line, match[1].length, line, text.length));
    }
    editor.setDecorations(this.separator, separators);
    editor.setDecorations(this.title, titles);
    this.drawn.set(document.uri.toString(), separators.length + (document.lineAt(0).text.match(MARKER_TITLE) ? 1 : 0));
    return true;
  }

  private redrawSoon(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    clearTimeout(this.pending.get(key));
    this.pending.set(key, setTimeout(() => {
      this.pending.delete(key);
      for (const editor of vscode.window.visibleTextEditors) if (editor.document === document) this.draw(editor);
    }, 100));
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const s of this.subscriptions) s.dispose();
    this.separator.dispose();
    this.title.dispose();
  }
}
