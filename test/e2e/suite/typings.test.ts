// Types in the editor for a user's own folder, outside this repository (no engine sources, no tsconfig of ours):
// VS Code's TypeScript server, with the extension's plugin, must know `tf`, `print` and the module "tapescope"
// in a cell file, and must still report a real type error (proof that the checker ran with our types).
import * as vscode from 'vscode';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eventually, screenshot } from './driver';
import { test } from './runner';

const EXTENSION_ID = 'tapescope.tapescope';

const CELLS = `// %% Gradients, written as a user would
import * as T from "tapescope";
import type { Tensor } from "tapescope";
const x = new tf.Variable(3.0);
const tape = new tf.GradientTape();
const y = tape.record(() => x.mul(x));
print("dy/dx =", tape.gradient(y, x));

// %% A layer, and the module's named exports
const dense = tf.keras.layers.Dense(4, { activation: "relu" });
const z: Tensor = T.matmul(T.ones([1, 3]), T.ones([3, 4]));
print(dense.apply(z));

// %% A typo
tf.nonexistent(x);
`;

/** The TypeScript errors and warnings of a document (source 'ts'; not the hints such as "declared but never read"). */
const tsDiagnostics = (uri: vscode.Uri) => vscode.languages.getDiagnostics(uri)
  .filter((d) => d.source === 'ts' && d.severity <= vscode.DiagnosticSeverity.Warning);
const describe = (d: vscode.Diagnostic) => `${d.range.start.line + 1}: ${d.message}`;

test('a cell file in a folder outside the repository: no type errors for tf, print or "tapescope", a typo still reported', async () => {
  const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
  await extension.activate();
  // Where the TypeScript server looks for the plugin; an installed .vsix has it only once activation put it there.
  assert.ok(existsSync(path.join(extension.extensionPath, 'node_modules', 'tapescope-ts-plugin', 'index.js')), 'the plugin is not installed');
  const folder = mkdtempSync(path.join(tmpdir(), 'user-project-'));
  const file = path.join(folder, 'train.ts');
  writeFileSync(file, CELLS);
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  const typoLine = CELLS.split('\n').findIndex((l) => l.includes('tf.nonexistent')) + 1;

  // Right after activation the TypeScript server may still be (re)starting with the plugin: wait until it has
  // checked this file with our types, i.e. the typo is reported and nothing else is.
  const diagnostics = await eventually('the TypeScript diagnostics of the cell file, with the typings', () => {
    const found = tsDiagnostics(uri);
    return found.some((d) => /nonexistent/.test(d.message)) && found.length === 1 ? found : undefined;
  }, 120_000).catch((err: Error) => {
    throw new Error(`${err.message}\nTypeScript reported: ${JSON.stringify(tsDiagnostics(uri).map(describe))}`);
  });
  assert.equal(diagnostics[0].range.start.line + 1, typoLine);
  assert.match(diagnostics[0].message, /Property 'nonexistent' does not exist/);

  // Hovering the global shows the engine's type, as a user pointing at `tf` would see it.
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, new vscode.Position(4, 22));
  const hoverText = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  assert.match(hoverText, /GradientTape/);
  await screenshot('typings-user-folder');
}, { alsoForVsix: true });

test('a JavaScript cell file in a project with its own tsconfig.json gets completions from the engine', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'user-js-project-'));
  mkdirSync(path.join(folder, 'src'));
  writeFileSync(path.join(folder, 'jsconfig.json'), JSON.stringify({ compilerOptions: { checkJs: true, module: 'nodenext' }, include: ['src'] }));
  const file = path.join(folder, 'src', 'cells.js');
  writeFileSync(file, '// %% A JavaScript cell\nconst w = new tf.Variable(2.0);\ntf.\nprint(w);\n');
  const uri = vscode.Uri.file(file);
  await vscode.window.showTextDocument(uri, { preview: false });
  const labels = await eventually('completions after `tf.` listing the engine\'s members', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(2, 3));
    const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    return names.includes('GradientTape') ? names : undefined;
  }, 120_000);
  for (const name of ['GradientTape', 'Variable', 'keras', 'reduceSum']) assert.ok(labels.includes(name), `no completion ${name}`);
  // checkJs is on: `tf.` alone is a syntax error, but no "Cannot find name 'tf'/'print'".
  const unknownNames = vscode.languages.getDiagnostics(uri).filter((d) => /Cannot find name/.test(d.message));
  assert.deepEqual(unknownNames.map(describe), []);
}, { alsoForVsix: true });

test('Tapescope: Add Typings to Workspace writes .tapescope/ and a tsconfig.json including it', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'user-tsc-project-'));
  writeFileSync(path.join(folder, 'cells.ts'), '// %% cell\nprint(tf.scalar(1));\n');
  const result = await vscode.commands.executeCommand<{ written: string[]; change: string; applied: boolean }>(
    'tapescope.addTypings', vscode.Uri.file(folder), { apply: true });
  assert.deepEqual(result.written.map((f) => path.relative(folder, f)).sort(), ['.tapescope/globals.d.ts', '.tapescope/tapescope.d.ts']);
  assert.equal(result.change, 'create');
  assert.ok(result.applied);
  const config = JSON.parse(readFileSync(path.join(folder, 'tsconfig.json'), 'utf8'));
  assert.ok(config.include.includes('.tapescope/*.d.ts'));
  // The written declarations are the ones the plugin serves.
  const shipped = vscode.extensions.getExtension(EXTENSION_ID)!.extensionPath;
  assert.equal(readFileSync(result.written.find((f) => f.endsWith('globals.d.ts'))!, 'utf8'),
    readFileSync(path.join(shipped, 'dist', 'types', 'globals.d.ts'), 'utf8'));
}, { alsoForVsix: true });

test('hovering tf.matmul in a cell file shows its summary and example; a tape\'s completions hold no internals', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'user-hover-project-'));
  const file = path.join(folder, 'hover.ts');
  const text = '// %% Hover\nconst y = tf.matmul([[1, 2]], [[3], [4]]);\nconst tape = new tf.GradientTape();\ntape.\n';
  writeFileSync(file, text);
  const uri = vscode.Uri.file(file);
  const editor = await vscode.window.showTextDocument(uri, { preview: false });
  const at = new vscode.Position(1, text.split('\n')[1].indexOf('matmul') + 2);
  const hover = await eventually('a hover on tf.matmul with its doc comment', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, at);
    const shown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    return /matrix product/.test(shown) ? shown : undefined;
  }, 120_000);
  assert.match(hover, /The matrix product a @ b \(tf\.linalg\.matmul, tf\.matmul\)/);
  assert.match(hover, /@example/);
  assert.match(hover, /tf\.matmul\(\[\[1, 2\], \[3, 4\]\], \[\[5, 6\], \[7, 8\]\]\) \/\/ → \[\[19, 22\], \[43, 50\]\]/);
  // As a user sees it: the hover widget over the editor.
  editor.selection = new vscode.Selection(at, at);
  await vscode.commands.executeCommand('editor.action.showHover');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await screenshot('typings-hover-matmul');

  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, new vscode.Position(3, 5));
  const names = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
  assert.ok(names.includes('gradient') && names.includes('explainGradient'), `tape completions: ${names.join(', ')}`);
  for (const internal of ['pausedDepth', 'watchedIds', 'nodes', 'childTapeIds', 'gradientCalls']) {
    assert.ok(!names.includes(internal), `completion offers the internal ${internal}`);
  }
}, { alsoForVsix: true });
