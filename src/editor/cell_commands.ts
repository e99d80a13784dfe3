// The run commands: which text of which editor becomes which cell request.
import * as vscode from 'vscode';
import { cellAtLine, splitCells, type Cell } from '../cells/cell_splitter';
import type { RunRequest, RunResult } from '../kernel/kernel';
import { showKernelActions } from './kernel_actions';
import type { KernelRegistry } from './kernel_registry';

/** Everything a command needs, loaded on first use (the kernel code is not loaded at activation). */
export type RegistryLoader = () => Promise<KernelRegistry>;

const RUNNABLE = /\.(ts|mts|cts|js|mjs|cjs)$/i;

function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window.showWarningMessage(
    'Tapescope runs cells as code on this machine, so it only runs them in a trusted workspace.',
    'Manage Workspace Trust',
  ).then((choice) => {
    if (choice) void vscode.commands.executeCommand('workbench.trust.manage');
  });
  return false;
}

async function documentFor(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Tapescope: open a TypeScript or JavaScript file to run its cells.');
    return undefined;
  }
  if (!RUNNABLE.test(document.uri.path) && !['typescript', 'javascript'].includes(document.languageId)) {
    void vscode.window.showInformationMessage('Tapescope runs cells of .ts, .mts and .js files.');
    return undefined;
  }
  return document;
}

function requestFor(document: vscode.TextDocument, cell: Cell): RunRequest {
  return { code: cell.code, file: document.uri.fsPath, lineOffset: cell.startLine, title: cell.title };
}

function cursorLine(document: vscode.TextDocument, line: number | undefined): number {
  if (line !== undefined) return line;
  const editor = vscode.window.activeTextEditor;
  return editor && editor.document === document ? editor.selection.active.line : 0;
}

export class CellCommands {
  constructor(private readonly registry: RegistryLoader) {}

  /** Commands return their results so tests can await them. */
  register(): vscode.Disposable[] {
    const reg = (id: string, fn: (...args: never[]) => unknown) => vscode.commands.registerCommand(id, fn);
    return [
      reg('tapescope.runCell', (uri?: vscode.Uri, line?: number) => this.runCell(uri, line)),
      reg('tapescope.runCellAndAdvance', () => this.runCellAndAdvance()),
      reg('tapescope.runSelection', () => this.runSelection()),
      reg('tapescope.runAllCells', (uri?: vscode.Uri) => this.runAll(uri)),
      reg('tapescope.runCellsAbove', (uri?: vscode.Uri, line?: number) => this.runAbove(uri, line)),
      reg('tapescope.interrupt', () => this.interrupt()),
      reg('tapescope.restartKernel', () => this.restart()),
      reg('tapescope.kernelActions', async () => showKernelActions(await this.registry())),
    ];
  }

  private async submit(document: vscode.TextDocument, requests: RunRequest[]): Promise<RunResult[]> {
    const registry = await this.registry();
    if (requests.length) registry.presenter.showOutput();
    return Promise.all(requests.map((r) => registry.run(document.uri, r)));
  }

  async runCell(uri?: vscode.Uri, line?: number): Promise<RunResult | undefined> {
    if (!requireTrust()) return undefined;
    const document = await documentFor(uri);
    if (!document) return undefined;
    const cell = cellAtLine(splitCells(document.getText()), cursorLine(document, line));
    if (!cell) return undefined;
    return (await this.submit(document, [requestFor(document, cell)]))[0];
  }

  async runCellAndAdvance(): Promise<RunResult | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (editor && !editor.selection.isEmpty) return this.runSelection();
    if (!requireTrust()) return undefined;
    const document = await documentFor(undefined);
    if (!document || !editor) return undefined;
    const cells = splitCells(document.getText());
    const cell = cellAtLine(cells, editor.selection.active.line);
    if (!cell) return undefined;
    const next = cells[cell.index + 1];
    const target = next ? new vscode.Position(Math.min(next.startLine + 1, document.lineCount - 1), 0) : document.lineAt(document.lineCount - 1).range.end;
    editor.selection = new vscode.Selection(target, target);
    editor.revealRange(new vscode.Range(target, target));
    return (await this.submit(document, [requestFor(document, cell)]))[0];
  }

  async runSelection(): Promise<RunResult | undefined> {
    if (!requireTrust()) return undefined;
    const editor = vscode.window.activeTextEditor;
    const document = await documentFor(undefined);
    if (!editor || !document) return undefined;
    if (editor.selection.isEmpty) return this.runCell();
    const { start } = editor.selection;
    // Pad the first line so columns, not only lines, match the file.
    const code = ' '.repeat(start.character) + document.getText(editor.selection);
    return (await this.submit(document, [{ code, file: document.uri.fsPath, lineOffset: start.line, title: 'selection' }]))[0];
  }

  async runAll(uri?: vscode.Uri): Promise<RunResult[]> {
    if (!requireTrust()) return [];
    const document = await documentFor(uri);
    if (!document) return [];
    return this.submit(document, splitCells(document.getText()).map((c) => requestFor(document, c)));
  }

  async runAbove(uri?: vscode.Uri, line?: number): Promise<RunResult[]> {
    if (!requireTrust()) return [];
    const document = await documentFor(uri);
    if (!document) return [];
    const cells = splitCells(document.getText());
    const current = cellAtLine(cells, cursorLine(document, line));
    const above = current ? cells.filter((c) => c.index < current.index) : [];
    return this.submit(document, above.map((c) => requestFor(document, c)));
  }

  async interrupt(): Promise<void> {
    const registry = await this.registry();
    registry.interrupt(undefined);
  }

  async restart(): Promise<void> {
    const registry = await this.registry();
    const uri = vscode.window.activeTextEditor?.document.uri;
    await registry.restart(uri && registry.existing(uri) ? uri : undefined);
  }
}
