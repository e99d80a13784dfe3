import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ReplSession } from './repl_harness';
import { bindingNames, rewriteForRepl } from '../../../src/repl/repl_rewrite';
import { parse } from 'acorn';

test('re-running a cell that declares const x works and rebinds x', async () => {
  const s = new ReplSession();
  assert.equal(await s.run('const x: number = 1;\nx * 10'), 10);
  assert.equal(await s.run('const x: number = 2;\nx * 10'), 20);
  assert.equal(await s.run('x'), 2);
});

test('let, var and destructuring bindings live on in later cells', async () => {
  const s = new ReplSession();
  await s.run('let a = 1, b = a + 1;\nconst { c, d: [e, ...rest] } = { c: 3, d: [4, 5, 6] };\nvar v = 7;');
  assert.deepEqual(await s.json('[a, b, c, e, rest, v]'), [1, 2, 3, 4, [5, 6], 7]);
  await s.run('var v;');
  assert.equal(await s.run('v'), 7, 'var without initializer keeps the earlier value, as in JavaScript');
  await s.run('let a;');
  assert.equal(await s.run('a'), undefined, 'let without initializer starts again from undefined');
});

test('functions and classes defined in one cell are usable in the next, and hoisting still works', async () => {
  const s = new ReplSession();
  assert.equal(await s.run('square(3);\nfunction square(n: number): number { return n * n; }\nsquare(4)'), 16);
  await s.run('class Counter {\n  count = 0;\n  bump(by: number) { this.count += by; return this; }\n}');
  assert.equal(await s.run('new Counter().bump(2).bump(square(2)).count'), 6);
  await s.run('class Counter { count = 100 }');
  assert.equal(await s.run('new Counter().count'), 100, 'a class may be declared again');
});

test('top-level await works and the last expression is the value of the cell', async () => {
  const s = new ReplSession();
  const value = await s.run('const slow = await new Promise<number>((r) => setTimeout(() => r(41), 5));\nslow + 1');
  assert.equal(value, 42);
  assert.equal(await s.run('for (const k of [1, 2]) {}\n'), undefined, 'a cell ending in a statement has no value');
});

test('imports: namespace, default and named, from "tapescope" and from node packages next to the file', async () => {
  const s = new ReplSession();
  await s.run('import * as tsc from "tapescope";\nimport tfDefault, { add as plus } from "tapescope";\nimport { join } from "node:path";\nimport acornDefault, { parse } from "acorn";');
  assert.equal(await s.run('plus(tsc.constant(2), tfDefault.constant(3)).dataSync()[0]'), 5);
  assert.equal(await s.run('join("a", "b")'), 'a/b');
  assert.equal(await s.run('typeof parse === "function" && acornDefault.parse === parse'), true);
  await s.run('import type { Tensor } from "tapescope";\nconst t: Tensor = tsc.scalar(1);');
  assert.equal(await s.run('t.shape.length'), 0, 'type-only imports vanish');
});

test('an import used only by a later cell is kept (TypeScript would otherwise drop it as unused)', async () => {
  const s = new ReplSession();
  await s.run('import { basename } from "node:path";');
  assert.equal(await s.run('basename("/x/y.ts")'), 'y.ts');
});

test('TypeScript-only syntax compiles: enums, namespaces, generics, non-null assertions', async () => {
  const s = new ReplSession();
  await s.run('enum Color { Red, Green }\nnamespace Geo { export const unit = 2; }\nfunction first<T>(xs: T[]): T { return xs[0]!; }');
  assert.deepEqual(await s.json('[Color.Green, Color[0], Geo.unit, first([7, 8])]'), [1, 'Red', 2, 7]);
});

test('a loop stops with KernelInterrupt carrying its file line once the shared flag is set', async () => {
  const s = new ReplSession();
  Atomics.store(s.shared, 0, 1);
  await assert.rejects(
    s.run('// %% loop cell\nlet n = 0;\n\nfor (let i = 0; ; i++) n += i;', 20),
    (err: { name: string; fileLine: number }) => err.name === 'KernelInterrupt' && err.fileLine === 24,
  );
  assert.equal(s.global('n'), 0, 'bindings made before the loop survive the interrupt');
});

test('the rewrite keeps every line break, so line k of the output is line k of the input', () => {
  const js = 'import {\n  a,\n  b\n} from "m";\nconst x = 1,\n  y = 2;\nclass K {\n}\nwhile (x) y;\nx + y;\n';
  const out = rewriteForRepl(js, { fileLineAt: () => 1 }).code;
  assert.equal(out.split('\n').length, js.split('\n').length + 1, 'only the closing wrapper line is added');
  assert.match(out.split('\n')[9], /^return \(x \+ y\);/);
});

test('bindingNames lists the identifiers a pattern declares', () => {
  const decl = (parse('const { a, b: [c, , ...d], e = 1, ...f } = o;', { ecmaVersion: 'latest' }) as any).body[0].declarations[0];
  assert.deepEqual(bindingNames(decl.id), ['a', 'c', 'd', 'e', 'f']);
});
