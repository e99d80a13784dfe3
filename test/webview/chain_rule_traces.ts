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
