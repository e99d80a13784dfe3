// Models: the functional tf.keras.Model({inputs, outputs}) (a graph of layer applications recorded on
// KerasTensors, replayed in topological order on real tensors) and tf.keras.Sequential (a list of layers).
// Both are layers themselves, so callable: `model(x)`. Training (compile/fit/evaluate/predict) lives in training.ts.
import type { Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import { Layer, type CallOptions, type LayerArgs } from './layer';
import { KerasTensor, formatSymbolicShape, type SymbolicShape } from './keras_tensor';
import { InputLayer } from './layers/input_layer';
import { enginePrint } from '../runtime/hooks';
import { compileModel, evaluateModel, fitModel, predictModel, type CompileArgs, type CompiledState, type EvaluateArgs, type FitArgs, type History } from './training';
import type { TensorLike } from '../tensor/convert';

interface GraphNode {
  layer: Layer;
  input: KerasTensor;
  output: KerasTensor;
}

/**
 * What tf.keras.Model and tf.keras.Sequential share: a layer made of layers, trained with compile / fit /
 * evaluate / predict, which run the same GradientTape step one would write by hand and log loss and metrics
 * to the inspector's chart.
 */
export abstract class TrainableModel extends Layer {
  /** @internal What compile() set up (optimizer, loss, metrics); fit/evaluate read it. */
  compiled: CompiledState | null = null;
  /** Set by a callback to end fit() after the current epoch (Keras's model.stop_training). */
  stopTraining = false;

  /** Layers in order (functional models include their InputLayers, as Keras does). */
  abstract get layers(): Layer[];

  override get weights(): Variable[] {
    const seen = new Set<Variable>();
    for (const layer of this.layers) for (const w of layer.weights) seen.add(w);
    return [...seen];
  }

  override get trainableVariables(): Variable[] {
    if (!this.trainable) return [];
    const seen = new Set<Variable>();
    for (const layer of this.layers) for (const w of layer.trainableVariables) seen.add(w);
    return [...seen];
  }

  /**
   * The layer with this name.
   * @throws Error naming the layers there are when none has it.
   */
  getLayer(name: string): Layer {
    const layer = this.layers.find((l) => l.name === name);
    if (layer === undefined) throw new Error(`${this.name}.getLayer: no layer named '${name}' (layers: ${this.layers.map((l) => l.name).join(', ')})`);
    return layer;
  }

  /** @internal Rows for summary(): each layer's output shape, or null when unknown. */
  protected abstract summaryRows(): { layer: Layer; shape: string }[];

  /** Prints Keras's summary table (through the engine's print sink) and returns it. */
  summary(lineLength = 65): string {
    const rows = this.summaryRows();
    const cols = [Math.floor(lineLength * 0.45), Math.floor(lineLength * 0.85)];
    const pad = (cells: string[]) => {
      let line = '';
      cells.forEach((c, i) => {
        line += c;
        const stop = i < cols.length ? cols[i] : lineLength;
        line = line.length < stop ? line.padEnd(stop) : `${line} `;
      });
      return line.trimEnd();
    };
    const total = this.countParams();
    const trainable = this.trainableVariables.reduce((n, v) => n + v.size, 0);
    const lines = [
      `Model: "${this.name}"`,
      '_'.repeat(lineLength),
      pad([' Layer (type)', 'Output Shape', 'Param #']),
      '='.repeat(lineLength),
      ...rows.flatMap((r, i) => [pad([` ${r.layer.name} (${r.layer.className})`, r.shape, String(r.layer.countParams())]), ...(i < rows.length - 1 ? [''] : [])]),
      '='.repeat(lineLength),
      `Total params: ${total.toLocaleString('en-US')}`,
      `Trainable params: ${trainable.toLocaleString('en-US')}`,
      `Non-trainable params: ${(total - trainable).toLocaleString('en-US')}`,
      '_'.repeat(lineLength),
    ];
    const text = lines.join('\n');
    enginePrint(text);
    return text;
  }

  /**
   * Chooses the optimizer, loss and metrics for fit and evaluate (Keras's `compile`).
   * @throws Error for an unknown optimizer, loss or metric name.
   * @example
   * ```ts
   * const model = tf.keras.Sequential([tf.keras.layers.Dense(1, { inputShape: [2] })]);
   * model.compile({ optimizer: 'sgd', loss: 'mse' });
   * ```
   */
  compile(args: CompileArgs): void {
    this.compiled = compileModel(this.name, args);
  }

  /**
   * Trains for `epochs` passes over (x, y) in shuffled batches, one GradientTape step per batch, logging loss and
   * metrics per epoch (Keras's `fit`). Returns the History.
   * @param x Inputs [examples, ...].
   * @param y Targets with the same number of examples.
   * @param args epochs (1), batchSize (32), validationData, callbacks, verbose (1), shuffle (true), seed.
   * @throws Error before compile(), or when x and y differ in number of examples.
   * @example
   * ```ts
   * const model = tf.keras.Sequential([tf.keras.layers.Dense(1, { inputShape: [1], kernelInitializer: 'zeros' })]);
   * model.compile({ optimizer: tf.keras.optimizers.SGD(0.1), loss: 'mse' });
   * const x = tf.constant([[0], [1], [2], [3]]), y = tf.constant([[1], [3], [5], [7]]);
   * const history = model.fit(x, y, { epochs: 200, verbose: 0 });
   * history.history.loss[199] < 0.01 // → true
   * ```
   */
  fit(x: TensorLike, y: TensorLike, args: FitArgs = {}): History {
    return fitModel(this, x, y, args);
  }

  /**
   * The loss on (x, y), or [loss, ...metrics] when metrics were compiled (Keras's `evaluate`).
   * @throws Error before compile().
   * @example
   * ```ts
   * const model = tf.keras.Sequential([tf.keras.layers.Dense(1, { inputShape: [1], kernelInitializer: 'ones' })]);
   * model.compile({ optimizer: 'sgd', loss: 'mse' });
   * model.evaluate(tf.constant([[1], [2]]), tf.constant([[1], [4]])) // → 2
   * ```
   */
  evaluate(x: TensorLike, y: TensorLike, args: EvaluateArgs = {}): number | number[] {
    return evaluateModel(this, x, y, args);
  }

  /**
   * The model's outputs for x, computed in batches without recording (Keras's `predict`).
   * @example
   * ```ts
   * const model = tf.keras.Sequential([tf.keras.layers.Dense(2, { inputShape: [3] })]);
   * model.predict(tf.ones([5, 3])).shape // → [5, 2]
   * ```
   */
  predict(x: TensorLike, args: {
    /** Examples per batch (default 32). */
    batchSize?: number;
  } = {}): Tensor {
    return predictModel(this, x, args);
  }
}

/** What tf.keras.Model takes (the functional API). */
export interface ModelArgs {
  /** The model's input(s), from tf.keras.Input. */
  inputs: KerasTensor | KerasTensor[];
  /** The output: a KerasTensor computed from the inputs by layer calls (one output is supported). */
  outputs: KerasTensor | KerasTensor[];
  /** Default 'model', 'model_1', …. */
  name?: string;
}

/**
 * tf.keras.Model: a functional model — the graph of layer calls from tf.keras.Input to `outputs`, replayed on
 * real tensors when called. `tf.keras.Model({inputs, outputs})` is Keras's `Model(inputs=…, outputs=…)`.
 * @throws Error when inputs do not come from tf.keras.Input, or outputs do not depend only on them.
 * @example
 * ```ts
 * const inputs = tf.keras.Input({ shape: [3] });
 * const hidden = tf.keras.layers.Dense(4, { activation: 'relu' })(inputs);
 * const model = tf.keras.Model({ inputs, outputs: tf.keras.layers.Dense(1)(hidden) });
 * model(tf.ones([2, 3])).shape // → [2, 1]
 * model.layers.length // → 3
 * ```
 */
export class Model extends TrainableModel {
  /** @internal */
  static override className = 'Functional';
  /** @internal */
  static override defaultNameBase = 'model';
  /** The model's inputs. */
  readonly inputs: KerasTensor[];
  /** The model's outputs. */
  readonly outputs: KerasTensor[];
  private readonly nodes: GraphNode[];
  private readonly graphLayers: Layer[];

  /** Traces the layer calls from `inputs` to `outputs` (see ModelArgs). */
  constructor(args: ModelArgs) {
    if (!args || args.inputs === undefined || args.outputs === undefined) {
      throw new Error('Model: expected {inputs, outputs}, e.g. tf.keras.Model({inputs: input, outputs: out})');
    }
    super({ name: args.name });
    this.inputs = Array.isArray(args.inputs) ? args.inputs : [args.inputs];
    this.outputs = Array.isArray(args.outputs) ? args.outputs : [args.outputs];
    for (const t of [...this.inputs, ...this.outputs]) {
      if (!(t instanceof KerasTensor)) throw new Error(`Model: inputs and outputs must be KerasTensors from tf.keras.Input and layer calls, got ${typeof t}`);
    }
    if (this.outputs.length !== 1) throw new Error(`Model: one output is supported, got ${this.outputs.length}`);
    for (const t of this.inputs) {
      if (!(t.producedBy.layer instanceof InputLayer)) throw new Error(`Model: inputs must come from tf.keras.Input, but '${t.name}' was produced by layer '${t.producedBy.layer.name}'`);
    }
    this.nodes = [];
    const visited = new Set<KerasTensor>();
    const visit = (t: KerasTensor) => {
      if (visited.has(t)) return;
      visited.add(t);
      const { layer, inputs } = t.producedBy;
      if (inputs.length === 0) {
        if (!this.inputs.includes(t)) throw new Error(`Model: output depends on input '${layer.name}', which is not among the model's inputs`);
        return;
      }
      for (const i of inputs) visit(i);
      this.nodes.push({ layer, input: inputs[0], output: t });
    };
    for (const o of this.outputs) visit(o);
    const layers: Layer[] = this.inputs.map((t) => t.producedBy.layer);
    for (const node of this.nodes) if (!layers.includes(node.layer)) layers.push(node.layer);
    this.graphLayers = layers;
    this.batchInputShape = this.inputs[0].shape.slice();
    this.built = true;
  }

  get layers(): Layer[] {
    return this.graphLayers.slice();
  }

  /** The output KerasTensor's shape. */
  override computeOutputShape(): SymbolicShape {
    return this.outputs[0].shape.slice();
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    const values = new Map<KerasTensor, Tensor>([[this.inputs[0], inputs]]);
    const expected = this.inputs[0].shape;
    if (inputs.rank !== expected.length || expected.some((d, i) => d !== null && d !== inputs.shape[i])) {
      throw new Error(`${this.name}: input shape [${inputs.shape.join(', ')}] does not match the model's input ${formatSymbolicShape(expected)}`);
    }
    for (const node of this.nodes) {
      values.set(node.output, node.layer.apply(values.get(node.input) as Tensor, options));
    }
    return values.get(this.outputs[0]) as Tensor;
  }

  protected summaryRows(): { layer: Layer; shape: string }[] {
    const rows = this.inputs.map((t) => ({ layer: t.producedBy.layer, shape: `[${formatSymbolicShape(t.shape)}]` }));
    for (const node of this.nodes) rows.push({ layer: node.layer, shape: formatSymbolicShape(node.output.shape) });
    return rows;
  }
}

/** Options of tf.keras.Sequential. */
export interface SequentialArgs extends LayerArgs {
  /** The layers in order; a tf.keras.Input may come first to fix the input shape. */
  layers?: (Layer | KerasTensor)[];
}

/**
 * tf.keras.Sequential: a model that applies its layers one after another. With a known input shape (inputShape on
 * the first layer, or a tf.keras.Input first) its weights exist at once; otherwise on the first call.
 * @throws Error when a layer's output does not fit the next layer's input.
 * @example
 * ```ts
 * const model = tf.keras.Sequential([
 *   tf.keras.layers.Dense(8, { activation: 'relu', inputShape: [4] }),
 *   tf.keras.layers.Dense(3, { activation: 'softmax' }),
 * ]);
 * model.countParams() // → 67
 * model.predict(tf.ones([2, 4])).sum(1).numpy() // → [1, 1]
 * ```
 */
export class Sequential extends TrainableModel {
  /** @internal */
  static override className = 'Sequential';
  private readonly stack: Layer[] = [];

  /** Sequential([layer, ...]) as in Python, Sequential() to add() layers later, or Sequential({layers, name}) as in TF.js. */
  constructor(layers: (Layer | KerasTensor)[] | SequentialArgs = [], args: SequentialArgs = {}) {
    const opts = Array.isArray(layers) ? { ...args, layers } : layers;
    super({ name: opts.name });
    for (const l of opts.layers ?? []) this.add(l);
  }

  get layers(): Layer[] {
    return this.stack.slice();
  }

  /** Appends a layer (or a tf.keras.Input, which fixes the input shape). */
  add(layer: Layer | KerasTensor): void {
    if (layer instanceof KerasTensor) {
      if (this.stack.length > 0) throw new Error(`${this.name}.add: a tf.keras.Input can only come first`);
      this.batchInputShape = layer.shape.slice();
      return;
    }
    if (!(layer instanceof Layer)) throw new Error(`${this.name}.add: expected a layer, got ${typeof layer}`);
    if (this.stack.length === 0 && this.batchInputShape === null && layer.batchInputShape !== null) this.batchInputShape = layer.batchInputShape.slice();
    this.stack.push(layer);
    if (this.batchInputShape !== null) this.buildShapes();
  }

  /** Builds every layer from the known input shape so weights exist before the first call (Keras does the same). */
  private buildShapes(): SymbolicShape[] {
    let shape = this.batchInputShape as SymbolicShape;
    const shapes: SymbolicShape[] = [];
    for (const layer of this.stack) {
      const out = layer.apply(new KerasTensor(shape, this.dtype, `${this.name}/input`, { layer, inputs: [] }));
      shape = out.shape;
      shapes.push(shape);
    }
    this.built = true;
    return shapes;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    let shape = inputShape;
    for (const layer of this.stack) shape = layer.computeOutputShape(shape);
    return shape;
  }

  call(inputs: Tensor, options: CallOptions): Tensor {
    if (this.stack.length === 0) throw new Error(`${this.name}: the Sequential model has no layers; add some first`);
    let x = inputs;
    for (const layer of this.stack) x = layer.apply(x, options);
    return x;
  }

  protected summaryRows(): { layer: Layer; shape: string }[] {
    if (this.batchInputShape === null) {
      throw new Error(`${this.name}.summary: this model has not yet been built. Build it by calling it on data, or give the first layer an inputShape`);
    }
    const shapes = this.buildShapes();
    return this.stack.map((layer, i) => ({ layer, shape: formatSymbolicShape(shapes[i]) }));
  }
}
