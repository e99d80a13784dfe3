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

/** Options every layer accepts (Keras's base-layer keyword arguments). */
export interface LayerArgs {
  /** The layer's name, prefix of its weights' names; default the class name in snake_case, made unique ('dense_1'). */
  name?: string;
  /** Whether its weights are trained (default true); false freezes the layer. */
  trainable?: boolean;
  /** Shape of one example (no batch axis); lets a Sequential model build before it sees data. */
  inputShape?: readonly number[];
  /** The dtype of its weights and outputs (default 'float32'). */
  dtype?: DType;
}

/** Options of a layer call, `layer(x, {training: true})`. */
export interface CallOptions {
  /** True inside fit(): Dropout drops only then. */
  training?: boolean;
}

/** Makes layer objects callable: `layer(x)` is `layer.apply(x)`. */
export interface Layer {
  (inputs: KerasTensor, options?: CallOptions): KerasTensor;
  (inputs: TensorLike, options?: CallOptions): Tensor;
}

/**
 * tf.keras.layers.Layer: the base of every layer — a callable object (`layer(x)`) that builds its weights from its
 * first input's shape and runs its ops inside a name scope of its own name. Subclass it and implement `call` (and
 * `build` to create weights with `addWeight`).
 * @example
 * ```ts
 * class Scale extends tf.keras.layers.Layer {
 *   call(x: tf.Tensor) { return x.mul(3); }
 * }
 * new Scale()(tf.constant([[1, 2]])).numpy() // → [[3, 6]]
 * ```
 */
export abstract class Layer {
  /** Its name: the prefix of its weights' names and the name scope its ops run in. */
  declare name: string;
  /** Whether its weights are trained; setting false freezes it. */
  declare trainable: boolean;
  /** Whether `build` has run (weights exist). */
  declare built: boolean;
  /** The dtype of its weights and outputs. */
  declare dtype: DType;
  /** `[null, ...inputShape]` once known (Keras's batch_input_shape). */
  declare batchInputShape: SymbolicShape | null;
  /** @internal */
  declare protected ownWeights: Variable[];

  /** Sets the options every layer takes: name, trainable, inputShape, dtype. */
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

  /** @internal The Keras class name shown by summary(); subclasses override. */
  static className = 'Layer';
  /** @internal Base of generated names when it differs from the class name (functional models are 'model', 'model_1'). */
  static defaultNameBase: string | undefined = undefined;

  /** The Keras class name, as summary() shows it ('Dense'). */
  get className(): string {
    return (this.constructor as typeof Layer).className;
  }

  /** Computes the layer on a concrete tensor (weights already built). */
  abstract call(inputs: Tensor, options: CallOptions): Tensor;

  /** Creates the weights for inputs of this shape. */
  build(inputShape: SymbolicShape): void {
    void inputShape;
  }

  /** The output shape for inputs of this shape (null for unknown axes); the same shape unless a layer overrides it. */
  computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape.slice();
  }

  /**
   * `layer(x)`: on a KerasTensor, records the application (functional API) and returns a KerasTensor.
   * @throws Error when given a list of KerasTensors (layers here take one input) or a scalar.
   */
  apply(inputs: KerasTensor, options?: CallOptions): KerasTensor;
  /**
   * `layer(x)`: on a tensor, builds the weights on first use and computes the output.
   * @throws Error when given a scalar (layers need a batch axis), or what `call` throws for a wrong shape.
   * @example
   * ```ts
   * const dense = tf.keras.layers.Dense(3);
   * dense.apply(tf.ones([2, 4])).shape // → [2, 3]
   * ```
   */
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

  /** Every weight Variable, trainable or not, in creation order (Keras's `weights`). */
  get weights(): Variable[] {
    return this.ownWeights.slice();
  }

  /** Same as `weights` (tf.Module's `variables`). */
  get variables(): Variable[] {
    return this.weights;
  }

  /** The weights an optimizer updates: none when the layer is frozen (TF's `trainable_variables`). */
  get trainableVariables(): Variable[] {
    return this.trainable ? this.weights.filter((v) => v.trainable) : [];
  }

  /** Same as `trainableVariables` (Keras's `trainable_weights`). */
  get trainableWeights(): Variable[] {
    return this.trainableVariables;
  }

  /** Weights that are not trained: all of them when the layer is frozen (Keras's `non_trainable_weights`). */
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

  /** `<Dense name=dense, built=true>`. */
  toString(): string {
    return `<${this.className} name=${this.name}, built=${this.built}>`;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
