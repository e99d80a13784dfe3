// stopGradient, identity and customGradient: ops that decide what the tape sees.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { withoutRecording } from '../tape/recording_state';
import { toTensor } from './op_inputs';

/**
 * The same values with no gradient flowing back through them (tf.stop_gradient → tf.stopGradient); a tape records nothing for it.
 * @example
 * ```ts
 * const x = tf.constant(3.0);
 * const tape = new tf.GradientTape();
 * tape.watch(x);
 * const y = tape.record(() => x.square().add(tf.stopGradient(x.square())));
 * tape.gradient(y, x) // → 6
 * ```
 */
export function stopGradient(x: TensorLike): Tensor {
  const t = toTensor('stopGradient', x);
  return runOp('StopGradient', [t], () => new Tensor(t.dataSync(), t.shape.slice(), t.dtype), null);
}

/**
 * A tensor with the same values (tf.identity); the gradient passes through unchanged, and the tape shows an Identity node.
 * @example
 * ```ts
 * tf.identity([1, 2]) // → [1, 2]
 * ```
 */
export function identity(x: TensorLike): Tensor {
  const t = toTensor('identity', x);
  return runOp('Identity', [t], () => new Tensor(t.dataSync(), t.shape.slice(), t.dtype), IDENTITY_GRAD);
}

const IDENTITY_GRAD: GradFn = (dy) => [dy];

/** The user's gradFunc, kept as the node's attribute (functions stay out of the trace). */
const CUSTOM_GRADIENT_GRAD: GradFn<{ gradFunc: CustomGradientResult['gradFunc'] }> = (dy, _needs, inputs, _out, { gradFunc }) => {
  const g = gradFunc(dy);
  const list = Array.isArray(g) ? g : [g];
  if (list.length !== inputs.length) {
    throw new Error(`customGradient: gradFunc returned ${list.length} gradients for ${inputs.length} inputs`);
  }
  return list as ReadonlyArray<Tensor | null>;
};

/** What the function given to tf.customGradient returns. */
export interface CustomGradientResult {
  /** The forward result. */
  value: Tensor;
  /** Gradient with respect to each input given the output gradient `dy`; one tensor when there is one input. */
  gradFunc: (dy: Tensor) => Tensor | null | ReadonlyArray<Tensor | null>;
}

/**
 * tf.custom_gradient → tf.customGradient: wraps `f`, which returns {value, gradFunc}, so that tapes use gradFunc(dy) as the gradient of value with respect to f's inputs (one per input). The forward inside f is not recorded; the tape records one CustomGradient node, and gradFunc is written with ops so it differentiates again.
 * @throws Error when f does not return {value, gradFunc}, or gradFunc returns the wrong number of gradients.
 * @example
 * ```ts
 * const scaled = tf.customGradient((x) => ({ value: x.mul(2), gradFunc: (dy) => dy.mul(100) }));
 * const x = tf.constant(1.0);
 * const tape = new tf.GradientTape();
 * tape.watch(x);
 * tape.gradient(tape.record(() => scaled(x)), x) // → 100
 * ```
 */
export function customGradient(f: (...inputs: Tensor[]) => CustomGradientResult): (...inputs: TensorLike[]) => Tensor {
  if (typeof f !== 'function') throw new Error('customGradient: expected a function returning {value, gradFunc}');
  return (...args: TensorLike[]) => {
    const inputs = args.map((a) => toTensor('customGradient', a));
    const result: CustomGradientResult | undefined = withoutRecording(() => f(...inputs));
    if (!result || !(result.value instanceof Tensor) || typeof result.gradFunc !== 'function') {
      throw new Error('customGradient: f must return {value: Tensor, gradFunc: (dy) => gradients}');
    }
    const { value, gradFunc } = result;
    return runOp('CustomGradient', inputs, () => new Tensor(value.dataSync(), value.shape.slice(), value.dtype), CUSTOM_GRADIENT_GRAD, { gradFunc });
  };
}
