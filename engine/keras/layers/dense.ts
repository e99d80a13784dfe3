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

export interface DenseArgs extends LayerArgs {
  units?: number;
  activation?: ActivationIdentifier;
  useBias?: boolean;
  kernelInitializer?: InitializerIdentifier;
  biasInitializer?: InitializerIdentifier;
  /** Seeds the kernel initialiser (otherwise the stream of tf.random.setSeed). */
  seed?: number;
}

export class Dense extends Layer {
  static override className = 'Dense';
  readonly units: number;
  readonly activation: string;
  readonly useBias: boolean;
  kernel: Variable | null = null;
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
