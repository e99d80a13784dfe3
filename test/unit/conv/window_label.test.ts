// The inspector's words for sliding-window ops: what a Conv2D / MaxPool node says on its face and in its
// details, from the attributes the engine records (engine/shape/conv_shape.ts windowAttrs) — checked on
// attributes made by the real ops, so a change of either side breaks this test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture, type Tensor } from '../../../engine';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { attrRows, opLabel } from '../../../webview/graph/window_label';

function recordedNodes(fn: (x: Tensor) => Tensor) {
  traceCapture.begin();
  let tapes: TapeTrace[];
  try {
    const tape = new tf.GradientTape();
    const x = tf.ones([1, 9, 9, 2]);
    const y = tape.record(() => { tape.watch(x); return fn(x); });
    tape.gradient(y, x);
  } finally {
    tapes = traceCapture.end();
  }
  return tapes[0].nodes.filter((n) => n.kind === 'op');
}

test('conv and pool nodes read their kernel, stride, padding (and dilation when not 1); other ops keep their name', () => {
  const w = tf.ones([3, 3, 2, 4]);
  const cases: Array<[(x: Tensor) => Tensor, string, string]> = [
    [(x) => tf.nn.conv2d(x, w, 1, 'SAME'), 'Conv2D', 'Conv2D 3×3 /1 SAME'],
    [(x) => tf.nn.conv2d(x, w, [2, 1], 'VALID', 'NHWC', 1), 'Conv2D', 'Conv2D 3×3 /2×1 VALID'],
    [(x) => tf.nn.conv2d(x, w, 1, 'VALID', 'NHWC', 2), 'Conv2D', 'Conv2D 3×3 /1 VALID d2'],
    [(x) => tf.nn.conv2d(x, w, 1, [[0, 0], [1, 2], [0, 1], [0, 0]]), 'Conv2D', 'Conv2D 3×3 /1 pad t1 b2 l0 r1'],
    [(x) => tf.nn.maxPool2d(x, 2, 2, 'VALID'), 'MaxPool', 'MaxPool 2×2 /2 VALID'],
    [(x) => tf.nn.avgPool2d(x, [3, 2], 1, 'SAME'), 'AvgPool', 'AvgPool 3×2 /1 SAME'],
    [(x) => tf.relu(x), 'Relu', 'Relu'],
  ];
  for (const [fn, op, label] of cases) {
    const node = recordedNodes(fn).find((n) => n.op === op);
    assert.ok(node, `${op} was recorded`);
    assert.equal(opLabel(node), label);
  }
});

test('details list the window attributes in words, other attributes compactly', () => {
  const [conv] = recordedNodes((x) => tf.nn.conv2d(x, tf.ones([3, 3, 2, 4]), [1, 2], 'SAME')).filter((n) => n.op === 'Conv2D');
  assert.deepEqual(attrRows(conv.attrs), [['kernel', '3×3'], ['strides', '1×2'], ['dilations', '1×1'], ['padding', 'SAME']]);
  assert.deepEqual(attrRows({ axis: [1], keepDims: false, activation: 'relu' }), [['axis', '[1]'], ['keepDims', 'false'], ['activation', 'relu']]);
  assert.deepEqual(attrRows(undefined), []);
});
