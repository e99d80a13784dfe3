// The TypeScript server finds a contributed plugin only as <extension>/node_modules/<name>, but the .vsix
// carries no node_modules (it is packaged with `vsce package --no-dependencies`). So the build ships the
// plugin in dist/ts_plugin/ and the extension puts it in place on activation: a check of one small file,
// a copy only the first time a version runs (after which the TypeScript server restarts to load it).
import * as vscode from 'vscode';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

export const TS_PLUGIN_NAME = 'tapescope-ts-plugin';

/** Copies dist/ts_plugin/ to node_modules/tapescope-ts-plugin/ unless it is there already; true when it copied. */
export function installTsPlugin(extensionPath: string): boolean {
  const shipped = path.join(extensionPath, 'dist', 'ts_plugin');
  const installed = path.join(extensionPath, 'node_modules', TS_PLUGIN_NAME);
  if (!existsSync(shipped)) return false;
  const current = (dir: string) => {
    const file = path.join(dir, 'index.js');
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  };
  if (current(installed) === current(shipped)) return false;
  mkdirSync(installed, { recursive: true });
  for (const name of readdirSync(shipped)) copyFileSync(path.join(shipped, name), path.join(installed, name));
  return true;
}

/** Puts the plugin in place; when it was missing, restarts the TypeScript server so open projects load it. */
export function provideTypingsToTypeScript(extensionPath: string): void {
  let copied: boolean;
  try {
    copied = installTsPlugin(extensionPath);
  } catch (err) {
    // A read-only extension folder: the editor lacks Tapescope's types (Add Typings to Workspace gives them).
    console.warn(`tapescope: could not install the TypeScript plugin: ${(err as Error).message}`);
    return;
  }
  if (copied) void vscode.commands.executeCommand('typescript.restartTsServer').then(undefined, () => undefined);
}
