// examples/cnn_fashion_mnist.ts, cell by cell in the real kernel (worker + engine) on the real Fashion-MNIST
// files, with its training shortened to 30 steps and its evaluation to 500 test images: the loss streams,
// accuracy lands far above chance (10%), and the tape of the inspection cell reaches the host with its Conv2D
// nodes' attributes and the filters' gradient as an image grid.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startKernel } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import type { MetricPoint, TapeTrace } from '../../../engine/trace/trace_format';
import { splitCells } from '../../../src/cells/cell_splitter';

const file = join(resolve(__dirname, '../../..'), 'examples', 'cnn_fashion_mnist.ts');
const skip = existsSync('/usr/share/datasets/fashion-mnist') ? false : 'Fashion-MNIST is not installed (apt-get install dataset-fashion-mnist)';
let kernel: Kernel | undefined;
after(async () => { await kernel?.dispose(); });

/** The example's own text with the training and evaluation made short; the test fails if those lines change. */
function shortened(code: string): string {
  const edits: Array<[string, string]> = [
    ['const epochs = 3;', 'const epochs = 1;'],
    ['const stepsPerEpoch = Math.floor(dataset.train.numExamples / batchSize);', 'const stepsPerEpoch = 30;'],
    ['const evaluatedImages = dataset.test.numExamples;', 'const evaluatedImages = 500;'],
  ];
  for (const [from, to] of edits) if (code.includes(from)) code = code.replace(from, to);
  return code;
}

test('the CNN example trains, evaluates far above chance and hands the inspector its tape, cell by cell in the kernel', { skip, timeout: 240_000 }, async () => {
  const source = readFileSync(file, 'utf8');
  for (const line of ['const epochs = 3;', 'const stepsPerEpoch = Math.floor(', 'const evaluatedImages = dataset.test.numExamples;']) {
    assert.ok(source.includes(line), `the example still has '${line}'`);
  }
  kernel = await startKernel({ maxOldGenerationSizeMb: 2048 });
  let output = '';
  const points: MetricPoint[] = [];
  const tapes: TapeTrace[][] = [];
  kernel.onStream.event((e) => { output += e.text; });
  kernel.onMetrics.event((e) => points.push(...e.points));
  kernel.onTapes.event((e) => tapes.push(e.tapes));
  const values: Array<string | undefined> = [];
  for (const c of splitCells(source)) {
    tapes.length = 0;
    const result = await kernel.run({ code: shortened(c.code), file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `cell ${c.index} (${c.title}): ${result.error?.message}`);
    values.push(result.value);
  }
  assert.match(output, /55000 training images of shape \[ ?28, ?28, ?1 ?\]/);
  assert.match(output, /conv2d \(Conv2D\)\s+\(None, 26, 26, 32\)\s+320/);
  assert.match(output, /Total params: 225,034/);
  assert.equal(points.filter((p) => p.name === 'loss').length, 30, 'one loss point per step streamed');
  const accuracy = Number(/test accuracy: ([\d.]+)%/.exec(output)?.[1]) / 100;
  assert.ok(accuracy > 0.4, `test accuracy after 30 steps: ${accuracy} (chance is 0.1)`);
  assert.ok(values.some((v) => v !== undefined && Math.abs(Number(v) - accuracy) < 1e-3), `the evaluation cell's value is the accuracy: ${values.join(' | ')}`);
  const zeros = Number(/([\d.]+)% of the first activations' gradient is exactly zero/.exec(output)?.[1]);
  assert.ok(zeros >= 75, `max pooling leaves at least 3 of 4 activations without gradient: ${zeros}%`);
  const [probe] = tapes.flat().filter((t) => t.nodes.some((n) => n.op === 'Conv2D'));
  assert.ok(probe, 'the inspection cell sent a tape with a Conv2D node');
  assert.deepEqual(probe.nodes.find((n) => n.op === 'Conv2D')!.attrs, { kernelSize: [3, 3], strides: [1, 1], dilations: [1, 1], padding: 'VALID' });
  const kernelTensor = probe.tensors.find((t) => t.name === 'conv2d/kernel')!;
  assert.equal(kernelTensor.grad?.imageGrid?.layout, 'HWIO');
  assert.equal(kernelTensor.grad?.imageGrid?.cols, 32);
});
