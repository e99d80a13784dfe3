// Typings written into a workspace (Tapescope: Add Typings to Workspace), checked by the real TypeScript
// compiler reading the folder's tsconfig.json the way `tsc -p` does.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ts from 'typescript';
import { planConfigChange, writeWorkspaceTypings, TYPINGS_INCLUDE } from '../../../src/typings/workspace_typings';

const root = path.resolve(__dirname, '..', '..', '..');
const typesDir = path.join(root, 'dist', 'types');
const folders: string[] = [];

before(() => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});
after(() => folders.forEach((f) => rmSync(f, { recursive: true, force: true })));

function userFolder(files: Record<string, string>): string {
  const folder = mkdtempSync(path.join(tmpdir(), 'tapescope-ws-'));
  folders.push(folder);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text);
  return folder;
}

/** `tsc -p folder --noEmit`: the errors, as "file:line code". */
function tscErrors(folder: string): string[] {
  const configFile = path.join(folder, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config, ts.sys, folder, { noEmit: true, types: [] }, configFile);
  const program = ts.createProgram(parsed.fileNames, parsed.options);
  return ts.getPreEmitDiagnostics(program).map((d) =>
    `${path.basename(d.file?.fileName ?? '')}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start!).line + 1 : 0} ${d.code}`);
}

const CELLS = '// %% cell\nimport * as T from "tapescope";\nconst tape = new tf.GradientTape();\nconst x = T.scalar(2);\nprint(tape.record(() => x.square()));\n';
const OTHER_CELLS = '// %% another file of cells declaring the same name\nconst x = tf.ones([2]);\ntf.nonexistent(x);\n';

test('no config: the typings and a new tsconfig.json make `tsc -p` type cells (a typo stays an error)', () => {
  const folder = userFolder({ 'a.ts': CELLS, 'b.ts': OTHER_CELLS });
  writeWorkspaceTypings(typesDir, folder);
  const change = planConfigChange(undefined);
  assert.equal(change.kind, 'create');
  writeFileSync(path.join(folder, 'tsconfig.json'), change.kind === 'create' ? change.text : '');
  // Only the typo: no "Cannot find name 'tf'", and `const x` in two cell files does not clash.
  assert.deepEqual(tscErrors(folder), ['b.ts:3 2339']);
});

test('a config without include gains one; without it a default include would skip the .tapescope folder', () => {
  const folder = userFolder({ 'a.ts': CELLS, 'tsconfig.json': '{\n\t"compilerOptions": { "strict": true, "module": "esnext", "moduleResolution": "bundler" }\n}\n' });
  writeWorkspaceTypings(typesDir, folder);
  assert.ok(tscErrors(folder).some((e) => e.endsWith(' 2304')), 'before: Cannot find name');
  const change = planConfigChange(readFileSync(path.join(folder, 'tsconfig.json'), 'utf8'));
  assert.equal(change.kind, 'patch');
  const text = change.kind === 'patch' ? change.text : '';
  assert.deepEqual(JSON.parse(text).include, ['**/*', TYPINGS_INCLUDE]);
  assert.ok(text.includes('\n\t"compilerOptions"'), 'keeps the file\'s indentation');
  writeFileSync(path.join(folder, 'tsconfig.json'), text);
  assert.deepEqual(tscErrors(folder), []);
  assert.ok(existsSync(path.join(folder, '.tapescope', 'globals.d.ts')));
});

test('an include list is extended once; configs with comments or only "files" are left to the user', () => {
  const patched = planConfigChange('{ "include": ["src"] }');
  assert.deepEqual(patched.kind === 'patch' && JSON.parse(patched.text).include, ['src', TYPINGS_INCLUDE]);
  assert.equal(planConfigChange(`{ "include": ["src", "${TYPINGS_INCLUDE}"] }`).kind, 'none');
  const commented = planConfigChange('{\n  // mine\n  "include": ["src"]\n}');
  assert.equal(commented.kind, 'manual');
  assert.match(commented.kind === 'manual' ? commented.reason : '', /\.tapescope\/\*\.d\.ts/);
  assert.equal(planConfigChange('{ "files": ["main.ts"] }').kind, 'manual');
});
