// Types for `tf`, `print` and "tapescope" in the editor, in any workspace: the TypeScript server plugin (put in
// place on activation), and the command that writes the typings into a workspace for tools without it.
import type * as vscode from 'vscode';
import { registerAddTypingsCommand } from './add_typings_command';
import { provideTypingsToTypeScript } from './plugin_install';

export function provideEditorTypings(context: vscode.ExtensionContext): void {
  provideTypingsToTypeScript(context.extensionPath);
  context.subscriptions.push(registerAddTypingsCommand(context));
}
