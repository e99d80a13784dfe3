// The inspector where users meet it: beside the editor in a 1600×1000 window with the bottom panel open (about
// 620×570 px). Runs the seed examples through the commands, then, in that real geometry, checks that no two
// inspector panes overlap, the graph has at least half of the webview, the target is inside the graph's viewport
// and readable after Fit, and clicking the target shows its value and gradient — the numbers derived by hand.
// Also shows the workbench at a small and a large window size (screenshots in test-results/).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import { boxesOf, clickInWebview, eventually, screenshot, setWindowSize, webviewElements, type Box } from './driver';
import { test } from './runner';
import { boxesOverlap, isInside } from '../../shared/box_geometry';
import { INSPECTOR_PANES } from '../../shared/inspector_panes';

const EXTENSION_ID = 'tapescope.tapescope';
const repoRoot = path.resolve(__dirname, '..', '..');
const example = (name: string) => vscode.Uri.file(path.join(repoRoot, 'examples', name));
const docsImage = (name: string) => (process.env.TAPESCOPE_E2E_DOCS_SCREENSHOTS ? path.join(repoRoot, 'docs', 'images', name) : undefined);
const WINDOW = { width: 1600, height: 1000 };


interface RunResultLike { outcome: string; error?: { message: string } }

const node = (title: string) => `g.node:has(> text.node-title:text-is("${title}"))`;

/** In example `file`, on a fresh kernel, runs the cells above the one holding the line `startsWith`, then that cell. */
async function runExampleCell(file: string, startsWith: string): Promise<void> {
  const uri = example(file);
  const editor = await vscode.window.showTextDocument(uri, { viewColumn: vscode.ViewColumn.One, preview: false });
  await vscode.commands.executeCommand('tapescope.restartKernel');
  const line = editor.document.getText().split('\n').findIndex((l) => l.startsWith(startsWith));
  assert.ok(line >= 0, `"${startsWith}" is not in ${file}`);
  editor.selection = new vscode.Selection(line, 0, line, 0);
  editor.revealRange(new vscode.Range(line, 0, line, 0), vscode.TextEditorRevealType.InCenter);
  const above = (await vscode.commands.executeCommand('tapescope.runCellsAbove', uri, line)) as RunResultLike[];
  for (const r of above) assert.equal(r.outcome, 'ok', r.error?.message);
  const result = (await vscode.commands.executeCommand('tapescope.runCell', uri, line)) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
}

/** A 1600×1000 window showing only the example and the inspector beside it, the bottom panel open. */
async function workbenchAsUsersHaveIt(file: string): Promise<void> {
  await setWindowSize(WINDOW.width, WINDOW.height);
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  await vscode.window.showTextDocument(example(file), { viewColumn: vscode.ViewColumn.One, preview: false });
  await vscode.commands.executeCommand('tapescope.openInspector');
  if ((await boxesOf('workbench', '.part.panel')).length === 0) await vscode.commands.executeCommand('workbench.action.togglePanel');
  await eventually('the bottom panel open', async () => ((await boxesOf('workbench', '.part.panel')).length ? true : undefined), 10_000);
}

/** The inspector's webview frame, checked to sit beside the editor and above the bottom panel. */
async function inspectorFrame(): Promise<Box> {
  const frames = await eventually('the inspector webview', async () => {
    const found = await boxesOf('workbench', 'iframe.webview');
    return found.length === 1 ? found : undefined;
  }, 15_000);
  const frame = frames[0];
  const [editorGroup] = await boxesOf('workbench', '.editor-group-container');
  const [panel] = await boxesOf('workbench', '.part.panel');
  assert.ok(frame.x >= editorGroup.x + editorGroup.width - 1, `the inspector ${JSON.stringify(frame)} is beside the editor ${JSON.stringify(editorGroup)}`);
  assert.ok(panel && frame.y + frame.height <= panel.y + 1, `the bottom panel ${JSON.stringify(panel)} is open below the inspector ${JSON.stringify(frame)}`);
  return frame;
}

/** No two panes overlap, all inside the frame, and the graph has at least half of it. */
async function checkPanes(frame: Box, where: string): Promise<Box> {
  const panes: Array<Box & { name: string }> = [];
  for (const [name, selector] of INSPECTOR_PANES) for (const box of await boxesOf('webview', selector)) panes.push({ ...box, name });
  for (const name of ['header', 'toolbar', 'graph', 'details']) assert.ok(panes.some((p) => p.name === name), `${name} is shown ${where}`);
  for (const [i, a] of panes.entries()) {
    assert.ok(isInside(a, frame), `${a.name} ${JSON.stringify(a)} is inside the inspector ${JSON.stringify(frame)} ${where}`);
    for (const b of panes.slice(i + 1)) assert.ok(!boxesOverlap(a, b), `${a.name} and ${b.name} overlap ${where}: ${JSON.stringify([a, b])}`);
  }
  const graph = panes.find((p) => p.name === 'graph')!;
  assert.ok(graph.width * graph.height >= 0.5 * frame.width * frame.height,
    `the graph ${Math.round(graph.width)}×${Math.round(graph.height)} has at least half of the ${Math.round(frame.width)}×${Math.round(frame.height)} inspector ${where}`);
  return graph;
}

/**
 * After Fit, the targets and sources of gradient() (in a view too small for both at a readable zoom, the
 * targets) are inside the graph's viewport and at least 24 px tall.
 */
async function checkFit(graph: Box, where: string, focus: 'targets and sources' | 'targets' = 'targets and sources'): Promise<void> {
  await clickInWebview('button.fit');
  await new Promise((r) => setTimeout(r, 600));
  const boxes = await boxesOf('webview', focus === 'targets' ? 'g.node.target rect.node-box' : 'g.node.target rect.node-box, g.node.source rect.node-box');
  assert.ok(boxes.length >= (focus === 'targets' ? 1 : 2), `the ${focus} are drawn ${where}: ${boxes.length}`);
  for (const box of boxes) {
    assert.ok(box.height >= 24, `a target/source node is ${box.height.toFixed(1)} px tall after Fit ${where}`);
    assert.ok(isInside(box, graph), `a target/source node ${JSON.stringify(box)} is inside the graph's viewport ${JSON.stringify(graph)} ${where}`);
  }
}

/** Clicks the node titled `title` and reads what the details pane shows: its title, value and gradient. */
async function clickAndRead(title: string): Promise<{ heading: string; value: string; gradient: string }> {
  await clickInWebview(node(title));
  await eventually(`${title} selected`, async () => ((await webviewElements(`${node(title)}.selected`)).count === 1 ? true : undefined), 5_000);
  const text = async (selector: string) => (await webviewElements(selector)).texts.join(' | ');
  return {
    heading: await text('.node-details .details-title'),
    value: await text('.node-details .details-value .scalar-value'),
    gradient: await text('.node-details .details-gradient .scalar-value'),
  };
}

test("seed 000's chain rule beside the editor: panes apart, y2 readable after Fit, a click reads y2 = 7 and dy2/dw1 = 2", async () => {
  await vscode.extensions.getExtension<TapescopeTestApi>(EXTENSION_ID)!.activate();
  await workbenchAsUsersHaveIt('000_gradient_tape_basics.ts');
  await runExampleCell('000_gradient_tape_basics.ts', 'let y1: Tensor = tf.constant(0);');
  const frame = await inspectorFrame();
  console.log(`    (the inspector is ${Math.round(frame.width)}×${Math.round(frame.height)} px beside the editor)`);
  await eventually('the chain rule drawn with the names of the cell', async () =>
    ((await webviewElements(node('w1'))).count === 1 && (await webviewElements(node('y2'))).count === 1 ? true : undefined), 15_000);
  const graph = await checkPanes(frame, 'at 1600×1000 with the panel open');
  await checkFit(graph, 'at 1600×1000 with the panel open');

  // x = 1, w1 = 2, b1 = 1, w2 = 2, b2 = 1: y1 = x·w1 + b1 = 3, y2 = y1·w2 + b2 = 7; the tape's last gradient() is
  // d y2 / d [w1]: the seed 1 at y2, dy2/dy1 = w2 = 2, dy2/dw1 = dy2/dy1 · dy1/dw1 = 2 · x = 2, dy2/db1 = 2.
  const y2 = await clickAndRead('y2');
  assert.equal(y2.heading, 'Add → y2');
  assert.equal(y2.value, '7');
  assert.equal(y2.gradient, '1');
  const y1 = await clickAndRead('y1');
  assert.deepEqual([y1.value, y1.gradient], ['3', '2'], 'y1 = 3, dy2/dy1 = w2 = 2');
  const w1 = await clickAndRead('w1');
  assert.deepEqual([w1.value, w1.gradient], ['2', '2'], 'w1 = 2, dy2/dw1 = 2');
  // The same numbers on the node faces, micrograd-style, for every node at once.
  const faces = async (title: string) => (await webviewElements(`${node(title)} text.node-face`)).texts;
  assert.deepEqual(await faces('y2'), ['= 7', '∇ 1']);
  assert.deepEqual(await faces('y1'), ['= 3', '∇ 2']);
  assert.deepEqual(await faces('w1'), ['= 2', '∇ 2']);
  await screenshot('inspector-chain-rule-1600x1000', docsImage('inspector-chain-rule.png'));

  // A small and a large window: the workbench lays the inspector out anew and its panes still keep apart; in the
  // small one (an inspector of about 320×260 px) the graph's viewport holds the target, not the whole path to w1.
  for (const [width, height, focus] of [[1000, 700, 'targets'], [2560, 1440, 'targets and sources']] as const) {
    await setWindowSize(width, height);
    await new Promise((r) => setTimeout(r, 1500));
    const where = `in a ${width}×${height} window`;
    const resized = await inspectorFrame();
    const resizedGraph = await checkPanes(resized, where);
    await checkFit(resizedGraph, where, focus);
    await screenshot(`inspector-chain-rule-${width}x${height}`);
  }
  await setWindowSize(WINDOW.width, WINDOW.height);
});

test("seed 004's 100-step descent loop beside the editor: the newest of 100 tapes, loss readable after Fit, a click reads loss = -4/3 and dloss/dv ≈ 0", async () => {
  await vscode.extensions.getExtension<TapescopeTestApi>(EXTENSION_ID)!.activate();
  await workbenchAsUsersHaveIt('004_gradient_tape_and_optimizers.ts');
  await runExampleCell('004_gradient_tape_and_optimizers.ts', '// %% Gradient descent by hand');
  const frame = await inspectorFrame();
  await eventually('the last step\'s tape drawn', async () => ((await webviewElements(node('loss'))).count === 1 ? true : undefined), 15_000);
  // Narrow beside the editor: the tapes are a picker in the toolbar, the newest (the 100th, #99) chosen.
  const chosen = (await webviewElements('select.tape-picker option:checked')).texts;
  assert.equal(chosen.length, 1, `one picker: ${JSON.stringify(chosen)}`);
  assert.match(chosen[0], /^#99 /, `the newest tape is chosen: ${chosen[0]}`);
  assert.match((await webviewElements('select.tape-picker option[disabled]')).texts.join(' '), /^100 tapes recorded/, 'the picker counts the run\'s tapes');
  const graph = await checkPanes(frame, 'at 1600×1000 with the panel open');
  await checkFit(graph, 'at 1600×1000 with the panel open');

  // f(v) = 3v² + 2v − 1, v ← v − 0.1·f'(v) from 0: v_k = −(1 − 0.4^k)/3, so at step 99 v = −1/3 to float32
  // precision, f(v) = 3/9 − 2/3 − 1 = −4/3 and f'(v) = 6v + 2 = 0 (up to float32 rounding); the seed at loss is 1.
  const loss = await clickAndRead('loss');
  assert.match(loss.heading, /→ loss$/);
  assert.ok(Math.abs(Number(loss.value) + 4 / 3) < 1e-6, `loss = ${loss.value}, −4/3 expected`);
  assert.equal(loss.gradient, '1');
  const v = await clickAndRead('v');
  assert.ok(Math.abs(Number(v.value) + 1 / 3) < 1e-6, `v = ${v.value}, −1/3 expected`);
  assert.ok(Math.abs(Number(v.gradient)) < 1e-5, `dloss/dv = ${v.gradient}, 0 expected at the minimum`);
  await clickInWebview(node('loss'));
  await screenshot('inspector-descent-loop-1600x1000', docsImage('inspector-descent-loop.png'));
});
