// Cells for the backward-pass replay, recorded by the real engine under trace capture at test time. Tensors get the
// names the kernel gives a cell's bindings (y1, w1, …), as a user's cell would show them.
import { tf, traceCapture } from '../../engine';
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { Tensor } from '../../engine/tensor/tensor';

/** Runs `cell` under trace capture and returns the one tape it recorded. */
function recordOneTape(cell: () => void): TapeTrace {
  traceCapture.begin();
  let tapes: TapeTrace[] = [];
  try {
    cell();
  } finally {
    tapes = traceCapture.end();
  }
  return tapes[0];
}

function named<T extends Tensor>(t: T, name: string): T {
  t.name = name;
  return t;
}

/** Seed 000, "The chain rule": y1 = x·w1 + b1, y2 = y1·w2 + b2, then dy2/dy1, dy1/dw1, dy2/dw1 on one persistent tape. */
export function namedChainRuleTape(): TapeTrace {
  return recordOneTape(() => {
    const x = named(tf.constant(1.0), 'x');
    const [w1, b1, w2, b2] = (['w1', 'b1', 'w2', 'b2'] as const).map((n, i) => named(tf.constant([2, 1, 2, 1][i]), n));
    const tape = new tf.GradientTape({ persistent: true });
    let y1: Tensor = x;
    const y2 = tape.record(() => {
      tape.watch([w1, b1, w2, b2]);
      y1 = named(x.mul(w1).add(b1), 'y1');
      return named(y1.mul(w2).add(b2), 'y2');
    });
    tape.gradient(y2, [y1]);
    tape.gradient(y1, [w1]);
    tape.gradient(y2, [w1]);
  });
}

/** z = x·x + 3x at x = 5: x feeds three edges, its gradient 2x + 3 = 13 is the sum of 5, 5 and 3. */
export function sharedInputTape(name = 'x'): TapeTrace {
  return recordOneTape(() => {
    const x = named(tf.constant(5), name);
    const tape = new tf.GradientTape();
    const z = tape.record(() => { tape.watch(x); return named(x.mul(x).add(x.mul(3)), 'z'); });
    tape.gradient(z, x);
  });
}

/** Runs `cell` under trace capture and returns every tape it recorded. */
function recordTapes(cell: () => void): TapeTrace[] {
  let tapes: TapeTrace[] = [];
  traceCapture.begin();
  try {
    cell();
  } finally {
    tapes = traceCapture.end();
  }
  return tapes;
}

/** Seed 001: y = x³ at x = 1 through nested tapes, dy/dx = 3 (inner), d²y/dx² = 6 (outer). */
export function nestedCubeTapes(): { tapes: TapeTrace[]; outer: number; inner: number } {
  let outerId = 0, innerId = 0;
  const tapes = recordTapes(() => {
    const x = named(tf.constant(1.0), 'x');
    const outer = new tf.GradientTape();
    let dyDx: Tensor = x;
    outer.record(() => {
      outer.watch(x);
      const inner = new tf.GradientTape();
      const y = inner.record(() => { inner.watch(x); return named(x.mul(x).mul(x), 'y'); });
      dyDx = named(inner.gradient(y, x) as Tensor, 'dy_dx');
      innerId = inner.id;
    });
    outer.gradient(dyDx, x);
    outerId = outer.id;
  });
  return { tapes, outer: outerId, inner: innerId };
}

/** Seed 004, In[35]: z = (x1 + 5)·x2² at (2, 3); the outer tape's gradients of the inner gradients, [[None, 6], [6, 14]]. */
export function hessianTapes(): { tapes: TapeTrace[]; outer: number } {
  let outerId = 0;
  const tapes = recordTapes(() => {
    const x1 = new tf.Variable(tf.constant(2.0), { name: 'x1' });
    const x2 = new tf.Variable(tf.constant(3.0), { name: 'x2' });
    const outer = new tf.GradientTape({ persistent: true });
    let innerGrads: Array<Tensor | null> = [];
    outer.record(() => {
      const inner = new tf.GradientTape({ persistent: true });
      const z = inner.record(() => named(x1.add(5).mul(x2.square()), 'z'));
      innerGrads = inner.gradient(z, [x1, x2]);
    });
    for (const g of innerGrads) outer.gradient(g!, [x1, x2]);
    outerId = outer.id;
  });
  return { tapes, outer: outerId };
}

/** y = x² at x = [1, 2] (Jacobian [[2, 0], [0, 4]]); u = x·w for a batch, w unconnected to y. */
export function jacobianTape(): TapeTrace {
  return recordOneTape(() => {
    const x = named(tf.constant([1, 2]), 'x');
    const w = named(tf.constant([3, 4]), 'w');
    const xb = named(tf.constant([[1, 2], [3, 4]]), 'xb');
    const tape = new tf.GradientTape({ persistent: true });
    const [y, yb] = tape.record(() => {
      tape.watch([x, w, xb]);
      return [named(x.square(), 'y'), named(xb.square(), 'yb')];
    });
    tape.jacobian(y, [x, w]);
    tape.batchJacobian(yb, xb);
  });
}
