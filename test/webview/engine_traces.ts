// Traces recorded by the real engine from the seed cells, made at test time (never hand-edited JSON).
// Each function runs one seed cell under traceCapture and returns what the worker would send.
import { tf, traceCapture } from '../../engine';
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { Tensor } from '../../engine/tensor/tensor';

export interface RecordedCell {
  title: string;
  tapes: TapeTrace[];
  /** The engine's own gradients, by source name, for the tests to compare with what the page shows. */
  gradients: Record<string, number[] | null>;
}

function capture(fn: () => Record<string, Tensor | null>): { tapes: TapeTrace[]; gradients: Record<string, number[] | null> } {
  traceCapture.begin();
  let grads: Record<string, Tensor | null> = {};
  let tapes: TapeTrace[];
  try {
    grads = fn();
  } finally {
    tapes = traceCapture.end();
  }
  const gradients: Record<string, number[] | null> = {};
  for (const [name, g] of Object.entries(grads)) gradients[name] = g ? Array.from(g.dataSync() as ArrayLike<number>) : null;
  return { tapes, gradients };
}

/** Seed 000, In[15]-[16]: MSE gradient of softmax(x@w+b) with respect to w and b. */
export function mseCell(): RecordedCell {
  tf.random.setSeed(7);
  return {
    title: 'MSE gradient', ...capture(() => {
      const x = tf.random.normal([2, 4]);
      const w = tf.random.normal([4, 3]);
      const b = tf.zeros([3]);
      const y = tf.constant([2, 0], 'int32');
      w.name = 'w';
      b.name = 'b';
      const tape = new tf.GradientTape();
      const loss = tape.record(() => {
        tape.watch([w, b]);
        const prob = tf.nn.softmax(tf.add(tf.matmul(x, w), b), 1);
        return tf.reduceMean(tf.losses.MSE(tf.oneHot(y, 3), prob));
      });
      const [gw, gb] = tape.gradient(loss, [w, b]);
      return { w: gw, b: gb };
    }),
  };
}

/** Seed 000, In[8]: a persistent tape; y was computed before recording began, so dy/dw is None. */
export function persistentNullCell(): RecordedCell {
  return {
    title: 'persistent tape', ...capture(() => {
      const w = tf.constant(1);
      const x = tf.constant(2);
      w.name = 'w';
      const y = tf.mul(x, w);
      const tape = new tf.GradientTape({ persistent: true });
      const y2 = tape.record(() => {
        tape.watch([w]);
        return tf.mul(x, w);
      });
      const [grad1] = tape.gradient(y, [w]);
      const [grad2] = tape.gradient(y2, [w]);
      return { grad1, grad2 };
    }),
  };
}

/** Seed 001: second derivative through nested tapes, y = x*x at x = 3. */
export function nestedTapeCell(): RecordedCell {
  return {
    title: 'second derivative', ...capture(() => {
      const x = new tf.Variable(tf.constant(3), { name: 'x' });
      const t = new tf.GradientTape();
      let dydx: Tensor | null = null;
      const d2 = t.record(() => {
        const t2 = new tf.GradientTape();
        const y = t2.record(() => tf.mul(x, x));
        dydx = t2.gradient(y, x) as Tensor;
        return dydx;
      });
      const d2ydx2 = t.gradient(d2, x) as Tensor | null;
      return { dydx, d2ydx2 };
    }),
  };
}

/** A Dense layer (relu(x@W+b)) under a name scope, then a loss: the scope collapses into one box. */
export function denseScopeCell(): RecordedCell {
  tf.random.setSeed(3);
  return {
    title: 'Dense layer', ...capture(() => {
      const x = tf.random.normal([8, 6]);
      const kernel = new tf.Variable(tf.random.normal([6, 4]), { name: 'kernel' });
      const bias = new tf.Variable(tf.zeros([4]), { name: 'bias' });
      const tape = new tf.GradientTape();
      const loss = tape.record(() => {
        const h = tf.nameScope('dense_1', () => tf.nn.relu(tf.add(tf.matmul(x, kernel), bias)));
        return tf.reduceMean(tf.square(h));
      });
      const [gk, gb] = tape.gradient(loss, [kernel, bias]);
      return { kernel: gk, bias: gb };
    }),
  };
}

/** A tape of about `ops` recorded ops (plus its leaf tensors): a stack of small layers, each in its
 * own name scope unless `scoped` is false. For the large-graph tests and the draw-time bench. */
export function largeTape(ops: number, scoped = true): TapeTrace {
  tf.random.setSeed(1);
  const w = new tf.Variable(tf.random.normal([4, 4]), { name: 'w' });
  let h = tf.random.normal([2, 4]);
  traceCapture.begin({ maxNodesPerTape: ops * 2 });
  const tape = new tf.GradientTape();
  const loss = tape.record(() => {
    for (let layer = 0; layer * 4 < ops; layer++) {
      const step = (): Tensor => tf.tanh(tf.add(tf.matmul(h, w), tf.mul(h, 0.5)));
      h = scoped ? tf.nameScope(`layer_${layer}`, step) : step();
    }
    return tf.reduceSum(h);
  });
  tape.gradient(loss, w);
  return traceCapture.end()[0];
}

/** Seed 000, In[12]-[13]: dy/dw = x does not depend on w, so the outer tape's d2y/dw2 is None. */
export function secondOrderNoneCell(): RecordedCell {
  return {
    title: 'second derivative is None', ...capture(() => {
      const x = new tf.Variable(tf.constant(2), { name: 'x' });
      const w = new tf.Variable(tf.constant(1), { name: 'w' });
      const b = new tf.Variable(tf.constant(0), { name: 'b' });
      const t1 = new tf.GradientTape();
      const dydw = t1.record(() => {
        const t2 = new tf.GradientTape();
        const y = t2.record(() => tf.add(tf.mul(x, w), b));
        const [dw] = t2.gradient(y, [w, b]);
        return dw as Tensor;
      });
      const d2ydw2 = t1.gradient(dydw, w) as Tensor | null;
      return { dydw, d2ydw2 };
    }),
  };
}

/** Seed 000, In[6] without tape.watch: a constant is not watched, so its gradient is None. */
export function unwatchedCell(): RecordedCell {
  return {
    title: 'unwatched constant', ...capture(() => {
      const w = tf.constant(1);
      const x = tf.constant(2);
      w.name = 'w';
      const tape = new tf.GradientTape();
      const y = tape.record(() => tf.mul(x, w));
      const [g] = tape.gradient(y, [w]);
      return { w: g };
    }),
  };
}

/** Seed 000, "The chain rule": y1 = x·w1 + b1, y2 = y1·w2 + b2 on a persistent tape, three gradient calls. */
export function chainRuleCell(): RecordedCell {
  return {
    title: 'The chain rule', ...capture(() => {
      const x = tf.constant(1.0);
      const [w1, b1, w2, b2] = [2, 1, 2, 1].map((v) => tf.constant(v));
      const tape = new tf.GradientTape({ persistent: true });
      let y1 = tf.constant(0);
      const y2 = tape.record(() => {
        tape.watch([w1, b1, w2, b2]);
        y1 = x.mul(w1).add(b1);
        return y1.mul(w2).add(b2);
      });
      const [dy2Dy1] = tape.gradient(y2, [y1]);
      const [dy1Dw1] = tape.gradient(y1, [w1]);
      const [dy2Dw1] = tape.gradient(y2, [w1]);
      return { dy2Dy1, dy1Dw1, dy2Dw1 };
    }),
  };
}

/** Seed 004, gradient descent by hand: 100 steps, one tape each (the capture keeps the newest 20). */
export function descentLoopCell(): RecordedCell {
  return {
    title: 'Gradient descent by hand', ...capture(() => {
      const fT = (v: Tensor): Tensor => v.pow(2).mul(3).add(v.mul(2)).sub(1);
      const v = new tf.Variable(0.0, { name: 'v' });
      let last: Tensor | null = null;
      for (let step = 0; step < 100; step++) {
        const stepTape = new tf.GradientTape();
        const loss = stepTape.record(() => fT(v));
        last = stepTape.gradient(loss, v) as Tensor;
        v.assignSub(last.mul(0.1));
      }
      return { last };
    }),
  };
}

/** Seed 002, one training step of the Fashion-MNIST MLP (Dense 128 relu → Dense 10 softmax) on a real batch. */
export function mnistStepCell(): RecordedCell {
  const dataset = tf.data.readDataSets(undefined, { oneHot: true, seed: 1 });
  tf.random.setSeed(5);
  const input = tf.keras.Input({ shape: [784] });
  const hidden = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
  const output = tf.keras.layers.Dense(10, { activation: 'softmax' })(hidden);
  const model = tf.keras.Model({ inputs: input, outputs: output });
  const [images, labels] = dataset.train.nextBatch(128);
  return {
    title: 'Train', ...capture(() => {
      const stepTape = new tf.GradientTape();
      const loss = stepTape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images))));
      const grads = stepTape.gradient(loss, model.trainableVariables);
      return Object.fromEntries(grads.map((g, k) => [model.trainableVariables[k].name, g]));
    }),
  };
}

/** A scalar loop of `ops` recorded ops: x ← x·0.999 + 0.001, `ops / 2` times, then the gradient w.r.t. x0. */
export function scalarLoopTape(ops: number, maxNodesPerTape = ops * 2): TapeTrace {
  const x0 = new tf.Variable(1.0, { name: 'x0' });
  traceCapture.begin({ maxNodesPerTape });
  const tape = new tf.GradientTape();
  const y = tape.record(() => {
    let x: Tensor = x0;
    for (let i = 0; i < ops / 2; i++) x = x.mul(0.999).add(0.001);
    return x;
  });
  tape.gradient(y, x0);
  return traceCapture.end()[0];
}

/** examples/debugging_gradients.ts: sqrt(0) is fine forward but its gradient is infinite; check numerics blames Sqrt. */
export function backwardNaNCell(): RecordedCell & { error: string } {
  tf.debugging.enableCheckNumerics();
  let error = '';
  try {
    const recorded = capture(() => {
      const zero = tf.constant([0.0, 4.0]);
      const tape = new tf.GradientTape();
      const r = tape.record(() => { tape.watch(zero); return tf.sqrt(zero.mul(zero).sub(zero.mul(zero))).add(zero).sum(); });
      try {
        tape.gradient(r, zero);
      } catch (e) {
        error = (e as Error).message;
      }
      return {};
    });
    return { title: 'Backward NaN', ...recorded, error };
  } finally {
    tf.debugging.disableCheckNumerics();
  }
}

/** A tape of `ops` ops with no structure to fold: each op (picked by a fixed pseudo-random sequence among seven)
 * reads the last one or two results, so no block repeats and nothing is scoped. For the layout worker's tests. */
export function irregularTape(ops: number): TapeTrace {
  const x0 = new tf.Variable(tf.constant([0.5, -0.25]), { name: 'x0' });
  traceCapture.begin({ maxNodesPerTape: ops * 2 });
  const tape = new tf.GradientTape();
  const y = tape.record(() => {
    let a: Tensor = tf.sigmoid(x0);
    let b: Tensor = tf.tanh(x0);
    let seed = 12345;
    for (let i = 1; i < ops; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const pick = Math.floor((seed / 2147483648) * 7);
      const next = [() => tf.add(a, b), () => tf.mul(a, b), () => tf.sub(a, b), () => tf.maximum(a, b),
        () => tf.minimum(a, b), () => tf.tanh(b), () => tf.sigmoid(a)][pick]();
      a = b;
      b = next;
    }
    return tf.reduceSum(b);
  });
  tape.gradient(y, x0);
  return traceCapture.end()[0];
}
