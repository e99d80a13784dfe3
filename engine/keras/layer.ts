// The Keras layer: a callable object (`layer(x)` and `layer.apply(x)` both work, as `layer(x)` does in Python),
// built lazily from its first input's shape, owning Variables named `<layer>/<weight>`, and running its ops
// inside `tf.nameScope(<layer name>)` so the inspector groups them. On a KerasTensor it records the
// application for the functional API instead of computing.
import { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import type { DType } from '../tensor/dtype';
import type { TensorLike } from '../tensor/convert';
import { nameScope } from '../tape/recording_state';
import { toTensor } from '../ops/op_inputs';
import { formatShape } from '../shape/shape';
import { KerasTensor, type SymbolicShape } from './keras_tensor';
import { snakeCase, uniqueLayerName } from './naming';
import { resolveInitializer, type InitializerIdentifier } from './initializers';

export interface LayerArgs {
  name?: string;
  trainable?: boolean;
  /** Shape of one example (no batch axis); lets a Sequential model build before it sees data. */
  inputShape?: readonly number[];
  dtype?: DType;
}

export interface CallOptions {
  /** True inside fit(): Dropout drops only then. */
  training?: boolean;
}

/** Makes layer objects callable: `layer(x)` is `layer.apply(x)`. */
export interface Layer {
  (inputs: KerasTensor, options?: CallOptions): KerasTensor;
  (inputs: TensorLike, options?: CallOptions): Tensor;
}

export abstract class Layer {
  declare name: string;
  declare trainable: boolean;
  declare built: boolean;
  declare dtype: DType;
  declare batchInputShape: SymbolicShape | null;
  /** @internal */
  declare protected ownWeights: Variable[];

  constructor(args: LayerArgs = {}) {
    const callable = ((inputs: TensorLike | KerasTensor, options?: CallOptions) => (callable as unknown as Layer).apply(inputs as TensorLike, options)) as unknown as Layer;
    // a function's own `name` and `length` would shadow the layer's; drop them
    delete (callable as unknown as { name?: string }).name;
    delete (callable as unknown as { length?: number }).length;
    Object.setPrototypeOf(callable, new.target.prototype);
    callable.name = args.name ?? uniqueLayerName(new.target.defaultNameBase ?? snakeCase(new.target.className));
    callable.trainable = args.trainable ?? true;
    callable.built = false;
    callable.dtype = args.dtype ?? 'float32';
    callable.batchInputShape = args.inputShape ? [null, ...args.inputShape] : null;
    callable.ownWeights = [];
    // layer.build(shape) called by the user marks the layer built, so its first call keeps those weights (as Keras)
    const build = new.target.prototype.build;
    callable.build = (inputShape: SymbolicShape) => {
      if (callable.built) return;
      build.call(callable, inputShape);
      if (callable.batchInputShape === null && inputShape.length > 0) callable.batchInputShape = [null, ...inputShape.slice(1)];
      callable.built = true;
    };
    return callable;
  }

  /** The Keras class name shown by summary(); subclasses override. */
  static className = 'Layer';
  /** Base of generated names when it differs from the class name (functional models are 'model', 'model_1'). */
  static defaultNameBase: string | undefined = undefined;

  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Computes the layer on a concrete tensor (weights already built). */
  abstract call(inputs: Tensor, options: CallOptions): Tensor;

  /** Creates the weights for inputs of this shape. */
  build(inputShape: SymbolicShape): void {
    void inputShape;
  }

  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape.slice();
  }

  /** `layer(x)`: computes on tensors, records an application on KerasTensors. */
  apply(inputs: KerasTensor, options?: CallOptions): KerasTensor;
  apply(inputs: TensorLike, options?: CallOptions): Tensor;
  apply(inputs: TensorLike | KerasTensor, options: CallOptions = {}): Tensor | KerasTensor {
    if (inputs instanceof KerasTensor) {
      this.ensureBuilt(inputs.shape);
      const shape = this.computeOutputShape(inputs.shape);
      return new KerasTensor(shape, this.dtype, `${this.name}/output`, { layer: this, inputs: [inputs] });
    }
    if (Array.isArray(inputs) && inputs.length > 0 && inputs.every((v) => v instanceof KerasTensor)) {
      throw new Error(`${this.name}: takes one input; got a list of ${inputs.length} KerasTensors`);
    }
    const x = toTensor(this.name, inputs, this.dtype);
    this.ensureBuilt(x.shape);
    return nameScope(this.name, () => this.call(x, options));
  }

  private ensureBuilt(shape: SymbolicShape): void {
    if (this.built) return;
    if (shape.length === 0) throw new Error(`${this.name} (${this.className}): needs inputs with a batch axis, got a scalar`);
    this.build(shape);
  }

  /** Creates a weight Variable named `<layer>/<name>` (Keras's add_weight). */
  protected addWeight(name: string, shape: readonly number[], initializer: InitializerIdentifier, seed: number | undefined, trainable = true): Variable {
    const init = resolveInitializer(`${this.name}/${name}`, initializer)(shape, seed);
    const variable = new Variable(init, { name: `${this.name}/${name}`, trainable: trainable && this.trainable, dtype: this.dtype });
    this.ownWeights.push(variable);
    return variable;
  }

  get weights(): Variable[] {
    return this.ownWeights.slice();
  }

  get variables(): Variable[] {
    return this.weights;
  }

  get trainableVariables(): Variable[] {
    return this.trainable ? this.weights.filter((v) => v.trainable) : [];
  }

  get trainableWeights(): Variable[] {
    return this.trainableVariables;
  }

  get nonTrainableWeights(): Variable[] {
    return this.weights.filter((v) => !this.trainable || !v.trainable);
  }

  /** Number of scalars in the weights. */
  countParams(): number {
    return this.weights.reduce((n, v) => n + v.size, 0);
  }

  /** Copies of the weight values, in the order of `weights`. */
  getWeights(): Tensor[] {
    return this.weights.map((v) => new Tensor(v.dataSync().slice(), v.shape.slice(), v.dtype));
  }

  /** Assigns each weight from a tensor or nested array of the same shape. */
  setWeights(values: readonly TensorLike[]): void {
    const ws = this.weights;
    if (values.length !== ws.length) {
      throw new Error(`${this.name}.setWeights: expected ${ws.length} values (${ws.map((w) => `${w.name} ${formatShape(w.shape)}`).join(', ')}), got ${values.length}`);
    }
    ws.forEach((w, i) => w.assign(values[i]));
  }

  toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
