// Generates what the TypeScript server needs to know about a cell's world, for any workspace:
//   dist/types/tapescope.d.ts  `declare module 'tapescope'`: the engine's public API bundled into one ambient
//                              module whose named exports are tf's members and whose default is tf, as the
//                              kernel's module is (src/kernel/cell_thread/worker.ts).
//   dist/types/globals.d.ts    the globals every cell runs with: `tf` and `print`.
//   dist/ts_plugin/            the TypeScript server plugin (src/ts_plugin/) that adds both files to projects
//                              with cells, as a package; copied to node_modules/tapescope-ts-plugin here, where
//                              the TypeScript server looks for it (the .vsix has no node_modules: the extension
//                              puts it there on activation, see src/typings/plugin_install.ts).
// The declaration bundle takes seconds, so nothing is redone while the engine's and the plugin's sources are
// unchanged.
// Usage: node scripts/build_typings.mjs [--force]
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { generateDtsBundle } from 'dts-bundle-generator';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const typesDir = path.join(root, 'dist', 'types');
const pluginDir = path.join(root, 'dist', 'ts_plugin');
const entry = path.join(root, 'src', 'typings', 'public_api.ts');
const fingerprintFile = path.join(typesDir, '.fingerprint');
export const PLUGIN_NAME = 'tapescope-ts-plugin';

function sourcesOf(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath ?? e.path, e.name))
    .sort();
}

function fingerprint() {
  const hash = createHash('sha256');
  const sources = [...sourcesOf(path.join(root, 'engine')), ...sourcesOf(path.join(root, 'src', 'ts_plugin')), entry, fileURLToPath(import.meta.url)];
  for (const file of sources) {
    hash.update(path.relative(root, file)).update(readFileSync(file));
  }
  return hash.update(ts.version).digest('hex');
}

/**
 * dts-bundle-generator drops the doc comment of every declaration the entry does not export by name, and the engine
 * exports its functions only as members of `tf`: that would leave every op without its TSDoc. All our declarations
 * are public API (internals are stripped by `stripInternal` before this point), so every comment is kept.
 */
function keepEveryDocComment() {
  const helpers = createRequire(import.meta.url)('dts-bundle-generator/dist/helpers/typescript.js');
  const recreate = helpers.recreateRootLevelNodeWithModifiers;
  if (typeof recreate !== 'function') throw new Error('build_typings: dts-bundle-generator changed; cannot keep doc comments');
  if (recreate.keepsComments) return;
  const keeping = (node, modifiers, name) => recreate(node, modifiers, name, true);
  keeping.keepsComments = true;
  helpers.recreateRootLevelNodeWithModifiers = keeping;
}

/** The engine's public API as one flat module file (dts-bundle-generator over src/typings/public_api.ts). */
function bundleDeclarations() {
  keepEveryDocComment();
  const scratch = mkdtempSync(path.join(tmpdir(), 'tst-'));
  try {
    const config = path.join(scratch, 'tsconfig.json');
    writeFileSync(config, JSON.stringify({
      compilerOptions: {
        target: 'ES2022', module: 'ESNext', moduleResolution: 'Bundler', lib: ['ES2022', 'DOM'], strict: true,
        skipLibCheck: true, isolatedModules: true, stripInternal: true, types: ['node'], typeRoots: [path.join(root, 'node_modules', '@types')],
      },
      files: [entry],
    }));
    const [text] = generateDtsBundle([{ filePath: entry, output: { noBanner: true, exportReferencedTypes: false } }],
      { preferredConfigPath: config });
    return text;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The `/** … *\/` comment right before a node, as written (null when there is none). */
function docComment(node) {
  const docs = node.jsDoc ?? [];
  return docs.length > 0 ? docs[docs.length - 1].getText() : null;
}

/** A comment re-indented to sit on a line that starts with `indent`. */
function reindent(comment, indent) {
  return comment.split('\n').map((line, i) => (i === 0 ? line : `${indent} ${line.trimStart()}`)).join('\n');
}

/**
 * tf's members are typed `typeof constant`, `Newless<typeof Dense>`: TypeScript shows a function's comment on hover
 * through `typeof`, but not a class's through Newless, and completion lists show the member's own. So every member
 * without a comment gets the comment of the declaration it names, recursively through tf.nn, tf.keras.layers, ….
 */
function inheritMemberDocs(type, docOf, edits, memberDocs, depth = 0) {
  for (const member of type.members) {
    const isMethod = ts.isMethodSignature(member);
    if (!(ts.isPropertySignature(member) && member.type) && !isMethod) continue;
    let doc = docComment(member);
    if (!doc) {
      // a namespace spread into tf (`...conv`) is emitted as methods named after its functions
      const named = isMethod ? [member.name.getText()] : [];
      const visit = (node) => { if (ts.isTypeQueryNode(node)) named.push(node.exprName.getText()); ts.forEachChild(node, visit); };
      // a namespace (an object type) has its own comment, not one of its members'
      if (!isMethod && !ts.isTypeLiteralNode(member.type)) visit(member.type);
      const inherited = named.length === 1 ? docOf.get(named[0]) : undefined;
      if (inherited) {
        const lineStart = member.getSourceFile().text.lastIndexOf('\n', member.getStart()) + 1;
        const indent = member.getSourceFile().text.slice(lineStart, member.getStart());
        doc = reindent(inherited, indent);
        edits.push([member.getStart(), member.getStart(), `${doc}\n${indent}`]);
      }
    }
    if (depth === 0 && doc) memberDocs.set(member.name.getText(), reindent(doc, ''));
    if (!isMethod && ts.isTypeLiteralNode(member.type)) inheritMemberDocs(member.type, docOf, edits, memberDocs, depth + 1);
  }
}

/**
 * Wraps the flat bundle in `declare module 'tapescope' { … }`: top-level `declare` modifiers go (the block is
 * ambient already), and each of tf's members becomes a named export beside `tf` itself, with tf as the default
 * export — the kernel's module is { ...tf, tf, default: tf }.
 */
function ambientModule(bundle) {
  const source = ts.createSourceFile('bundle.d.ts', bundle, ts.ScriptTarget.Latest, true);
  const cuts = [];
  const exported = new Set();
  const declared = new Set();
  const classes = [];
  let tfMembers;
  let tfType;
  const objectTypes = [];
  const docOf = new Map();
  for (const statement of source.statements) {
    const doc = docComment(statement);
    const docName = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0].name.getText() : statement.name?.getText();
    // a class's comment rather than that of the interface merged into it (Layer, Tensor)
    if (doc && docName && (!docOf.has(docName) || !ts.isInterfaceDeclaration(statement))) docOf.set(docName, doc);
    if (ts.isExportDeclaration(statement) && !statement.exportClause) { cuts.push([statement.getStart(), statement.end]); continue; }
    const modifiers = ts.canHaveModifiers(statement) ? ts.getModifiers(statement) ?? [] : [];
    const names = ts.isVariableStatement(statement)
      ? statement.declarationList.declarations.map((d) => d.name.getText())
      : statement.name ? [statement.name.getText()] : [];
    names.forEach((n) => declared.add(n));
    const isTf = names.includes('tf');
    for (const modifier of modifiers) {
      const drop = modifier.kind === ts.SyntaxKind.DeclareKeyword;
      if (drop) cuts.push([modifier.getStart(), modifier.end + 1]);
      else if (modifier.kind === ts.SyntaxKind.ExportKeyword) names.forEach((n) => exported.add(n));
    }
    // `implements` of an interface stripped as @internal (GradientTape implements the op runner's RecordingTape).
    if (ts.isClassDeclaration(statement)) classes.push(statement);
    const declaredType = ts.isVariableStatement(statement) ? statement.declarationList.declarations[0].type : undefined;
    if (declaredType && ts.isTypeLiteralNode(declaredType) && !isTf) objectTypes.push(declaredType);
    if (isTf) {
      const type = statement.declarationList.declarations[0].type;
      if (!type || !ts.isTypeLiteralNode(type)) throw new Error('build_typings: `tf` is not declared with an object type');
      tfMembers = type.members.map((m) => m.name.getText());
      tfType = type;
    }
  }
  if (!tfMembers) throw new Error('build_typings: the bundle declares no `tf`');
  function internalImplements(declaration) {
    const clause = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ImplementsKeyword);
    if (!clause) return [];
    const kept = clause.types.filter((t) => declared.has(t.expression.getText()));
    if (kept.length === clause.types.length) return [];
    if (kept.length === 0) return [[clause.getFullStart(), clause.end]];
    throw new Error(`build_typings: ${declaration.name.getText()} implements internal and public interfaces; split the clause`);
  }
  for (const declaration of classes) cuts.push(...internalImplements(declaration));
  const edits = cuts.map(([start, end]) => [start, end, '']);
  const memberDocs = new Map();
  inheritMemberDocs(tfType, docOf, edits, memberDocs);
  // other namespaces built from ops (tf.math's members, the table Tensor's methods are derived from)
  for (const type of objectTypes) inheritMemberDocs(type, docOf, edits, new Map());
  let body = bundle;
  for (const [start, end, text] of edits.sort((a, b) => b[0] - a[0])) body = body.slice(0, start) + text + body.slice(end);

  // Each member is declared under a private name and exported under its own: the bundle already declares many
  // of these names (the functions behind tf.add, tf.constant, …) and some are reserved words (tf.function).
  const privateName = (name) => {
    let candidate = `tf_${name}`;
    while (declared.has(candidate)) candidate = `_${candidate}`;
    return candidate;
  };
  const members = tfMembers.filter((name) => !exported.has(name)).map((name) =>
    `${memberDocs.get(name) ?? ''}\nconst ${privateName(name)}: (typeof tf)['${name}'];\nexport { ${privateName(name)} as ${name} };`);
  const indent = (text) => text.trim().split('\n').map((line) => (line ? `\t${line}` : line)).join('\n');
  return [
    '// Generated by scripts/build_typings.mjs from the engine (engine/index.ts): do not edit.',
    '// The module a cell imports as "tapescope": tf, and tf\'s members, as named exports; tf as the default.',
    '// The engine is ES2022 (Map, Set, iterables): declared here, so a project targeting less still reads it.',
    '/// <reference lib="es2022" />',
    "declare module 'tapescope' {",
    indent(body),
    indent(members.join('\n')),
    '\texport default tf;',
    '}',
    '',
  ].join('\n');
}

const GLOBALS = `// Generated by scripts/build_typings.mjs: the globals every Tapescope cell runs with. Do not edit.
/// <reference path="./tapescope.d.ts" />

/** The Tapescope engine: TensorFlow's API, camelCased (tf.reduce_sum → tf.reduceSum). A global in every cell. */
declare const tf: typeof import('tapescope').default;
/** The types users name through the global, as in \`let x: tf.Tensor\`. */
declare namespace tf {
\ttype Tensor = import('tapescope').Tensor;
\ttype Variable = import('tapescope').Variable;
\ttype GradientTape = import('tapescope').GradientTape;
\ttype TensorLike = import('tapescope').TensorLike;
\ttype DType = import('tapescope').DType;
}
/** Python-like print: tensors as TensorFlow prints them, Variables by repr, arrays as lists. */
declare function print(...values: unknown[]): void;
`;

/** The plugin as a package the TypeScript server can require by name. */
async function buildPlugin() {
  rmSync(pluginDir, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(root, 'src', 'ts_plugin', 'index.ts')], outfile: path.join(pluginDir, 'index.js'),
    bundle: true, platform: 'node', format: 'cjs', target: 'es2020', logLevel: 'warning', external: ['typescript'],
    // The TypeScript server requires the package and calls what it gets: the factory, not { default }.
    footer: { js: 'module.exports = module.exports.default;' },
  });
  writeFileSync(path.join(pluginDir, 'package.json'), `${JSON.stringify({
    name: PLUGIN_NAME, version: '0.0.0', private: true, main: 'index.js',
    description: 'Adds the Tapescope globals (tf, print) and module "tapescope" to TypeScript projects with // %% cells.',
  }, null, 2)}\n`);
  // Where the server probes for it when the extension runs from this folder (development, e2e).
  const installed = path.join(root, 'node_modules', PLUGIN_NAME);
  rmSync(installed, { recursive: true, force: true });
  cpSync(pluginDir, installed, { recursive: true });
}

const started = Date.now();
const current = fingerprint();
const installedPlugin = path.join(root, 'node_modules', PLUGIN_NAME, 'index.js');
// Up to date also needs the copy in node_modules (an `npm install` prunes it as extraneous).
const upToDate = !process.argv.includes('--force') && existsSync(fingerprintFile) && readFileSync(fingerprintFile, 'utf8') === current &&
  existsSync(path.join(typesDir, 'tapescope.d.ts')) && existsSync(installedPlugin);
if (!upToDate) {
  mkdirSync(typesDir, { recursive: true });
  writeFileSync(path.join(typesDir, 'tapescope.d.ts'), ambientModule(bundleDeclarations()));
  writeFileSync(path.join(typesDir, 'globals.d.ts'), GLOBALS);
  await buildPlugin();
  writeFileSync(fingerprintFile, current);
}
console.log(`tapescope: typings ${upToDate ? 'up to date' : 'generated'} in dist/types/, plugin in dist/ts_plugin/ (${Date.now() - started} ms)`);
