// The end-to-end suite: runs inside a real VS Code (the extension host of code-server, or desktop VS Code),
// loaded by the test runner through run(). It does what a user does, through the commands, and checks what
// the user would see: the output, the diagnostics, the inspector's drawing.
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { TapescopeTestApi } from '../../../src/extension';
import type { CellRunRecord } from '../../../src/editor/run_presenter';
import { clickInWebview, clickInWorkbench, eventually, screenshot, webviewElements, workbenchElements } from './driver';
import { runRegisteredTests, test } from './runner';
// Registered first: the workbench as `npm start` opens it; then types in the editor for a folder outside the
// repository (the TypeScript server plugin).
import './first_minutes.test';
import './typings.test';
import './chain_rule.test';
import './inspector_workbench.test';
import './kernel_actions.test';
import { registerKernelFaultTests } from './kernel_faults.test';

const EXTENSION_ID = 'tapescope.tapescope';
const repoRoot = path.resolve(__dirname, '..', '..');
const fixture = (name: string) => vscode.Uri.file(path.join(repoRoot, 'test', 'e2e', 'fixtures', name));
const example = (name: string) => vscode.Uri.file(path.join(repoRoot, 'examples', name));
const screenshotsForDocs = path.join(repoRoot, 'docs', 'images');

const testingVsix = process.env.TAPESCOPE_E2E_MODE === 'vsix';
let api: TapescopeTestApi;
const runs: CellRunRecord[] = [];

/** Opens a file in an editor with the cursor on a 1-based line, as a user clicking there would. */
async function openAt(uri: vscode.Uri, line: number): Promise<vscode.TextEditor> {
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  const position = new vscode.Position(line - 1, 0);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  return editor;
}

/** 1-based line of the first line of the file containing `text`. */
function lineOf(document: vscode.TextDocument, text: string): number {
  const index = document.getText().split('\n').findIndex((l) => l.includes(text));
  assert.ok(index >= 0, `"${text}" is not in ${document.uri.fsPath}`);
  return index + 1;
}

interface RunResultLike { outcome: string; value?: string; error?: { message: string } }

test('the extension activates and its commands are registered', async () => {
  const extension = vscode.extensions.getExtension<TapescopeTestApi>(EXTENSION_ID);
  assert.ok(extension, `extension ${EXTENSION_ID} is not installed`);
  api = await extension.activate();
  // The chat side bar takes a third of the screenshots; a user working with Tapescope would close it.
  await vscode.commands.executeCommand('workbench.action.closeAuxiliaryBar');
  api.onDidRunCell((record) => runs.push(record));
  const commands = await vscode.commands.getCommands(true);
  for (const id of ['tapescope.runCell', 'tapescope.runCellAndAdvance', 'tapescope.runSelection', 'tapescope.runAllCells',
    'tapescope.interrupt', 'tapescope.restartKernel', 'tapescope.openInspector']) {
    assert.ok(commands.includes(id), `command ${id} is not registered`);
  }
  // In the .vsix run the extension must come from the installed package, not from this repository.
  const fromRepo = path.resolve(extension.extensionPath) === repoRoot;
  assert.equal(fromRepo, !testingVsix, `extension loaded from ${extension.extensionPath}`);
}, { alsoForVsix: true });

test('running a cell shows its value in the output', async () => {
  const editor = await openAt(fixture('first_steps.js'), 6);
  const result = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(result.outcome, 'ok');
  assert.equal(result.value, '42');
  const record = runs.at(-1)!;
  assert.equal(record.title, 'Arithmetic');
  assert.match(api.lastOutputText(), /42/);
  assert.equal(editor.document.uri.fsPath, fixture('first_steps.js').fsPath);
}, { alsoForVsix: true });

test('cells compile with the package\'s own esbuild.wasm: no native esbuild loaded, none reachable from the installed extension', async () => {
  const extension = vscode.extensions.getExtension<TapescopeTestApi>(EXTENSION_ID)!;
  const result = (await vscode.commands.executeCommand('tapescope.runCell', fixture('first_steps.js'), 5)) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
  assert.equal(result.value, '42');
  const dist = path.join(extension.extensionPath, 'dist');
  assert.ok(existsSync(path.join(dist, 'esbuild.wasm')) && existsSync(path.join(dist, 'transpiler.js')), 'the compiler is not in the extension');
  assert.ok(!existsSync(path.join(dist, 'esbuild')), 'a native esbuild binary is in the extension');
  const nativeEsbuild = Object.keys(require.cache).filter((m) => /[\\/]node_modules[\\/](esbuild|@esbuild)[\\/]/.test(m));
  assert.deepEqual(nativeEsbuild, [], 'the extension host loaded esbuild from a node_modules');
  if (testingVsix) {
    for (const name of ['esbuild', 'esbuild-wasm']) {
      assert.throws(() => require.resolve(name, { paths: [extension.extensionPath] }), `${name} is reachable from ${extension.extensionPath}`);
    }
  }
}, { alsoForVsix: true });

test('printed output of a gradient cell reaches the output, with the value TensorFlow gives (d(x²)/dx at 3 = 6)', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  await openAt(fixture('first_steps.js'), lineOf(document, 'const tape = new tf.GradientTape()'));
  const result = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
  assert.match(runs.at(-1)!.output, /dy\/dx = 6\b/);
});

test('an error in a cell becomes a diagnostic on the line that caused it', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  const badLine = lineOf(document, 'tf.matmul(shapes');
  await openAt(fixture('first_steps.js'), badLine);
  const result = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(result.outcome, 'error');
  assert.match(result.error!.message, /matmul/i);
  assert.match(result.error!.message, /\[2,\s*3\]/);
  // exactly one diagnostic of Tapescope's own, carrying the run's error, on the line that threw it
  const diagnostics = await eventually('a Tapescope diagnostic', () => {
    const found = vscode.languages.getDiagnostics(document.uri).filter((d) => d.source === 'tapescope');
    return found.length ? found : undefined;
  });
  assert.equal(diagnostics.length, 1, diagnostics.map((d) => d.message).join('\n'));
  assert.ok(diagnostics[0].message.includes(result.error!.message), `diagnostic "${diagnostics[0].message}" does not carry the error "${result.error!.message}"`);
  assert.equal(diagnostics[0].range.start.line + 1, badLine);
  assert.equal(diagnostics[0].severity, vscode.DiagnosticSeverity.Error);
});

test('the inspector opens and draws the tape of the gradient cell', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  await vscode.commands.executeCommand('tapescope.openInspector');
  await openAt(fixture('first_steps.js'), lineOf(document, 'const tape = new tf.GradientTape()'));
  const tapes = new Promise<number>((resolve) => {
    const subscription = api.onDidRecordTapes((t) => { subscription.dispose(); resolve(t.tapes.length); });
  });
  await vscode.commands.executeCommand('tapescope.runCell');
  assert.ok((await tapes) >= 1, 'the run recorded no tape');
  // The graph is SVG drawn by d3 in the webview: its nodes carry the op names of the cell (x * x → Mul).
  const drawn = await eventually('the tape drawn in the inspector', async () => {
    const nodes = await webviewElements('svg g.node, svg .node');
    return nodes.count > 0 && nodes.texts.some((t) => /mul/i.test(t)) ? nodes : undefined;
  });
  // y = x·x records one op on one variable: the graph is exactly the variable x and its Mul, each titled by the
  // name the cell gave it (the Mul's output is bound to `y`)
  const titles = (await webviewElements('svg g.node text.node-title')).texts;
  assert.deepEqual([...titles].sort(), ['x', 'y'], `drawn ${drawn.count} nodes`);
  assert.equal(drawn.texts.filter((t) => /Mul/.test(t)).length, 1, `one Mul node: ${JSON.stringify(drawn.texts)}`);
  await screenshot('inspector-tape');
});

test('a training cell sends its loss points to the inspector\'s training chart', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  await openAt(fixture('first_steps.js'), lineOf(document, "tf.summary.scalar('loss'"));
  const result = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
  // Gradient descent on mean((x·w − y)²) with y = 2x converges to w = 2.
  assert.ok(Math.abs(Number(result.value) - 2) < 1e-3, `w should reach 2, got ${result.value}`);
  // The run's row in the chart's run table counts the points that arrived: one per step.
  await eventually('50 loss points in the training chart', async () => {
    const cells = await webviewElements('.run-points');
    return cells.texts.includes('50') ? cells : undefined;
  });
  const cards = await webviewElements('figure.card');
  assert.ok(cards.texts.some((t) => t.includes('loss')), `no chart card for 'loss': ${JSON.stringify(cards.texts)}`);
  await screenshot('inspector-training');
});

test('interrupting a long loop stops it and keeps the state it reached', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  await openAt(fixture('first_steps.js'), lineOf(document, 'let counter = 0'));
  const running = vscode.commands.executeCommand('tapescope.runCell') as Thenable<RunResultLike>;
  // Let the loop run for a while before the user presses interrupt.
  await eventually('the loop cell running', () => (api.kernelFor(document.uri)?.state === 'busy' ? true : undefined));
  await new Promise((r) => setTimeout(r, 1000));
  await vscode.commands.executeCommand('tapescope.interrupt');
  const result = await running;
  assert.equal(result.outcome, 'interrupted');
  // The kernel lives on: the variable the loop wrote still holds how far it got. Select `counter` and run it.
  const line = lineOf(document, 'counter = i;') - 1;
  const editor = await openAt(fixture('first_steps.js'), line + 1);
  const start = editor.document.lineAt(line).text.indexOf('counter');
  editor.selection = new vscode.Selection(new vscode.Position(line, start), new vscode.Position(line, start + 'counter'.length));
  const probe = (await vscode.commands.executeCommand('tapescope.runSelection')) as RunResultLike;
  assert.equal(probe.outcome, 'ok', probe.error?.message);
  assert.ok(Number(probe.value) > 1000, `counter should have advanced, got ${probe.value}`);
});

test('restarting the kernel forgets the variables', async () => {
  await vscode.commands.executeCommand('tapescope.restartKernel');
  const document = await vscode.workspace.openTextDocument(fixture('first_steps.js'));
  // `answer` alone on its line, below `const answer = 6 * 7`.
  const line = lineOf(document, 'const answer') ;
  const editor = await openAt(fixture('first_steps.js'), line + 1);
  editor.selection = new vscode.Selection(new vscode.Position(line, 0), new vscode.Position(line, 'answer'.length));
  const result = (await vscode.commands.executeCommand('tapescope.runSelection')) as RunResultLike;
  assert.equal(result.outcome, 'error');
  assert.match(result.error!.message, /answer is not defined/);
});

test('the first example prints the element-wise product TensorFlow prints', async () => {
  const document = await vscode.workspace.openTextDocument(example('000_gradient_tape_basics.ts'));
  await openAt(document.uri, lineOf(document, 'a.mul(b)'));
  const result = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(result.outcome, 'ok', result.error?.message);
  assert.match(result.value ?? '', /\[0\.5,? 0\.5,? 0\.5,? 0\.5\]/);
});

test('Fashion-MNIST example: loss points stream into the chart, Interrupt keeps the weights learned so far', async () => {
  const document = await vscode.workspace.openTextDocument(example('002_gradient_tape_and_mnist.ts'));
  await openAt(document.uri, lineOf(document, 'const dataset = tf.data.readDataSets'));
  const loaded = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(loaded.outcome, 'ok', loaded.error?.message);

  await openAt(document.uri, lineOf(document, 'const totalSteps = 2000'));
  const training = vscode.commands.executeCommand('tapescope.runCell') as Thenable<RunResultLike>;
  // The fixture's fit logged exactly 50 points; more than 60 in one run can only be this loop, still going.
  const streamed = await eventually('training loss points arriving while the loop runs', async () => {
    const counts = (await webviewElements('.run-points')).texts.map(Number);
    return counts.some((n) => n > 60) ? counts : undefined;
  }, 180_000);
  assert.ok(Math.max(...streamed) < 2000, 'the loop finished before the interrupt: the test proves nothing');
  // The Gradients view fills live from every optimizer.applyGradients: its step count grows while the loop runs.
  await clickInWebview('#tab-gradients');
  const stepsShown = async (): Promise<number | undefined> => {
    const summary = (await webviewElements('.grad-summary')).texts.find((t) => /variables × \d+ steps/.test(t));
    return summary === undefined ? undefined : Number(/× (\d+) steps/.exec(summary)![1]);
  };
  const firstCount = await eventually('the Gradients view showing optimizer steps', stepsShown, 60_000);
  const laterCount = await eventually('more optimizer steps in the Gradients view', async () => {
    const n = await stepsShown();
    return n !== undefined && n > firstCount ? n : undefined;
  }, 60_000);
  assert.ok(laterCount < 2000, 'still training while the view grew');
  const rows = (await webviewElements('.row-label')).texts;
  assert.equal(rows.length, 4, `a row per variable: ${rows.join(', ')}`);
  assert.ok(rows.every((r) => /^dense(_\d+)?\/(kernel|bias)$/.test(r)), rows.join(', '));
  assert.match((await webviewElements('select.grad-run option')).texts.join('\n'), /^Train: 2,000 steps of 128 images.* · \d\d:\d\d:\d\d$/m, 'the run is named after its cell and start time');
  await vscode.commands.executeCommand('tapescope.interrupt');
  const stopped = await training;
  assert.equal(stopped.outcome, 'interrupted');
  // The end of the run brings the Tapes view forward (its tapes arrive); look at the gradients again.
  await clickInWebview('#tab-gradients');
  await new Promise((r) => setTimeout(r, 500));
  await screenshot('mnist-gradients', process.env.TAPESCOPE_E2E_DOCS_SCREENSHOTS ? path.join(screenshotsForDocs, 'workbench-gradients.png') : undefined);
  await clickInWebview('#tab-chart');
  await new Promise((r) => setTimeout(r, 1000));
  await screenshot('mnist-training', process.env.TAPESCOPE_E2E_DOCS_SCREENSHOTS ? path.join(screenshotsForDocs, 'workbench.png') : undefined);
  assert.match(runs.at(-1)!.output, /steps: 0, loss: \d/);

  await openAt(document.uri, lineOf(document, 'const predictions = model(dataset.test.images)'));
  const accuracy = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  assert.equal(accuracy.outcome, 'ok', accuracy.error?.message);
  // Chance is 10%; tens of Adam steps already put an MLP well above it, so the weights survived the interrupt.
  const value = Number(/(\d+\.\d+)/.exec(accuracy.value ?? '')?.[1]);
  assert.ok(value > 0.5, `test accuracy after the interrupted training: ${accuracy.value}`);
});

test('model.fit shows its progress as a notification (epoch, batch, time left) whose Cancel interrupts the fit', async () => {
  const document = await vscode.workspace.openTextDocument(fixture('long_fit.js'));
  await openAt(document.uri, lineOf(document, 'const fitHistory = fitModel.fit'));
  const fitting = vscode.commands.executeCommand('tapescope.runCell') as Thenable<RunResultLike>;
  let progressEvents = 0;
  const testApi = api ?? await vscode.extensions.getExtension<TapescopeTestApi>(EXTENSION_ID)!.activate();
  const kernel = await eventually('the kernel of the fixtures folder', () => testApi.kernelFor(document.uri), 30_000);
  kernel.onTelemetry.event((e) => { if (e.progress) progressEvents++; });
  // Under an extension test run VS Code keeps notifications out of toasts; the notification centre lists them.
  const item = '.notifications-center .notification-list-item';
  let seen: string[] = [];
  const first = await eventually('the fit progress notification', async () => {
    await vscode.commands.executeCommand('notifications.showList');
    seen = (await workbenchElements(item)).texts;
    const texts = seen.filter((t) => /Epoch \d+\/500 · batch \d+\/128/.test(t));
    return texts.length ? texts[0] : undefined;
  }, 240_000).catch(async (error: Error) => {
    await screenshot('fit-progress-missing');
    throw new Error(`${error.message}; notifications seen: ${JSON.stringify(seen)}; progress events at the host: ${progressEvents}`);
  });
  assert.match(first, /(sequential|model)(_\d+)?\.fit/, first);
  assert.match(first, /\d+:\d\d left/, first);
  await screenshot('fit-progress');
  await clickInWorkbench(`${item} .monaco-button:has-text("Cancel")`);
  const stopped = await fitting;
  assert.equal(stopped.outcome, 'interrupted');
  await eventually('the notification closes', async () => ((await workbenchElements(item)).texts.some((t) => /Epoch \d+\/500/.test(t)) ? undefined : true), 120_000);
  await vscode.commands.executeCommand('notifications.hideList');
  await openAt(document.uri, lineOf(document, 'fitModel.compiled.optimizer.iterations'));
  const iterations = (await vscode.commands.executeCommand('tapescope.runCell')) as RunResultLike;
  const steps = Number(iterations.value);
  assert.ok(steps > 0 && steps < 500 * 128, `the weights kept ${iterations.value} optimizer steps`);
});

registerKernelFaultTests();

export async function run(): Promise<void> {
  await runRegisteredTests(testingVsix);
}
