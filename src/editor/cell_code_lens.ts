// CodeLens above every `// %%` cell: Run Cell, Run Above, Inspect (in a trusted workspace only).
import * as vscode from 'vscode';
import { splitCells } from '../cells/cell_splitter';

export class CellCodeLensProvider implements vscode.CodeLensProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly trust = vscode.workspace.onDidGrantWorkspaceTrust(() => this.changed.fire());
  readonly onDidChangeCodeLenses = this.changed.event;

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    // In Restricted Mode cells cannot run, so no lens offers to (they appear once the workspace is trusted).
    if (!vscode.workspace.isTrusted) return [];
    const text = document.getText();
    if (!/^\s*\/\/\s?%%/m.test(text)) return [];
    return splitCells(text).flatMap((cell) => {
      const range = new vscode.Range(cell.startLine, 0, cell.startLine, 0);
      const args = [document.uri, cell.startLine];
      return [
        new vscode.CodeLens(range, { title: '$(play) Run Cell', command: 'tapescope.runCell', arguments: args }),
        new vscode.CodeLens(range, { title: 'Run Above', command: 'tapescope.runCellsAbove', arguments: args }),
        new vscode.CodeLens(range, { title: '$(type-hierarchy) Inspect', command: 'tapescope.openInspector', arguments: args }),
      ];
    });
  }

  dispose(): void {
    this.trust.dispose();
    this.changed.dispose();
  }
}
