// "Tapescope: New Cell File": a TypeScript file with a first cell, saved in the workspace (cells run from files
// on disk), opened with the cursor in the cell and the inspector beside it.
import * as vscode from 'vscode';
import { FIRST_CELL } from './first_cell';


/** The first `cells.ts`, `cells-2.ts`, … that does not exist in the folder. */
async function freeName(folder: vscode.Uri): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const candidate = vscode.Uri.joinPath(folder, n === 1 ? 'cells.ts' : `cells-${n}.ts`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}

export async function newCellFile(openInspector: () => Promise<void>): Promise<vscode.Uri | undefined> {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = folder
    ? await freeName(folder)
    : await vscode.window.showSaveDialog({ filters: { 'TypeScript cells': ['ts'] }, saveLabel: 'Create Cell File' });
  if (!target) return undefined;
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(FIRST_CELL));
  const editor = await vscode.window.showTextDocument(target, { preview: false, viewColumn: vscode.ViewColumn.One });
  const inCell = new vscode.Position(2, 0);
  editor.selection = new vscode.Selection(inCell, inCell);
  await openInspector();
  return target;
}
