// The generated typings (dist/types/) checked by the real TypeScript compiler, and the plugin checked inside a
// real TypeScript server: a cell file outside this repository type-checks with `tf`, `print` and "tapescope",
// a wrong name is still an error, and files that are not cells never see a global `tf`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { tf as engineTf } from '../../../engine';
import { TsServer } from './ts_server';

const root = path.resolve(__dirname, '..', '..', '..');
const typings = ['tapescope.d.ts', 'globals.d.ts'].map((f) => path.join(root, 'dist', 'types', f));
let workspace: string;

const GOOD_CELLS = `// %% Gradients
import * as T from 'tapescope';
import tfDefault, { add, type Tensor } from 'tapescope';
const x = new tf.Variable(3.0);
const tape = new tf.GradientTape({ persistent: true });
const y = tape.record(() => x.mul(x));
print('dy/dx =', tape.gradient(y, x));
// %% Keras, with and without new
const dense = tf.keras.layers.Dense(4, { activation: 'relu' });
const dense2 = new tf.keras.layers.Dense({ units: 2 });
const z: tf.Tensor = T.matmul(tf.ones([1, 3]), tf.ones([3, 2]));
const w: Tensor = add(tfDefault.scalar(1), z);
const traced = T.function((a: Tensor) => a.square());
print(dense, dense2, w, traced);
`;
const WRONG_LINE = 2;
const WRONG_CELL = `// %% A typo
const v = tf.constant([1, 2]);
tf.nonexistent(v);
`;

before(() => {
  // Generates dist/types/ unless the engine is unchanged since the last build (then it only rebuilds the plugin).
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  workspace = mkdtempSync(path.join(tmpdir(), 'tapescope-typings-'));
  writeFileSync(path.join(workspace, 'cells.ts'), GOOD_CELLS);
  writeFileSync(path.join(workspace, 'typo.ts'), WRONG_CELL);
  writeFileSync(path.join(workspace, 'plain.ts'), 'export const answer: number = tf.constant(1).size;\n');
});

after(() => rmSync(workspace, { recursive: true, force: true }));

function compile(files: string[]): { program: ts.Program; diagnostics: readonly ts.Diagnostic[] } {
  const program = ts.createProgram([...typings, ...files], {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler, types: [],
  });
  return { program, diagnostics: ts.getPreEmitDiagnostics(program) };
}

const describe = (d: ts.Diagnostic) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;

test('the declarations compile under strict and give a cell tf, print, tf.GradientTape, tf.keras.layers.Dense and the module "tapescope"', () => {
  const { diagnostics } = compile([path.join(workspace, 'cells.ts')]);
  assert.deepEqual(diagnostics.map(describe), []);
});

test('a misspelt op is still an error, on its line (the checker ran with the real types)', () => {
  const { diagnostics } = compile([path.join(workspace, 'typo.ts')]);
  assert.equal(diagnostics.length, 1, diagnostics.map(describe).join('\n'));
  const [error] = diagnostics;
  assert.equal(error.code, 2339); // Property does not exist on type
  assert.match(describe(error), /'nonexistent'/);
  assert.equal(error.file!.getLineAndCharacterOfPosition(error.start!).line, WRONG_LINE);
});

test('the module "tapescope" exports exactly what the kernel\'s module holds: tf, tf\'s members, and tf as default', () => {
  const { program } = compile([path.join(workspace, 'cells.ts')]);
  const checker = program.getTypeChecker();
  const declarations = program.getSourceFile(typings[0])!;
  const moduleDeclaration = declarations.statements.find(ts.isModuleDeclaration)!;
  const exports = checker.getExportsOfModule(checker.getSymbolAtLocation(moduleDeclaration.name)!);
  const isValue = (s: ts.Symbol) => ((s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s).flags & ts.SymbolFlags.Value) !== 0;
  const values = exports.filter(isValue).map((s) => s.name).sort();
  // src/kernel/cell_thread/worker.ts: the module is { ...tf, tf, default: tf }.
  assert.deepEqual(values, [...Object.keys(engineTf), 'tf', 'default'].sort());
  const typesOnly = exports.filter((s) => !isValue(s)).map((s) => s.name).sort();
  assert.deepEqual(typesOnly, ['DType', 'TensorLike']);
});

test('the global tf has the engine\'s members, and tf.keras.layers.Dense is a class', () => {
  const { program } = compile([path.join(workspace, 'cells.ts')]);
  const checker = program.getTypeChecker();
  const globals = program.getSourceFile(typings[1])!;
  const tfDeclaration = globals.statements.filter(ts.isVariableStatement)[0].declarationList.declarations[0];
  const tfType = checker.getTypeAtLocation(tfDeclaration);
  assert.deepEqual(tfType.getProperties().map((p) => p.name).sort(), Object.keys(engineTf).sort());
  const keras = checker.getTypeOfSymbol(tfType.getProperty('keras')!);
  const layers = checker.getTypeOfSymbol(keras.getProperty('layers')!);
  const dense = checker.getTypeOfSymbol(layers.getProperty('Dense')!);
  assert.ok(dense.getConstructSignatures().length > 0, 'new tf.keras.layers.Dense(…)');
  assert.ok(dense.getCallSignatures().length > 0, 'tf.keras.layers.Dense(…) as in Python');
  const tape = checker.getTypeOfSymbol(tfType.getProperty('GradientTape')!);
  const instance = tape.getConstructSignatures()[0].getReturnType();
  assert.ok(instance.getProperty('gradient') && instance.getProperty('record') && instance.getProperty('watch'));
});

test('in a TypeScript server, the plugin types cell files of a folder without tsconfig, and only those', async () => {
  const server = new TsServer();
  try {
    const cells = path.join(workspace, 'cells.ts');
    const typo = path.join(workspace, 'typo.ts');
    const plain = path.join(workspace, 'plain.ts');
    for (const file of [cells, typo, plain]) server.notify('open', { file });
    assert.deepEqual(await server.errorsIn(cells), []);
    const typoErrors = await server.errorsIn(typo);
    assert.deepEqual(typoErrors.map((e) => [e.line, e.code]), [[WRONG_LINE + 1, 2339]]);
    // A file with no cells and no "tapescope" import is left alone: `tf` is unknown there.
    const plainErrors = await server.errorsIn(plain);
    assert.ok(plainErrors.some((e) => /Cannot find name 'tf'/.test(e.text)), JSON.stringify(plainErrors));
    // Typing a cell marker into it, in the editor (not saved), makes it a cell file: now `tf` is known.
    server.notify('change', { file: plain, line: 1, offset: 1, endLine: 1, endOffset: 1, insertString: '// %% now a cell\n' });
    assert.deepEqual(await server.errorsIn(plain), []);
  } finally {
    server.stop();
  }
});

test('in a TypeScript server, a project with a tsconfig.json gets the typings when it holds a cell file', async () => {
  const project = path.join(workspace, 'configured');
  mkdirSync(path.join(project, 'src'), { recursive: true });
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'nodenext', target: 'es2022' }, include: ['src'] }));
  writeFileSync(path.join(project, 'src', 'train.ts'), GOOD_CELLS + WRONG_CELL);
  const server = new TsServer();
  try {
    const file = path.join(project, 'src', 'train.ts');
    server.notify('open', { file });
    const errors = await server.errorsIn(file);
    const wrongLine = GOOD_CELLS.split('\n').length + WRONG_LINE;
    assert.deepEqual(errors.map((e) => [e.line, e.code]), [[wrongLine, 2339]], JSON.stringify(errors));
  } finally {
    server.stop();
  }
});

test('in a TypeScript server, a project that includes typings written by Add Typings to Workspace gets no second copy', async () => {
  const project = path.join(workspace, 'with-workspace-typings');
  mkdirSync(path.join(project, '.tapescope'), { recursive: true });
  for (const file of typings) copyFileSync(file, path.join(project, '.tapescope', path.basename(file)));
  writeFileSync(path.join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true }, include: ['*.ts', '.tapescope/*.d.ts'] }));
  writeFileSync(path.join(project, 'cells.ts'), GOOD_CELLS);
  const server = new TsServer();
  try {
    const file = path.join(project, 'cells.ts');
    server.notify('open', { file });
    // Both copies would declare `tf` twice ("Cannot redeclare block-scoped variable").
    assert.deepEqual(await server.errorsIn(file), []);
  } finally {
    server.stop();
  }
});

test('in a TypeScript server with the plugin, the repository\'s examples (typed from the engine\'s sources) stay error-free', async () => {
  const examples = readdirSync(path.join(root, 'examples')).filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts')).map((f) => path.join(root, 'examples', f));
  assert.ok(examples.length >= 5);
  const server = new TsServer();
  try {
    for (const file of examples) server.notify('open', { file });
    for (const file of examples) assert.deepEqual(await server.errorsIn(file), [], path.basename(file));
  } finally {
    server.stop();
  }
});
