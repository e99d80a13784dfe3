// A cell that kills V8 (`new Array(1e9).fill(0)`) inside a real VS Code: the kernel process dies and comes back;
// the extension host, the output channel's history, the open inspector and the editor go on.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import { eventually, screenshot, webviewElements } from './driver';
import { test } from './runner';

const CELLS = `// %% fresh
6 * 7

// %% crash
const a = new Array(1e9).fill(0);
`;

/** What the inspector draws: the tape's graph nodes or the training chart's cards (whichever tab is in front). */
const DRAWN = 'svg g.node, svg .node, figure.card';

interface RunResultLike { outcome: string; value?: string; message?: string }

const inspectorTabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs)
  .filter((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.includes('tapescope.inspector'));

/** Registered by the suite's index after the tests that open the inspector and fill the output. */
export function registerKernelFaultTests(): void {
  test('new Array(1e9).fill(0) restarts only the kernel: output history, inspector and a fresh cell survive', async () => {
    const api = vscode.extensions.getExtension<TapescopeTestApi>('tapescope.tapescope')!.exports;
    assert.equal(inspectorTabs().length, 1, 'the inspector is open before the crash');
    // Bring it to the front of its group (earlier tests opened editors over it) to see what it draws.
    await vscode.commands.executeCommand('tapescope.openInspector');
    await new Promise((r) => setTimeout(r, 1000));
    const drawnBefore = (await webviewElements(DRAWN)).count;
    assert.ok(drawnBefore > 0, 'the inspector shows a tape or a chart before the crash');
    const historyBefore = api.outputHistory();
    assert.match(historyBefore, /In \[\d+\]/, 'earlier runs are in the output channel');

    // Its own folder, so its own kernel, started with a 512 MB heap (the setting applies when a kernel starts).
    const folder = mkdtempSync('/tmp/tsr-crash-');
    const file = path.join(folder, 'crash.js');
    writeFileSync(file, CELLS);
    const settings = vscode.workspace.getConfiguration('tapescope.kernel');
    await settings.update('maxHeapMb', 512, vscode.ConfigurationTarget.Global);
    try {
      const uri = vscode.Uri.file(file);
      // In the editors' group, so the inspector beside it stays in view.
      await vscode.window.showTextDocument(uri, { preview: false, viewColumn: vscode.ViewColumn.One });
      const fresh = (await vscode.commands.executeCommand('tapescope.runCell', uri, 1)) as RunResultLike;
      assert.equal(fresh.value, '42');
      const hostPid = process.pid;

      const crashed = (await vscode.commands.executeCommand('tapescope.runCell', uri, 4)) as RunResultLike;
      assert.equal(crashed.outcome, 'restarted');
      assert.match(crashed.message ?? '', /^Kernel restarted: the kernel ran out of memory/);
      assert.equal(process.pid, hostPid, 'this is still the same extension host');

      const history = api.outputHistory();
      assert.ok(history.startsWith(historyBefore), 'the output channel kept its earlier history');
      assert.match(history.slice(historyBefore.length), /\[kernel\] Kernel restarted: the kernel ran out of memory/);
      const diagnostic = vscode.languages.getDiagnostics(uri).find((d) => d.source === 'tapescope');
      assert.equal(diagnostic?.range.start.line, 3, 'the crashed cell has a diagnostic on its first line');
      assert.match(diagnostic!.message, /Kernel restarted: the kernel ran out of memory/);
      assert.deepEqual(api.inlineResults(uri).find((r) => r.line === 1)?.text, '→ 42 (before restart)', 'the earlier result is marked stale');

      assert.equal(inspectorTabs().length, 1, 'the inspector is still open');
      const drawnAfter = await eventually('the tape still drawn in the inspector', async () => {
        const count = (await webviewElements(DRAWN)).count;
        return count > 0 ? count : undefined;
      }, 10_000);
      assert.equal(drawnAfter, drawnBefore, 'and draws what it drew before');

      const again = (await vscode.commands.executeCommand('tapescope.runCell', uri, 1)) as RunResultLike;
      assert.equal(again.outcome, 'ok');
      assert.equal(again.value, '42', 'a fresh kernel answers');
      await screenshot('kernel-restarted-after-crash');

      // What clicking the status item runs: a pick of actions, never an instant restart.
      const kernel = api.kernelFor(uri)!;
      const pid = kernel.processId;
      const picking = vscode.commands.executeCommand('tapescope.kernelActions');
      await new Promise((r) => setTimeout(r, 1500));
      await screenshot('kernel-actions-pick');
      await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
      await picking;
      assert.equal(kernel.processId, pid, 'dismissing the pick restarted nothing');
      assert.equal(kernel.runsSinceStart, 1, 'one cell ran since the restart');
    } finally {
      await settings.update('maxHeapMb', undefined, vscode.ConfigurationTarget.Global);
    }
  });
}
