// Opens one of Tapescope's examples: the workspace's own copy when it has one (this repository's examples/,
// where `npm start` opens), otherwise the copy shipped inside the extension.
import * as vscode from 'vscode';
import path from 'node:path';

const EXAMPLE_NAME = /^[\w-]+\.ts$/;

export async function openExample(extensionPath: string, name: string): Promise<vscode.TextEditor | undefined> {
  if (!EXAMPLE_NAME.test(name)) {
    void vscode.window.showErrorMessage(`Tapescope: no example named ${JSON.stringify(name)}`);
    return undefined;
  }
  const [inWorkspace] = await vscode.workspace.findFiles(`**/examples/${name}`, '**/node_modules/**', 1);
  const uri = inWorkspace ?? vscode.Uri.file(path.join(extensionPath, 'examples', name));
  return vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
}
