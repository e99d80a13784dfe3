// Graph mode: tf.function traces a function into a static graph once per input signature and replays it;
// inside it, tf.gradients adds gradient nodes to the graph, and can differentiate its own results again.
// This is how seed 003 gets derivatives with respect to x even though the network sees X = concat([x, t]).
// Open the inspector: the traced graph (mode 'graph') appears beside the eager tapes, gradient nodes marked.
import type { Tensor } from 'tapescope';

// %% Outside a traced function tf.gradients refuses, as in TF 2
try {
  tf.gradients(tf.constant(1.0), tf.constant(1.0));
} catch (e) {
  print((e as Error).message);
}

// %% First, second and third derivatives of y = tanh(concat([x, t]) @ w) with respect to x
let derivatives = tf.function((x: Tensor, t: Tensor) => {
  const X = tf.concat([x, t], 1);
  const y = tf.tanh(tf.matmul(X, tf.constant([[2.0], [1.0]])));
  const [g1] = tf.gradients(y, x);
  const [g2] = tf.gradients(y, t);
  const [gg1] = tf.gradients(g1!, x);
  const [ggg1] = tf.gradients(gg1!, x);
  return [g1!, g2!, gg1!, ggg1!];
});
let [g1, g2, gg1, ggg1] = derivatives(tf.ones([4, 1]), tf.ones([4, 1]));
// the seed prints 0.01973224, 0.00986612, -0.07853862, 0.31104344
print(g1.numpy(), g2.numpy(), gg1.numpy(), ggg1.numpy());

// %% Same signature: the graph is replayed, the function body does not run again
derivatives(tf.ones([4, 1]).mul(0.5), tf.ones([4, 1]));
derivatives(tf.ones([4, 1]).mul(-1), tf.ones([4, 1]));
print('traces:', derivatives.tracingCount);
// a new shape retraces
derivatives(tf.ones([2, 1]), tf.ones([2, 1]));
print('traces:', derivatives.tracingCount);

// %% The X⁴ cells of seed 003 in graph mode: g1 = 4X³, and a column of the second derivative
let quartic = tf.function((x: Tensor, t: Tensor) => {
  const X = tf.concat([x, t], 1);
  const [g] = tf.gradients(X.mul(X).mul(X).mul(X), X);
  const [gg] = tf.gradients(g!, X);
  return [g!, gg!.slice([0, 0], [-1, 1])];
});
quartic(tf.ones([4, 1]), tf.ones([4, 1]).mul(2))

// %% tf.gradients options: gradYs weights, stopGradients holds tensors constant, unconnected → null or zeros
let options = tf.function((x: Tensor, z: Tensor) => {
  const a = x.mul(x);
  return {
    weighted: tf.gradients(a, x, { gradYs: tf.constant([10.0, 100.0]) })[0],
    held: tf.gradients(a.mul(a), x, { stopGradients: a })[0],
    unconnected: tf.gradients(a, z)[0],
    zeros: tf.gradients(a, z, { unconnectedGradients: 'zero' })[0],
  };
});
options(tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0]))

// %% The traced graph as the inspector draws it: forward ops, then the gradient ops
let trace = derivatives.getTrace()!;
print(trace.mode, trace.nodes.filter((n) => n.kind === 'op').length, 'op nodes');
print(trace.nodes.filter((n) => n.kind === 'op' && n.recordedDuringGradientOf === undefined).map((n) => n.op));
