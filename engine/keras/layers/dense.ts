// Dense: activation(x @ kernel + bias) over the last axis. relu/sigmoid/tanh/linear run as one fused
// bias+activation op; softmax keeps its logits beside the output for the fused cross-entropy.
import type { Tensor } from '../../tensor/tensor';
import type { Variable } from '../../tensor/variable';
import { formatShape } from '../../shape/shape';
import { matmul } from '../../ops/matmul';
import { Layer, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';
import { resolveActivation, type ActivationFn, type ActivationIdentifier } from '../activations';
import type { InitializerIdentifier } from '../initializers';
import { withBiasAndActivation } from '../bias_and_activation';

/** Options of tf.keras.layers.Dense (Keras's keyword arguments, camelCased). */
export interface DenseArgs extends LayerArgs {
  /** Size of the last output axis; required (as the first argument or here). */
  units?: number;
  /** Activation by name ('relu', 'sigmoid', 'tanh', 'softmax', 'linear', …) or a function; default none (linear). */
  activation?: ActivationIdentifier;
  /** Whether to add a bias vector (default true). */
  useBias?: boolean;
  /** The kernel's initializer by name or function (default 'glorot_uniform'). */
  kernelInitializer?: InitializerIdentifier;
  /** The bias's initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  /** Seeds the kernel initialiser (otherwise the stream of tf.random.setSeed). */
  seed?: number;
}

/**
 * tf.keras.layers.Dense: a fully connected layer, `activation(x @ kernel + bias)` over the last axis. Inputs
 * [batch, ..., d] give [batch, ..., units]; the kernel [d, units] is built from the first input.
 * @throws Error when units is not a positive integer, or when an input's last axis differs from the kernel's.
 * @example
 * ```ts
 * const dense = tf.keras.layers.Dense(2, { activation: 'relu', kernelInitializer: 'ones' });
 * dense(tf.constant([[1, 2, 3]])).numpy() // → [[6, 6]]
 * dense.kernel!.shape // → [3, 2]
 * ```
 */
export class Dense extends Layer {
  /** @internal */
  static override className = 'Dense';
  /** Size of the last output axis. */
  readonly units: number;
  /** The activation's name ('linear' when none). */
  readonly activation: string;
  /** Whether a bias is added. */
  readonly useBias: boolean;
  /** The weight matrix [inputDim, units], `<name>/kernel`; null until built. */
  kernel: Variable | null = null;
  /** The bias [units], `<name>/bias`; null until built or without useBias. */
  bias: Variable | null = null;
  private readonly activationFn: ActivationFn;
  private readonly kernelInitializer: InitializerIdentifier;
  private readonly biasInitializer: InitializerIdentifier;
  private readonly seed: number | undefined;

  /** Dense(128, {activation: 'relu'}) as in Python, or Dense({units: 128, activation: 'relu'}) as in TF.js. */
  constructor(units: number | DenseArgs, args: DenseArgs = {}) {
    const opts = typeof units === 'object' && units !== null ? units : { ...args, units };
    super(opts);
    const n = opts.units;
    if (!(typeof n === 'number' && Number.isInteger(n) && n > 0)) throw new Error(`Dense: units must be a positive integer, got ${String(n)}`);
    this.units = n;
    const act = resolveActivation(this.name, opts.activation);
    this.activation = act.name;
    this.activationFn = act.fn;
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = opts.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = opts.biasInitializer ?? 'zeros';
    this.seed = opts.seed;
  }

  override build(inputShape: SymbolicShape): void {
    const inDim = inputShape[inputShape.length - 1];
    if (inputShape.length < 2 || inDim === null) {
      throw new Error(`${this.name} (Dense): inputs need a batch axis and a known last axis, got shape ${formatShape(inputShape.map((d) => d ?? -1))}`);
    }
    this.kernel = this.addWeight('kernel', [inDim, this.units], this.kernelInitializer, this.seed);
    if (this.useBias) this.bias = this.addWeight('bias', [this.units], this.biasInitializer, this.seed === undefined ? undefined : this.seed + 1);
  }

  /** The input shape with its last axis replaced by units. */
  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [...inputShape.slice(0, -1), this.units];
  }

  call(inputs: Tensor): Tensor {
    const kernel = this.kernel as Variable;
    const inDim = kernel.shape[0];
    if (inputs.rank < 2 || inputs.shape[inputs.rank - 1] !== inDim) {
      throw new Error(`${this.name} (Dense): expected inputs of shape [batch, ..., ${inDim}], got ${formatShape(inputs.shape)}`);
    }
    return withBiasAndActivation(matmul(inputs, kernel), this.bias, this.activation, this.activationFn);
  }
}
