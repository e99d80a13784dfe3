// The seed 002 training step multiplies only what a source needs: X@W1 and H@W2 forward, dH, dW2 and dW1
// backward, and never dX = dZ@W1ᵀ (the input is no source), counted at the matmul kernel itself.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';
import { wasmMatmulF32 } from '../../../engine/kernels/matmul/matmul_wasm';

test('a Dense 784→128 relu → 10 softmax step runs five products and skips the first layer\'s input gradient', () => {
  const kernel = wasmMatmulF32!;
  assert.ok(kernel !== null);
  const input = tf.keras.Input({ shape: [784] });
  const hidden = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
  const model = tf.keras.Model({ inputs: input, outputs: tf.keras.layers.Dense(10, { activation: 'softmax' })(hidden) });
  const optimizer = tf.keras.optimizers.Adam();
  const x = tf.random.uniform([32, 784], { seed: 1 });
  const y = tf.oneHot(tf.constant(Array.from({ length: 32 }, (_, i) => i % 10), 'int32'), 10);
  const products: string[] = [];
  const run = kernel.run;
  kernel.run = function (a, b, out, m, k, n, transposeA, transposeB, immutable) {
    products.push(`${m}x${k}x${n}${transposeA ? ' Aᵀ' : ''}${transposeB ? ' Bᵀ' : ''}`);
    return run.call(this, a, b, out, m, k, n, transposeA, transposeB, immutable);
  };
  try {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(y, model(x))));
    optimizer.applyGradients(tape.gradient(loss, model.trainableVariables), model.trainableVariables);
  } finally {
    kernel.run = run;
  }
  assert.deepEqual(products.sort(), ['128x32x10 Aᵀ', '32x10x128 Bᵀ', '32x128x10', '32x784x128', '784x32x128 Aᵀ'].sort());
});
