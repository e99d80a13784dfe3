// Tapescope: Add Typings to Workspace. The TypeScript server plugin already types cells in VS Code; this is
// for what runs without it (the command-line tsc, other editors): it writes .tapescope/*.d.ts into the
// folder and, once the user agrees, creates or extends its tsconfig.json / jsconfig.json to include them.
import * as vscode from 'vscode';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { planConfigChange, writeWorkspaceTypings, TYPINGS_FOLDER, type ConfigChange } from './workspace_typings';

export const ADD_TYPINGS_COMMAND = 'tapescope.addTypings';

/** What the command did, returned for tests and scripts. */
export interface AddTypingsResult { folder: string; written: string[]; config: string; change: ConfigChange['kind']; applied: boolean }

export function registerAddTypingsCommand(context: vscode.ExtensionContext): vscode.Disposable {
  return vscode.commands.registerCommand(ADD_TYPINGS_COMMAND, async (target?: vscode.Uri, options?: { apply?: boolean }) => {
    const folder = chooseFolder(target);
    if (!folder) {
      void vscode.window.showErrorMessage('Tapescope: open a folder first; the typings are written into it.');
      return undefined;
    }
    const written = writeWorkspaceTypings(context.asAbsolutePath(path.join('dist', 'types')), folder);
    const config = ['tsconfig.json', 'jsconfig.json'].map((n) => path.join(folder, n)).find(existsSync) ?? path.join(folder, 'tsconfig.json');
    const change = planConfigChange(existsSync(config) ? readFileSync(config, 'utf8') : undefined);
    const name = path.basename(config);
    let applied = false;
    if (change.kind === 'create' || change.kind === 'patch') {
      const question = change.kind === 'create'
        ? `Tapescope: typings written to ${TYPINGS_FOLDER}/. Create a ${name} that includes them?`
        : `Tapescope: typings written to ${TYPINGS_FOLDER}/. Add them to the "include" of ${name}?`;
      const agreed = options?.apply ?? (await vscode.window.showInformationMessage(question, 'Yes', 'No')) === 'Yes';
      if (agreed) {
        writeFileSync(config, change.text);
        applied = true;
      }
    } else if (change.kind === 'manual') {
      void vscode.window.showInformationMessage(`Tapescope: typings written to ${TYPINGS_FOLDER}/; to use them, ${change.reason} in ${name}.`);
    } else {
      void vscode.window.showInformationMessage(`Tapescope: typings in ${TYPINGS_FOLDER}/ updated.`);
    }
    return { folder, written, config, change: change.kind, applied } satisfies AddTypingsResult;
  });
}

function chooseFolder(target: vscode.Uri | undefined): string | undefined {
  if (target?.scheme === 'file' && existsSync(target.fsPath) && statSync(target.fsPath).isDirectory()) return target.fsPath;
  const uri = target ?? vscode.window.activeTextEditor?.document.uri;
  const folder = uri && vscode.workspace.getWorkspaceFolder(uri);
  if (folder) return folder.uri.fsPath;
  // A loose file outside every workspace folder: its own folder.
  if (uri?.scheme === 'file') return path.dirname(uri.fsPath);
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}
