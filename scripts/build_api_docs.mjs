// The API reference (docs/api/, TypeDoc) from the engine's TSDoc comments, grouped like TensorFlow's reference.
// What is documented is exactly `tf` (engine/index.ts): each member is traced with the TypeScript checker to the
// declaration it names, and one generated entry module per group re-exports those declarations under their tf
// names, so the reference cannot drift from what cells get. Warnings fail the build.
// Usage: node scripts/build_api_docs.mjs   (npm run docs:api; open docs/api/index.html)
import ts from 'typescript';
import { Application, LogLevel } from 'typedoc';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const engineIndex = path.join(root, 'engine', 'index.ts');
const entriesDir = path.join(root, 'dist', 'api_entries');
const out = path.join(root, 'docs', 'api');

/** The groups of TF's reference, in its order, with the sentence each group's page opens with. */
const GROUPS = {
  tensors: 'Tensors and Variables: creating, converting, reshaping, slicing, combining and random tensors (tf.constant, tf.reshape, tf.random.normal, …).',
  math: 'Elementwise math, reductions and comparisons (tf.add, tf.exp, tf.reduceSum, tf.equal, …), as tf.math in TensorFlow.',
  nn: 'Neural-network ops: activations, softmax, cross-entropy, bias add (tf.nn).',
  linalg: 'Linear algebra: matrix products and friends (tf.matmul, tf.linalg).',
  GradientTape: 'Reverse-mode autodiff: tf.GradientTape and the ops that shape what it records (tf.stopGradient, tf.customGradient, tf.nameScope).',
  autodiff: 'Graphs and forward mode: tf.function, tf.gradients, tf.autodiff.ForwardAccumulator.',
  keras: 'tf.keras: layers, models, optimizers, losses and metrics (tf.losses is tf.keras.losses).',
  data: 'tf.data: readers for IDX (MNIST, Fashion-MNIST) and CSV files.',
  test: 'tf.test: gradient checks against finite differences.',
  debugging: 'tf.debugging, tf.summary and tf.errors: numerics checks, gradient explanations, logged metrics.',
};

/** A tf namespace's group; top-level members are grouped by the engine file that defines them. */
const NAMESPACE_GROUP = { nn: 'nn', linalg: 'linalg', keras: 'keras', losses: 'keras', data: 'data', test: 'test', debugging: 'debugging',
  summary: 'debugging', errors: 'debugging', autodiff: 'autodiff', random: 'tensors', signal: 'math', math: 'math', image: 'nn' };
const FILE_GROUP = [
  [/engine\/tensor\//, 'tensors'], [/ops\/(creation|random|shape_ops|convert)/, 'tensors'], [/ops\/(matmul|linalg)/, 'linalg'],
  [/engine\/tape\/|ops\/gradient_control/, 'GradientTape'], [/engine\/(graph|forward)\//, 'autodiff'], [/ops\/(nn|conv|pool|fused|losses)/, 'nn'],
  [/engine\/keras\//, 'keras'], [/engine\/data\//, 'data'], [/engine\/testing\//, 'test'], [/engine\/runtime\/|check_numerics/, 'debugging'],
];

const program = ts.createProgram([engineIndex], { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, noEmit: true });
const checker = program.getTypeChecker();

function tfObject() {
  const source = program.getSourceFile(engineIndex);
  for (const statement of source.statements) {
    if (!ts.isVariableStatement(statement)) continue;
    for (const d of statement.declarationList.declarations) if (d.name.getText() === 'tf' && d.initializer) return d.initializer;
  }
  throw new Error('build_api_docs: engine/index.ts declares no `tf`');
}

/** The declaration an expression names, through imports and re-exports. */
function declarationOf(expression) {
  let symbol = checker.getSymbolAtLocation(ts.isShorthandPropertyAssignment(expression) ? expression.name : expression);
  if (ts.isShorthandPropertyAssignment(expression)) symbol = checker.getShorthandAssignmentValueSymbol(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.valueDeclaration ?? symbol?.declarations?.[0];
}

/** The object literal behind a namespace member (`keras`, `tf.nn`), or null for a leaf. */
function objectLiteralOf(node) {
  while (ts.isAsExpression(node) || ts.isParenthesizedExpression(node)) node = node.expression;
  if (ts.isObjectLiteralExpression(node)) return node;
  const declaration = ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isShorthandPropertyAssignment(node) ? declarationOf(node) : undefined;
  if (declaration && ts.isPropertyAssignment(declaration)) return objectLiteralOf(declaration.initializer);
  if (declaration && ts.isShorthandPropertyAssignment(declaration)) return objectLiteralOf(declaration);
  if (declaration && ts.isVariableDeclaration(declaration) && declaration.initializer && ts.isObjectLiteralExpression(declaration.initializer)) return declaration.initializer;
  return null;
}

/** Every leaf of tf as [path, declaration]: `tf.keras.layers.Dense` → class Dense (through newless). */
function leaves(object, prefix, found = []) {
  for (const property of object.properties) {
    if (ts.isSpreadAssignment(property)) { spread(property.expression, prefix, found); continue; }
    const name = property.name.getText();
    let value = ts.isShorthandPropertyAssignment(property) ? property : property.initializer;
    while (ts.isAsExpression(value) || ts.isParenthesizedExpression(value)) value = value.expression;
    const nested = objectLiteralOf(value);
    if (nested) { leaves(nested, [...prefix, name], found); continue; }
    const target = ts.isCallExpression(value) && value.expression.getText() === 'newless' ? value.arguments[0] : value;
    const declaration = ts.isShorthandPropertyAssignment(target) || ts.isIdentifier(target) || ts.isPropertyAccessExpression(target) ? declarationOf(target) : undefined;
    const exportedName = declaration && (declaration.name?.getText());
    const isExported = declaration && (ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Export || ts.isVariableDeclaration(declaration) && ts.getCombinedModifierFlags(declaration.parent.parent) & ts.ModifierFlags.Export);
    if (!declaration || !exportedName || !isExported) { unnamed.push(`tf.${[...prefix, name].join('.')}`); continue; }
    found.push({ path: [...prefix, name], file: declaration.getSourceFile().fileName, exportedName });
  }
  return found;
}

/** `...extendedApi` (an object literal elsewhere) or `...conv` (every export of `import * as conv`). */
function spread(expression, prefix, found) {
  const nested = objectLiteralOf(expression);
  if (nested) { leaves(nested, prefix, found); return; }
  let symbol = checker.getSymbolAtLocation(expression);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (!symbol || !(symbol.flags & ts.SymbolFlags.ValueModule)) {
    throw new Error(`build_api_docs: cannot document the spread ...${expression.getText()} in tf.${prefix.join('.')}`);
  }
  for (let exported of checker.getExportsOfModule(symbol)) {
    if (exported.flags & ts.SymbolFlags.Alias) exported = checker.getAliasedSymbol(exported);
    const declaration = exported.valueDeclaration;
    if (!declaration) continue; // types
    found.push({ path: [...prefix, exported.name], file: declaration.getSourceFile().fileName, exportedName: exported.name });
  }
}

function groupOf(leaf) {
  if (leaf.path.length > 1 && NAMESPACE_GROUP[leaf.path[0]]) return NAMESPACE_GROUP[leaf.path[0]];
  if (leaf.path[0] === 'GradientTape') return 'GradientTape';
  return FILE_GROUP.find(([pattern]) => pattern.test(leaf.file.replace(/\\/g, '/')))?.[1] ?? 'math';
}

/** tf members that are not named, exported declarations (inline arrows): they cannot be documented. */
const unnamed = [];

function writeEntries() {
  rmSync(entriesDir, { recursive: true, force: true });
  mkdirSync(entriesDir, { recursive: true });
  const byGroup = new Map(Object.keys(GROUPS).map((g) => [g, new Map()]));
  const found = leaves(tfObject(), []);
  if (unnamed.length > 0) {
    throw new Error(`build_api_docs: define these as named, exported functions so they can be documented: ${unnamed.join(', ')}`);
  }
  for (const leaf of found) {
    const names = byGroup.get(groupOf(leaf));
    const name = leaf.path[leaf.path.length - 1];
    const key = names.has(name) && names.get(name).file !== leaf.file ? leaf.path.join('_') : name;
    if (!names.has(key)) names.set(key, leaf);
  }
  const files = [];
  for (const [group, names] of byGroup) {
    if (names.size === 0) continue;
    const lines = [`/**\n * ${GROUPS[group]}\n * @module ${group}\n */`];
    for (const [name, leaf] of [...names].sort(([a], [b]) => a.localeCompare(b))) {
      const from = path.relative(entriesDir, leaf.file).replace(/\\/g, '/').replace(/\.ts$/, '');
      lines.push(`export { ${leaf.exportedName === name ? name : `${leaf.exportedName} as ${name}`} } from '${from}';`);
    }
    const file = path.join(entriesDir, `${group}.ts`);
    writeFileSync(file, `${lines.join('\n')}\n`);
    files.push(file);
  }
  writeFileSync(path.join(entriesDir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: { target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true, skipLibCheck: true,
      types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')], noEmit: true },
    include: [`${entriesDir}/*.ts`, path.join(root, 'engine', '**', '*.ts')],
  }));
  return files;
}

const entryPoints = writeEntries();
const app = await Application.bootstrapWithPlugins({
  entryPoints, entryPointStrategy: 'resolve', tsconfig: path.join(entriesDir, 'tsconfig.json'), out,
  name: 'Tapescope — the tf API', readme: 'none', plugin: ['typedoc-plugin-missing-exports'], internalModule: 'referenced types',
  excludeInternal: true, excludePrivate: true, excludeProtected: true, excludeExternals: true,
  sort: ['kind', 'alphabetical'], treatWarningsAsErrors: true, logLevel: LogLevel.Warn, githubPages: false,
  disableSources: true, hideGenerator: true, validation: { notExported: true, invalidLink: true, notDocumented: false },
});
const project = await app.convert();
if (!project) process.exit(1);
await app.generateDocs(project, out);
if (app.logger.hasErrors() || app.logger.hasWarnings()) process.exit(1);
console.log(`docs:api: ${entryPoints.length} groups in ${path.relative(root, out)}/ (open index.html)`);
