// Image grids of rank-4 tensors in the trace: tiles index the tensor as NHWC activations or HWIO filters,
// large tiles are block-averaged, and the trace lays out a convolution's filter (and its gradient) as HWIO.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tf, traceCapture } from '../../../engine';
import { imageGrid } from '../../../engine/trace/image_grid';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { validateHostToInspector } from '../../../src/protocol/inspector_messages';

test('NHWC: a row per image, a tile per channel, values at [image, y, x, channel]', () => {
  const shape = [3, 2, 2, 20];
  const values = Array.from({ length: 3 * 2 * 2 * 20 }, (_, i) => i);
  const grid = imageGrid(values, shape, 'NHWC');
  assert.deepEqual([grid.rows, grid.cols, grid.totalRows, grid.totalCols, grid.tileHeight, grid.tileWidth], [2, 16, 3, 20, 2, 2]);
  // image 1, channel 5, pixel (1, 0) is flat index ((1·2 + 1)·2 + 0)·20 + 5
  const tile = 1 * 16 + 5;
  assert.equal(grid.values[tile * 4 + 2], ((1 * 2 + 1) * 2 + 0) * 20 + 5);
});

test('HWIO: a row per input channel, a tile per filter, values at [y, x, in, out]', () => {
  const shape = [3, 3, 2, 4];
  const values = Array.from({ length: 72 }, (_, i) => i);
  const grid = imageGrid(values, shape, 'HWIO');
  assert.deepEqual([grid.rows, grid.cols, grid.tileHeight, grid.tileWidth], [2, 4, 3, 3]);
  const tile = 1 * 4 + 3; // input channel 1, filter 3
  assert.equal(grid.values[tile * 9 + 5], ((1 * 3 + 2) * 2 + 1) * 4 + 3); // tap (1, 2)
});

test('tiles larger than 16×16 are block-averaged', () => {
  const grid = imageGrid(Array.from({ length: 32 * 32 }, (_, i) => (Math.floor(i / 32) < 16 ? 1 : 3)), [1, 32, 32, 1], 'NHWC');
  assert.deepEqual([grid.tileHeight, grid.tileWidth, grid.sourceTile], [16, 16, [32, 32]]);
  assert.equal(grid.values[0], 1);
  assert.equal(grid.values[255], 3);
});

test('a traced conv step lays its filter and the filter\'s gradient out as HWIO, activations as NHWC, and the message validates', () => {
  const filter = new tf.Variable(tf.random.normal([3, 3, 2, 5], { seed: 1 }), { name: 'filter' });
  const x = tf.random.normal([2, 6, 6, 2], { seed: 2 });
  let trace: TapeTrace;
  traceCapture.begin();
  try {
    const tape = new tf.GradientTape();
    const y = tape.record(() => tf.reduceSum(tf.nn.maxPool2d(tf.nn.conv2d(x, filter, 1, 'SAME'), 2, 2, 'VALID')));
    tape.gradient(y, filter);
  } finally {
    [trace] = traceCapture.end();
  }
  const f = trace.tensors.find((t) => t.name === 'filter')!;
  assert.equal(f.value?.imageGrid?.layout, 'HWIO');
  assert.equal(f.grad?.imageGrid?.layout, 'HWIO');
  const convOut = trace.tensors.find((t) => t.id === trace.nodes.find((n) => n.op === 'Conv2D')!.output)!;
  assert.equal(convOut.value?.imageGrid?.layout, 'NHWC');
  assert.deepEqual(trace.nodes.find((n) => n.op === 'MaxPool')!.attrs, { kernelSize: [2, 2], strides: [2, 2], padding: 'VALID' });
  const message = JSON.parse(JSON.stringify({ type: 'tapes', run: { runId: 1, cellTitle: 'c', file: '/f.ts', line: 1 }, tapes: [trace] }));
  validateHostToInspector(message);
  message.tapes[0].tensors.find((t: { name?: string }) => t.name === 'filter').value.imageGrid.values.pop();
  assert.throws(() => validateHostToInspector(message), /imageGrid needs/, 'a grid with a value missing is rejected');
});

test('readDataSets({reshape: false}) hands out [batch, 28, 28, 1] images (TF\'s reshape=False)', { skip: !existsSync('/usr/share/datasets/fashion-mnist') }, () => {
  const sets = tf.data.readDataSets({ reshape: false, seed: 1, validationSize: 100 });
  assert.deepEqual(sets.train.nextBatch(5)[0].shape, [5, 28, 28, 1]);
  assert.deepEqual(sets.test.images.shape, [10000, 28, 28, 1]);
  assert.deepEqual(tf.data.readDataSets({ seed: 1, validationSize: 100 }).train.nextBatch(5)[0].shape, [5, 784]);
});
