// Gradients in the editor, in the workbench: running seed 002's `y = 2x²` cell of examples/chain_rule_step_by_step.ts
// puts 12 inline on the gradient line, the hover over x reads value 3 and gradient 12, and its link selects x's
// node in the inspector.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import { eventually, screenshot } from './driver';
import { test } from './runner';

const repoRoot = path.resolve(__dirname, '..', '..');

test("seed 002's y = 2x² cell shows 12 inline on its gradient line and the hover over x reads value 3, gradient 12", async () => {
  const api = await vscode.extensions.getExtension<TapescopeTestApi>('tapescope.tapescope')!.activate();
  const uri = vscode.Uri.file(path.join(repoRoot, 'examples', 'chain_rule_step_by_step.ts'));
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  const lines = editor.document.getText().split('\n');
  const gradientLine = lines.findIndex((l) => l.startsWith('let dyDx = tape.gradient(y, x);'));
  editor.selection = new vscode.Selection(gradientLine, 0, gradientLine, 0);
  const result = await (vscode.commands.executeCommand('tapescope.runCell') as Thenable<{ outcome: string }>);
  assert.equal(result.outcome, 'ok');
  const inline = await eventually('the inline gradient', () => api.inlineGradients(uri).find((l) => l.line === gradientLine + 1));
  assert.equal(inline.text, '∂y/∂x = 12');
  const xAt = new vscode.Position(gradientLine, lines[gradientLine].lastIndexOf('x)'));
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, xAt);
  // MarkdownString.appendText keeps spaces as &nbsp; (they render as spaces)
  const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n').replace(/&nbsp;/g, ' ');
  assert.match(text, /value 3\b/, text);
  assert.match(text, /gradient 12\b/, text);
  await screenshot('chain-rule-editor-gradients');

  // the hover's link selects x's node in the inspector (the command URI a click runs, with its arguments)
  const link = text.match(/\[Select its node in the inspector\]\(command:tapescope\.revealNode\?([^)]+)\)/);
  assert.ok(link, `the hover links to the inspector: ${text}`);
  const args = JSON.parse(decodeURIComponent(link[1])) as [{ runId: number; tapeId: number; tensorId: number }];
  await vscode.commands.executeCommand('tapescope.revealNode', ...args);
  const revealed = await eventually('the inspector selecting x', () => api.lastRevealedNode());
  assert.equal(revealed.tensorId, args[0].tensorId);
  assert.ok(revealed.node, 'the inspector found and selected the node of x');
  await screenshot('chain-rule-hover-link-inspector');
});
