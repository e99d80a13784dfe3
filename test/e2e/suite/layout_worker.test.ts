// The inspector's layout worker in a real webview: the page fetches dist/layout_worker.js from the extension and
// starts it from a blob: URL under the webview's Content-Security-Policy. A 2,000-op tape nothing folds is laid
// out there (the graph says where its layout ran), and the page reports no CSP violation or worker failure.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import { eventually, screenshot, webviewElements } from './driver';
import { test } from './runner';

const repoRoot = path.resolve(__dirname, '..', '..');

interface RunResultLike { outcome: string; error?: { message: string } }

test('a 2,000-op tape is laid out by the layout worker inside the real webview (fetched script, blob: worker, CSP)', async () => {
  const uri = vscode.Uri.file(path.join(repoRoot, 'test', 'e2e', 'fixtures', 'irregular_tape.js'));
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith('const irregularY'));
  editor.selection = new vscode.Selection(line, 0, line, 0);
  await vscode.commands.executeCommand('tapescope.openInspector');
  const result = (await vscode.commands.executeCommand('tapescope.runCell', uri, line)) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
  const drawn = await eventually('the big graph drawn', async () => {
    const panes = await webviewElements('.graph-pane[data-layout="drawn"][data-layout-site]');
    const worker = await webviewElements('.graph-pane[data-layout-site="worker"]');
    return panes.count > 0 && (await webviewElements('g.node')).count > 1_000 ? { worker: worker.count } : undefined;
  }, 120_000);
  await screenshot('layout-worker');
  assert.equal(drawn.worker, 1, 'the layout ran in the worker, not on the page');
});
