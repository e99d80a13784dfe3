// tf.TensorSpec: the shape (null for any length) and dtype a tf.function's input_signature allows.
import { Tensor } from '../tensor/tensor';
import { type DType, isDType } from '../tensor/dtype';

/**
 * Describes the tensors a traced function accepts (tf.TensorSpec). `null` in the shape matches any length.
 * @param shape the dimensions, null where any length is allowed
 * @param dtype default 'float32'
 * @example
 * const f = tf.function((x: tf.Tensor) => x.mul(2), { inputSignature: [new tf.TensorSpec([null], 'float32')] });
 * f(tf.constant([1, 2])) // → [2, 4]
 */
export class TensorSpec {
  /** The allowed shape; null where any length is allowed. */
  readonly shape: readonly (number | null)[];
  /** The allowed dtype. */
  readonly dtype: DType;
  /** An optional name (TF's name=). */
  readonly name: string | undefined;

  /** TensorSpec(shape, dtype = 'float32', name?). @throws Error for a bad shape or an unknown dtype. */
  constructor(shape: readonly (number | null)[], dtype: DType = 'float32', name?: string) {
    if (!Array.isArray(shape) || shape.some((d) => d !== null && !(Number.isInteger(d) && d >= 0))) {
      throw new Error(`TensorSpec: shape must be a list of non-negative integers or null, got ${JSON.stringify(shape)}`);
    }
    if (!isDType(dtype)) throw new Error(`TensorSpec: unknown dtype '${String(dtype)}'`);
    this.shape = [...shape];
    this.dtype = dtype;
    this.name = name;
  }

  /** True when t has this dtype and a shape this spec allows. */
  isCompatibleWith(t: unknown): boolean {
    if (!(t instanceof Tensor)) return false;
    return t.dtype === this.dtype && t.rank === this.shape.length && this.shape.every((d, i) => d === null || d === t.shape[i]);
  }

  /** As TF prints it: `TensorSpec(shape=(None, 2), dtype=tf.float32, name=None)`. */
  toString(): string {
    return `TensorSpec(shape=(${this.shape.map((d) => (d === null ? 'None' : d)).join(', ')}${this.shape.length === 1 ? ',' : ''}), dtype=tf.${this.dtype}, name=${this.name === undefined ? 'None' : `'${this.name}'`})`;
  }
}

function describe(a: unknown): string {
  return a instanceof Tensor ? `tf.Tensor(shape=[${a.shape}], dtype=${a.dtype})` : typeof a;
}

/** Throws TF's error when the arguments do not fit a function's input signature. */
export function checkInputSignature(name: string, signature: readonly TensorSpec[], args: readonly unknown[]): void {
  const fits = args.length === signature.length && signature.every((spec, i) => spec.isCompatibleWith(args[i]));
  if (!fits) {
    throw new Error(`tf.function ${name}: Python inputs incompatible with input_signature:\n  inputs: (${args.map(describe).join(', ')})\n  input_signature: (${signature.map(String).join(', ')})`);
  }
}
