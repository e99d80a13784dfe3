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
