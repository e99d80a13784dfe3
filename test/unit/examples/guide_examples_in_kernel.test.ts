// TF's guides transcribed as cell files run cell by cell in the real kernel (worker + engine): "Writing a
// training loop from scratch" on the real Fashion-MNIST files reaches ≥ 84% validation accuracy, and
// "Advanced automatic differentiation" prints the numbers and shapes the guide states.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startKernel } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import { splitCells } from '../../../src/cells/cell_splitter';

const repoRoot = resolve(__dirname, '../../..');
const kernels: Kernel[] = [];
after(async () => { await Promise.all(kernels.map((k) => k.dispose())); });

async function runExample(name: string): Promise<{ output: string; values: (string | undefined)[] }> {
  const k = await startKernel({ maxOldGenerationSizeMb: 1024 });
  kernels.push(k);
  let output = '';
  k.onStream.event((e) => { output += e.text; });
  const file = join(repoRoot, 'examples', name);
  const values: (string | undefined)[] = [];
  const cells = splitCells(readFileSync(file, 'utf8'));
  assert.ok(cells.length >= 6, `${name} has its cells`);
  for (const c of cells) {
    const result = await k.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `${name} cell ${c.index} (${c.title}): ${result.error?.message}`);
    values.push(result.value);
  }
  return { output, values };
}

test('examples/training_loop_from_scratch.ts: the guide\'s loop with a tf.function step reaches ≥ 84% validation accuracy', async () => {
  const { output, values } = await runExample('training_loop_from_scratch.ts');
  assert.match(output, /50000 training and 10000 validation examples, 782 steps per epoch/);
  const losses = [...output.matchAll(/Training loss \(for one batch\) at step \d+: ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.equal(losses.length, 8, output);
  assert.ok(losses[0] > 2 && losses[losses.length - 1] < 0.7, `the loss falls from ~2.3: ${losses}`);
  const trainAcc = [...output.matchAll(/Training acc over epoch: ([\d.]+)/g)].map((m) => Number(m[1]));
  const valAcc = [...output.matchAll(/Validation acc: ([\d.]+)/g)].map((m) => Number(m[1]));
  assert.equal(valAcc.length, 2, output);
  assert.ok(trainAcc[1] > trainAcc[0], `train accuracy improves per epoch: ${trainAcc}`);
  assert.ok(valAcc[1] >= 0.84, `validation accuracy ${valAcc[1]} ≥ 0.84`);
  const testAcc = Number(/numpy=([\d.]+)/.exec(values[values.length - 1] ?? '')?.[1]);
  assert.ok(testAcc >= 0.82, `test accuracy ${testAcc}`);
});

test('examples/advanced_autodiff.ts: stop recording, custom clipping gradient, x³ → 3 and 6, Jacobian and Hessian shapes, clipping, tf.cond', async () => {
  const { output } = await runExample('advanced_autodiff.ts');
  assert.match(output, /dz\/dx: tf\.Tensor\(4\.0, shape=\(\), dtype=float32\)\ndz\/dy: None\ndz\/dx: tf\.Tensor\(4\.0, shape=\(\), dtype=float32\)\ndz\/dy: None/);
  assert.match(output, /clipped gradient: tf\.Tensor\(2\.0, shape=\(\), dtype=float32\)/);
  assert.match(output, /dy_dx: 3\nd2y_dx2: 6/);
  assert.match(output, /regulariser gradient shapes: \[\[5, 10\], \[10\]\]/);
  assert.match(output, /jacobian shape: \[201\] max \|jacobian - gradient\|: (0\.00e\+0|[\d.]+e-[89])/);
  assert.match(output, /kernel jacobian shape: \[7, 10, 5, 10\]/);
  const gap = Number(/max \|gradient - summed jacobian\|: ([\d.e+-]+)/.exec(output)?.[1]);
  assert.ok(gap < 1e-5, `summed Jacobian equals the gradient: ${gap}`);
  assert.match(output, /hessian shape: \[5, 8, 5, 8\]/);
  assert.match(output, /newton equation residual \|\(H \+ εI\)·u - g\|: True/);
  assert.match(output, /jacobian: \[2, 6, 2, 3\] batch jacobian: \[2, 6, 3\]\ndiagonal blocks agree: True/);
  const clip = /global norm ([\d.]+) clipped to ([\d.]+)/.exec(output);
  assert.ok(clip !== null && Number(clip[1]) > 1 && Number(clip[2]) === 1, output);
  assert.match(output, /'globalClipnorm': 1/);
  assert.match(output, /x=2: y=8\.0000 dy\/dx=12\.0000\nx=-0\.5: y=-0\.4794 dy\/dx=0\.8776\ntraces: 1/);
});
