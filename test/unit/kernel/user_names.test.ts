// The user's names on the recorded tensors, from the real kernel running the seed examples cell by
// cell: bindings (`y1 = …`, `const w1 = …`), a function's parameters on the ops inside it, Keras
// weights, and the names in null-gradient explanations.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { cell, startKernel } from './kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import { splitCells } from '../../../src/cells/cell_splitter';
import type { TapeTrace } from '../../../engine/trace/trace_format';

const repoRoot = resolve(__dirname, '../../..');
const kernels: Kernel[] = [];
after(async () => { await Promise.all(kernels.map((k) => k.dispose())); });

/** Runs an example's cells in order up to and including the first whose title matches; returns its tapes. */
async function tapesOfExampleCell(example: string, title: RegExp, extraCells = 0): Promise<TapeTrace[]> {
  const k = await startKernel();
  kernels.push(k);
  const file = join(repoRoot, 'examples', example);
  const cells = splitCells(readFileSync(file, 'utf8'));
  const last = cells.findIndex((c) => title.test(c.title)) + extraCells;
  assert.ok(last >= extraCells, `${example} has a cell titled ${title}`);
  let tapes: TapeTrace[] = [];
  k.onTapes.event((e) => { tapes = e.tapes; });
  for (const c of cells.slice(0, last + 1)) {
    tapes = [];
    const result = await k.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `${example} cell ${c.index} (${c.title}): ${result.error?.message}`);
  }
  return tapes;
}

const namesOn = (tape: TapeTrace): Set<string> => new Set(tape.tensors.flatMap((t) => (t.name ? [t.name] : [])));
const producerOf = (tape: TapeTrace, name: string) => {
  const t = tape.tensors.find((x) => x.name === name);
  return t && tape.nodes.find((n) => n.output === t.id);
};

test("seed 000's chain-rule cell: x, w1, b1, y1, w2, b2, y2 on the nodes they label", async () => {
  // The chain rule is two cells: the constants, then the tape.
  const [tape] = await tapesOfExampleCell('000_gradient_tape_basics.ts', /^The chain rule/, 1);
  assert.ok(tape, 'the tape cell recorded a tape');
  const names = namesOn(tape);
  for (const n of ['x', 'w1', 'b1', 'y1', 'w2', 'b2', 'y2']) assert.ok(names.has(n), `${n} is named (names: ${[...names].join(', ')})`);
  assert.equal(producerOf(tape, 'y1')?.op, 'Add', 'y1 = x·w1 + b1 is the first Add');
  assert.equal(producerOf(tape, 'y2')?.op, 'Add');
  assert.notEqual(producerOf(tape, 'y1')?.id, producerOf(tape, 'y2')?.id);
  assert.equal(producerOf(tape, 'w1')?.kind, 'tensor', 'w1 is a leaf');
  const mul = tape.nodes.find((n) => n.op === 'Mul' && n.argNames?.[1] === 'w1');
  assert.deepEqual(mul?.argNames, ['x', 'w1'], 'x.mul(w1) passes x and w1');
  assert.ok(tape.gradientCalls.some((c) => tape.tensors.find((t) => t.id === c.targets[0])?.name === 'y2'));
});

test("seed 004's z = gT(x1, x2): x1, x2 and z, and gT's parameters on the ops inside it", async () => {
  const [tape] = await tapesOfExampleCell('004_gradient_tape_and_optimizers.ts', /^The same g on tensors/);
  const names = namesOn(tape);
  for (const n of ['x1', 'x2', 'z']) assert.ok(names.has(n), `${n} is named (names: ${[...names].join(', ')})`);
  assert.equal(producerOf(tape, 'z')?.op, 'Mul', 'z = (x1 + 5) · x2² ends in a Mul');
  const inside = tape.nodes.filter((n) => n.kind === 'op');
  assert.ok(inside.every((n) => n.inFunction === 'gT'), `every op is inside gT: ${inside.map((n) => `${n.op}:${n.inFunction}`).join(', ')}`);
  assert.deepEqual(inside.find((n) => n.op === 'Add')?.argNames, ['x1', null], 'x1.add(5) inside gT passes its parameter x1');
  assert.deepEqual(inside.find((n) => n.op === 'Pow')?.argNames, ['x2', null], 'x2.pow(2) passes its parameter x2');
});

test("a function's parameter names the tensor passed in when no binding holds it; destructured bindings name each", async () => {
  const k = await startKernel();
  kernels.push(k);
  let tapes: TapeTrace[] = [];
  k.onTapes.event((e) => { tapes = e.tapes; });
  const code = [
    'const f = (weight: any, bias: any) => weight.mul(3).add(bias);',
    'const tape = new tf.GradientTape({ persistent: true });',
    'const a = new tf.Variable(2.0);',
    'const [p, q] = tape.record(() => { const h = f(a, tf.constant(1)); return [h.mul(2), h.square()]; });',
    'const [dpDa, dqDa] = [tape.gradient(p, a), tape.gradient(q, a)];',
  ].join('\n');
  assert.equal((await k.run(cell(code))).outcome, 'ok');
  const [tape] = tapes;
  const names = namesOn(tape);
  for (const n of ['a', 'bias', 'h', 'p', 'q']) assert.ok(names.has(n), `${n} is named (names: ${[...names].join(', ')})`);
  assert.equal(producerOf(tape, 'h')?.op, 'Add', 'h = f(…) is the Add at the end of f');
  assert.equal(producerOf(tape, 'a')?.op, 'Variable', "the Variable's default name gives way to its binding");
});

test('Keras layers keep their weight names; an explanation names the user\'s tensor, not its id', async () => {
  const k = await startKernel();
  kernels.push(k);
  let tapes: TapeTrace[] = [];
  k.onTapes.event((e) => { tapes = e.tapes; });
  const code = [
    'const layer = tf.keras.layers.Dense(2);',
    'const inputs = tf.ones([1, 3]);',
    'layer(inputs);',
    'const h = tf.constant([[1, 2]]);',
    'const tape = new tf.GradientTape();',
    'const out = tape.record(() => { tape.watch(inputs); return layer(inputs).sum(); });',
    'const g = tape.gradient(out, [h, layer.kernel]);',
  ].join('\n');
  const result = await k.run(cell(code));
  assert.equal(result.outcome, 'ok', result.error?.message);
  const [tape] = tapes;
  const names = namesOn(tape);
  assert.ok([...names].some((n) => /dense(_\d+)?\/kernel/.test(n)), `a Keras kernel name in ${[...names].join(', ')}`);
  for (const n of ['inputs', 'out']) assert.ok(names.has(n), `${n} is named (names: ${[...names].join(', ')})`);
  const h = tape.tensors.find((t) => t.name === 'h');
  assert.ok(h?.nullExplanation, 'h has a null explanation');
  assert.doesNotMatch(h.nullExplanation, /#\d+/, h.nullExplanation);
  assert.match(h.nullExplanation, /^`h` is a constant the tape never watched; call tape.watch\(h\) inside record\(\)/, h.nullExplanation);
});

test('a null gradient is explained in the user\'s names: "no recorded path from `x` to `y`: … through `h` (Mul, line 2)"', async () => {
  const k = await startKernel();
  kernels.push(k);
  let tapes: TapeTrace[] = [];
  k.onTapes.event((e) => { tapes = e.tapes; });
  const code = [
    'const x = tf.constant([1.0, 2.0]);',
    'const h = x.mul(3);',
    'const tape = new tf.GradientTape({ persistent: true });',
    'const y = tape.record(() => { tape.watch([x, h]); return h.square(); });',
    'const g = tape.gradient(y, x);',
    'tape.explainGradient(y, x).message',
  ].join('\n');
  const result = await k.run(cell(code));
  assert.equal(result.outcome, 'ok', result.error?.message);
  const x = tapes[0].tensors.find((t) => t.name === 'x');
  assert.equal(x?.nullReason, 'recorded-outside');
  assert.match(x!.nullExplanation!, /^no recorded path from `x` to `y`: the target depends on it through `h` \(Mul, line 2\), but that op ran before recording began/);
  assert.match(x!.nullExplanation!, /watch `x` and compute `h` inside record\(\)$/);
  assert.match(result.value ?? '', /no recorded path from `x` to `y`: the target depends on it through `h` \(Mul, line 2\)/, 'tape.explainGradient in a cell says the same');
});

test('check numerics names the binding and the inputs by the user\'s names, forward and backward', async () => {
  const k = await startKernel();
  kernels.push(k);
  const code = [
    'tf.debugging.enableCheckNumerics();',
    'const below = tf.constant([-1, 1]);',
    'const zero = tf.constant([0.0, 4.0]);',
    'const messages: string[] = [];',
    'try { const logged = tf.log(below); } catch (e) { messages.push((e as Error).message); }',
    'const t2 = new tf.GradientTape();',
    'const r = t2.record(() => { t2.watch(zero); const root = tf.sqrt(zero.mul(zero)); return root.sum(); });',
    'try { t2.gradient(r, zero); } catch (e) { messages.push((e as Error).message); }',
    'tf.debugging.disableCheckNumerics();',
    'messages.join("\\n")',
  ].join('\n');
  const result = await k.run(cell(code, 20));
  assert.equal(result.outcome, 'ok', result.error?.message);
  const [forward, backward] = (result.value ?? '').replace(/^'|'$/g, '').split(/\\n|\n/);
  assert.match(forward, /^check numerics: Log → `logged` at .*kernel_test_cells\.ts:25 produced 1 NaN and 0 Inf in its output float32\[2\]; inputs: `below` float32\[2\] min=-1 max=1$/, forward);
  assert.match(backward, /^check numerics: the gradient of Sqrt → `root` at .*kernel_test_cells\.ts:27 produced .* op inputs: float32\[2\] min=0 max=16$/, backward);
});

test("seed 004's descent loop: gradient(loss, v) names the step's target, which only a block-scoped const held", async () => {
  const tapes = await tapesOfExampleCell('004_gradient_tape_and_optimizers.ts', /^Gradient descent by hand/);
  const newest = [...tapes].sort((a, b) => b.order - a.order)[0];
  const [call] = newest.gradientCalls;
  const nameOf = (id: number) => newest.tensors.find((t) => t.id === id)?.name;
  assert.equal(nameOf(call.targets[0]), 'loss', 'the target, made by the Sub inside fT, is the loop\'s loss');
  assert.equal(nameOf(call.sources[0]), 'v');
  assert.equal(producerOf(newest, 'loss')?.op, 'Sub', 'fT(v) = 3v² + 2v − 1 ends in a Sub');
});
