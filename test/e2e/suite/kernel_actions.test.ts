// The kernel's status item, clicked as a user clicks it: a pick of actions, and "Restart Kernel…" asks first in a
// modal dialog; Cancel keeps the kernel and its variables.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import { clickInWorkbench, eventually, modalDialogsRequested, screenshot, workbenchElements } from './driver';
import { test } from './runner';

const CELLS = `// %% answer
const answer = 6 * 7;
answer

// %% read it back
answer
`;

const STATUS_ITEM = 'footer .statusbar-item:has-text("Tapescope:") a';
const PICK_ROW = '.quick-input-widget .monaco-list-row';

interface RunResultLike { outcome: string; value?: string; error?: { message: string } }

/** Clicks the status item, checks the actions it offers, then picks "Restart Kernel…". */
async function pickRestart(): Promise<void> {
  await clickInWorkbench(STATUS_ITEM);
  const rows = await eventually('the kernel actions pick', async () => {
    const found = (await workbenchElements(PICK_ROW)).texts;
    return found.some((t) => t.includes('Restart Kernel')) ? found : undefined;
  }, 10_000);
  assert.ok(rows.some((t) => t.includes('Interrupt')) && rows.some((t) => t.includes('Show Output')), `actions offered: ${JSON.stringify(rows)}`);
  await screenshot('kernel-actions-from-status-item');
  await clickInWorkbench(`${PICK_ROW}:has-text("Restart Kernel")`);
}

test('the status item offers Interrupt, Restart Kernel… and Show Output; Restart Kernel… asks in a modal dialog, and its Cancel keeps the kernel and its variables', async () => {
  const api = await vscode.extensions.getExtension<TapescopeTestApi>('tapescope.tapescope')!.activate();
  const folder = mkdtempSync('/tmp/tsr-actions-');
  const file = path.join(folder, 'cells.ts');
  writeFileSync(file, CELLS);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  const first = (await vscode.commands.executeCommand('tapescope.runCell', uri, 1)) as RunResultLike;
  assert.equal(first.value, '42');
  const kernel = api.kernelFor(uri)!;
  const pid = kernel.processId;
  await eventually('the status item following this kernel', () => (/Tapescope: idle/.test(api.statusText()) ? true : undefined), 10_000);

  // The workbench under the smoke-test driver answers a modal dialog with Cancel instead of showing it: the
  // confirmation is seen as that request; choosing Restart Kernel in it is what tapescope.restartKernel does.
  const dialogsBefore = await modalDialogsRequested();
  await pickRestart();
  await eventually('the restart confirmation requested as a modal dialog', async () => ((await modalDialogsRequested()) === dialogsBefore + 1 ? true : undefined), 10_000);
  await new Promise((r) => setTimeout(r, 500));
  // The refusal leaves an error notification ("DialogService: refused to show dialog") that would sit above later
  // tests' notifications.
  await vscode.commands.executeCommand('notifications.clearAll');
  assert.equal(kernel.processId, pid, 'Cancel restarted nothing');
  const kept = (await vscode.commands.executeCommand('tapescope.runCell', uri, 5)) as RunResultLike;
  assert.equal(kept.value, '42', 'the variable survived the cancelled restart');
  assert.equal(kernel.processId, pid);
  await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
});
