// Finite-difference checks: tf.test.computeGradient and seed 004's approximateDerivative.
import { Tensor } from '../tensor/tensor';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { GradientTape } from '../autodiff/gradient_tape';
import { cast } from '../ops/comparison';
import { toTensor } from '../ops/op_inputs';
import { markInternalTape } from '../trace/internal_tapes';

/**
 * tf.test.approximateDerivative: the central difference (f(x+eps) - f(x-eps)) / 2eps of a function of one
 * number (returning a number or a scalar tensor), as seed 004 checks its gradients; eps defaults to 1e-3.
 * @example
 * ```ts
 * tf.test.approximateDerivative((x) => x * x * x, 2) // → 12
 * ```
 */
export function approximateDerivative(f: (x: number) => number | Tensor, x: number, eps = 1e-3): number {
  const value = (v: number): number => {
    const y = f(v);
    return y instanceof Tensor ? y.dataSync()[0] : y;
  };
  return (value(x + eps) - value(x - eps)) / (2 * eps);
}

/** What tf.test.computeGradient returns: [theoretical, numerical] Jacobians, one of each per input. */
export interface ComputedGradient {
  /** One Jacobian per input, shape [x.size, y.size] (as TF's gradient_checker_v2), from the tape. */
  theoretical: Tensor[];
  /** The same Jacobians by central differences. */
  numerical: Tensor[];
}

/**
 * tf.test.computeGradient (TF's tf.test.compute_gradient): Jacobians of f at xs, analytic (reverse mode, one backward pass per output element) and numeric (central
 * differences with step `delta`, default 1e-3). Computed in float64 so the comparison measures the gradient, not rounding.
 * @example
 * ```ts
 * const { theoretical, numerical } = tf.test.computeGradient((x) => x.square(), [tf.constant([1, 2])]);
 * theoretical[0] // → [[2, 0], [0, 4]]
 * numerical[0].sub(theoretical[0]).abs().max().numpy() < 1e-6 // → true
 * ```
 */
export function computeGradient(f: (...xs: Tensor[]) => Tensor, xs: TensorLike | TensorLike[], delta = 1e-3): ComputedGradient {
  // an array of tensors is several inputs; anything else (a tensor, a nested array of numbers) is one
  const list = Array.isArray(xs) && xs.length > 0 && xs.every((x) => x instanceof Tensor) ? (xs as Tensor[]) : [xs as TensorLike];
  const inputs = list.map((x) => {
    const t = toTensor('computeGradient', x);
    return cast(t, 'float64');
  });
  const y0 = f(...inputs);
  const ySize = y0.size;
  const theoretical = inputs.map((x) => {
    const jac = new Float64Array(x.size * ySize);
    for (let j = 0; j < ySize; j++) {
      const tape = new GradientTape();
      markInternalTape(tape, 'gradient-check');
      const y = tape.record(() => { tape.watch(x); return f(...inputs); });
      const seed = new Float64Array(ySize);
      seed[j] = 1;
      const g = tape.gradient(y, x, { outputGradients: makeTensor('computeGradient', seed, y.dtype, y.shape) });
      if (g !== null) {
        const gv = g.dataSync();
        for (let i = 0; i < x.size; i++) jac[i * ySize + j] = gv[i];
      }
    }
    return makeTensor('computeGradient', jac, 'float64', [x.size, ySize]);
  });
  const numerical = inputs.map((x, xi) => {
    const jac = new Float64Array(x.size * ySize);
    const base = x.dataSync();
    for (let i = 0; i < x.size; i++) {
      const evalAt = (offset: number): ArrayLike<number> => {
        const moved = new Float64Array(base);
        moved[i] += offset;
        const args = inputs.slice();
        args[xi] = makeTensor('computeGradient', moved, 'float64', x.shape);
        return f(...args).dataSync();
      };
      const plus = evalAt(delta);
      const minus = evalAt(-delta);
      for (let j = 0; j < ySize; j++) jac[i * ySize + j] = (plus[j] - minus[j]) / (2 * delta);
    }
    return makeTensor('computeGradient', jac, 'float64', [x.size, ySize]);
  });
  return { theoretical, numerical };
}
