// stopGradient, identity and customGradient: ops that decide what the tape sees.
import { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { runOp } from '../tape/op_runner';
import type { GradFn } from '../tape/tape_node';
import { withoutRecording } from '../tape/recording_state';
import { toTensor } from './op_inputs';

/** The same values, but no gradient flows back through it. Recorded nowhere. */
export function stopGradient(x: TensorLike): Tensor {
  const t = toTensor('stopGradient', x);
  return runOp('StopGradient', [t], () => new Tensor(t.dataSync(), t.shape.slice(), t.dtype), null);
}

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

export interface CustomGradientResult {
  value: Tensor;
  /** Gradient with respect to each input given the output gradient `dy`; one tensor when there is one input. */
  gradFunc: (dy: Tensor) => Tensor | null | ReadonlyArray<Tensor | null>;
}

/**
 * tf.customGradient(f): f(...inputs) returns {value, gradFunc}. The forward inside f is not recorded; the tape
 * records one 'CustomGradient' node whose gradient is gradFunc (written with ops, so it differentiates again).
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
