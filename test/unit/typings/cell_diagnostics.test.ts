// In a real TypeScript server, a cell file's diagnostics as cells run: an endless loop in one cell does not grey
// the later cells as unreachable, a binding re-declared in a later cell is no duplicate, and a real type error
// inside a cell, an unreachable line after a `throw` in its own cell and a name declared twice in one cell are
// still reported. The same file in plain TypeScript (no plugin) shows what the plugin removes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TsServer, type ServerDiagnostic } from './ts_server';

const root = path.resolve(__dirname, '..', '..', '..');
const UNREACHABLE = 7027;
const REDECLARED = 2451;
const NOT_ASSIGNABLE = 2322;

const CELLS = [
  '// %% A loop the user interrupts', //  1
  'let steps = 0;', //  2
  'while (true) {', //  3
  '  steps++;', //  4
  '}', //  5
  '// %% Runs after the interrupt', //  6
  'const x = tf.scalar(1);', //  7
  'print(x, steps);', //  8
  '// %% x again, as a number now', //  9
  'const x = 2;', // 10
  "const label: number = 'two';", // 11 a real type error
  '// %% A throw, then a line that can never run, in one cell', // 12
  "throw new Error('stop');", // 13
  'const never = 1;', // 14
  '// %% Declared twice in one cell', // 15
  'const twice = 1;', // 16
  'const twice = 2;', // 17
  '',
].join('\n');

let workspace: string;
let file: string;

before(() => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  workspace = mkdtempSync(path.join(tmpdir(), 'tapescope-cells-'));
  file = path.join(workspace, 'cells.ts');
  writeFileSync(file, CELLS);
});

after(() => rmSync(workspace, { recursive: true, force: true }));

async function diagnosticsOf(withPlugin: boolean): Promise<ServerDiagnostic[]> {
  const server = new TsServer({ withPlugin });
  try {
    server.notify('open', { file });
    return [...(await server.errorsIn(file)), ...(await server.suggestionsIn(file))];
  } finally {
    server.stop();
  }
}

const at = (diagnostics: ServerDiagnostic[], code: number) => diagnostics.filter((d) => d.code === code).map((d) => d.line).sort((a, b) => a - b);

test('plain TypeScript greys the cells after the endless loop and calls the re-declared x a duplicate', async () => {
  const plain = await diagnosticsOf(false);
  assert.ok(at(plain, UNREACHABLE).includes(7), `no unreachable code at line 7: ${JSON.stringify(plain)}`);
  assert.ok(at(plain, REDECLARED).includes(7) && at(plain, REDECLARED).includes(10), JSON.stringify(plain));
});

test('with the plugin: no unreachable code or duplicate declaration across cells; in-cell ones and a real type error remain', async () => {
  const diagnostics = await diagnosticsOf(true);
  assert.deepEqual(at(diagnostics, UNREACHABLE), [14], `unreachable code: ${JSON.stringify(diagnostics)}`);
  assert.deepEqual(at(diagnostics, REDECLARED), [16, 17], `duplicates: ${JSON.stringify(diagnostics)}`);
  assert.deepEqual(at(diagnostics, NOT_ASSIGNABLE), [11], `type errors: ${JSON.stringify(diagnostics)}`);
  assert.match(diagnostics.find((d) => d.code === NOT_ASSIGNABLE)!.text, /'string' is not assignable to type 'number'/);
});
