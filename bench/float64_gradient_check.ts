// The float64 gradient check the bench times: tf.test.checkTape over a Dense 784→128 tanh → 10 MLP, batch 128,
// W1, W2 and every node between. It takes the engine as a parameter so bench/ab/f64_check.mts can run the very
// same check against another checkout's engine.
import type { tf as Engine } from '../engine';

/** Builds the inputs once and returns the check; it throws when the gradients disagree with finite differences. */
export function float64GradientCheck(tf: typeof Engine): () => void {
  const normal = (shape: number[], stddev: number, seed: number) => tf.cast(tf.random.normal(shape, { stddev, seed }), 'float64');
  const x = normal([128, 784], 1, 1);
  const w1 = normal([784, 128], 0.05, 2);
  const w2 = normal([128, 10], 0.1, 3);
  const labels = tf.cast(tf.oneHot(tf.constant(Array.from({ length: 128 }, (_, i) => i % 10), 'int32'), 10), 'float64');
  return () => {
    const tape = new tf.GradientTape({ persistent: true, checkable: true });
    const loss = tape.record(() => {
      tape.watch(w1);
      tape.watch(w2);
      return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits(labels, tf.matmul(tf.tanh(tf.matmul(x, w1)), w2)));
    });
    if (!tf.test.checkTape(tape, loss, [w1, w2]).ok) throw new Error('bench: the float64 gradient check failed');
  };
}
