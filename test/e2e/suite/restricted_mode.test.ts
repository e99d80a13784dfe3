// Restricted Mode (run_e2e.mjs --restricted: workspace trust on, the examples folder not trusted): a cell file is
// still marked as cells, but no CodeLens offers to run them, and the run commands run nothing and say why.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import { eventually, screenshot, workbenchElements } from './driver';
import { test } from './runner';

const repoRoot = path.resolve(__dirname, '..', '..');

test('in Restricted Mode a cell file keeps its cell markers but has no Run Cell lens, and Run Cell runs nothing and says why', async () => {
  const api = await vscode.extensions.getExtension<TapescopeTestApi>('tapescope.tapescope')!.activate();
  assert.equal(vscode.workspace.isTrusted, false, 'the workspace is in Restricted Mode');
  const uri = vscode.Uri.file(path.join(repoRoot, 'examples', '000_gradient_tape_basics.ts'));
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  await eventually('the cells marked', () => (api.decoratedMarkers(uri) >= 5 ? true : undefined), 15_000);
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri);
  const ours = lenses.filter((l) => l.command?.command.startsWith('tapescope.'));
  assert.deepEqual(ours.map((l) => l.command!.title), [], 'no Tapescope lens in Restricted Mode');
  // What the editor draws, after the time a lens takes to appear in a trusted workspace (well under a second).
  await new Promise((r) => setTimeout(r, 2000));
  const drawn = (await workbenchElements('.monaco-editor .codelens-decoration')).texts;
  assert.ok(!drawn.some((t) => /Run Cell|Run Above|Inspect/.test(t)), `lenses drawn: ${JSON.stringify(drawn)}`);

  const result = await vscode.commands.executeCommand('tapescope.runCell', uri, 8);
  assert.equal(result, undefined, 'Run Cell ran nothing');
  assert.equal(api.isKernelLoaded(), false, 'no kernel was started');
  const said = await eventually('the reason, as a notification', async () => {
    await vscode.commands.executeCommand('notifications.showList');
    const texts = (await workbenchElements('.notifications-center .notification-list-item')).texts;
    return texts.find((t) => t.includes('only runs them in a trusted workspace'));
  }, 15_000);
  assert.match(said, /Manage Workspace Trust/);
  await screenshot('restricted-mode');
}, { restrictedMode: true });
