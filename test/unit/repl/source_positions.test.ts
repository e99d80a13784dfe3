import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILE, ReplSession } from './repl_harness';
import { CellCompileError, compileCell } from '../../../src/repl/compile_cell';

async function thrownBy(s: ReplSession, code: string, lineOffset: number): Promise<Error> {
  try {
    await s.run(code, lineOffset);
  } catch (err) {
    return err as Error;
  }
  assert.fail('the cell should have thrown');
}

test('an error points at its line and column of the file, not of the cell, even after TypeScript types are stripped', async () => {
  const s = new ReplSession();
  const cell = [
    '// %% errors',                           // file line 41
    'interface Point { x: number }',          // 42
    'const p: Point = { x: 1 };',             // 43
    'function fail(label: string): never {',  // 44
    '  throw new Error(`bad ${label}`);',     // 45: `new` at column 9
    '}',                                      // 46
    'fail("a");',                             // 47: call at column 1
  ].join('\n');
  const err = await thrownBy(s, cell, 40);
  assert.deepEqual(s.stacks.firstCellLocation(err.stack!), { file: FILE, line: 45, column: 9 });
  const mapped = s.stacks.mapStack(err.stack!).split('\n');
  assert.equal(mapped[0], 'Error: bad a');
  assert.equal(mapped[1], `    at fail (${FILE}:45:9)`);
  assert.equal(mapped[2], `    at ${FILE}:47:1`);
});

test('a function from an earlier cell failing when a later cell calls it keeps its own cell\'s lines', async () => {
  const s = new ReplSession();
  await s.run('\n\nconst check = (v: number): number => {\n  if (v < 0) throw new RangeError("negative");\n  return v;\n};', 100);
  const err = await thrownBy(s, '// %%\n[1, 2, -3].map((v) =>\n  check(v));', 200);
  assert.equal(err.name, 'RangeError');
  const frames = s.stacks.mapStack(err.stack!).split('\n');
  assert.equal(frames[1], `    at check (${FILE}:104:20)`);
  assert.match(frames[2], new RegExp(`${FILE}:203:3\\)?$`));
});

test('an engine error is located at the cell line that called the op', async () => {
  const s = new ReplSession();
  const line = 'const bad = tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]));';
  const err = await thrownBy(s, `// %% shapes\n\n${line}`, 9);
  const location = s.stacks.firstCellLocation(err.stack!);
  assert.equal(location?.line, 12);
  assert.equal(location?.column, line.indexOf('matmul') + 1);
});

test('a syntax error is reported at its file line before anything runs', async () => {
  await assert.rejects(
    compileCell({ code: '// %% broken\nconst ok = 1;\nconst x = ;', file: FILE, lineOffset: 30 }),
    (err: unknown) => err instanceof CellCompileError && err.location.line === 33 && err.location.column === 11,
  );
});
