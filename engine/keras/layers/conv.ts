// Convolution layers: Conv1D, Conv2D, Conv2DTranspose and DepthwiseConv2D over channels-last inputs. Each owns a
// kernel (and a bias), convolves, then adds the bias and applies the activation as Dense does.
import type { Tensor } from '../../tensor/tensor';
import type { Variable } from '../../tensor/variable';
import { formatShape } from '../../shape/shape';
import { conv1d, conv2d, conv2dTranspose, depthwiseConv2d } from '../../ops/conv';
import { Layer, type LayerArgs } from '../layer';
import type { SymbolicShape } from '../keras_tensor';
import { resolveActivation, type ActivationFn, type ActivationIdentifier } from '../activations';
import type { InitializerIdentifier } from '../initializers';
import { withBiasAndActivation } from '../bias_and_activation';

export type KerasPadding = 'valid' | 'same';

/** Options of the convolution layers (Keras's arguments, camelCased). */
export interface ConvArgs extends LayerArgs {
  /** Output channels (not for DepthwiseConv2D). */
  filters?: number;
  /** Window size: n or one entry per spatial axis. */
  kernelSize?: number | readonly number[];
/** Step between windows: n or one entry per spatial axis (default 1). */
  strides?: number | readonly number[];
  /** 'valid' (default) or 'same'. */
  padding?: KerasPadding | 'VALID' | 'SAME';
/** Spacing between filter taps: n or one per spatial axis (default 1). */
  dilationRate?: number | readonly number[];
/** Applied after the bias: a Keras name ('relu') or a function (default none). */
  activation?: ActivationIdentifier;
/** Add a learned bias per output channel (default true). */
  useBias?: boolean;
/** The kernel's initializer (default 'glorot_uniform'). */
  kernelInitializer?: InitializerIdentifier;
/** The bias's initializer (default 'zeros'). */
  biasInitializer?: InitializerIdentifier;
  /** DepthwiseConv2D: filters per input channel (default 1). */
  depthMultiplier?: number;
  /** Only 'channels_last'. */
  dataFormat?: 'channels_last';
  /** Seeds the kernel initialiser (otherwise the stream of tf.random.setSeed). */
  seed?: number;
}

/** n → [n, n, …]; checks positive integers. */
function tuple(owner: string, what: string, value: number | readonly number[] | undefined, rank: number, fallback: number): number[] {
  const v = value === undefined ? fallback : value;
  const out = typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v];
  if (out.length !== rank || !out.every((d) => Number.isInteger(d) && d > 0)) {
    throw new Error(`${owner}: ${what} must be a positive integer or ${rank} of them, got ${JSON.stringify(value)}`);
  }
  return out;
}

/** Keras's conv_output_length for one spatial axis (null stays unknown). */
function convOutputLength(length: number | null, kernel: number, padding: KerasPadding, stride: number, dilation: number): number | null {
  if (length === null) return null;
  const dilated = (kernel - 1) * dilation + 1;
  const out = padding === 'same' ? length : length - dilated + 1;
  return Math.floor((out + stride - 1) / stride);
}

/** Keras's deconv_output_length (no output padding). */
function deconvOutputLength(length: number | null, kernel: number, padding: KerasPadding, stride: number, dilation: number): number | null {
  if (length === null) return null;
  const dilated = (kernel - 1) * dilation + 1;
  return padding === 'same' ? length * stride : length * stride + Math.max(dilated - stride, 0);
}

/** What the convolution layers share: options, kernel and bias, output-shape rules. */
abstract class BaseConv extends Layer {
/** Output channels (0 for DepthwiseConv2D). */
  readonly filters: number;
/** Window size per spatial axis. */
  readonly kernelSize: number[];
/** Step per spatial axis. */
  readonly strides: number[];
/** 'valid' or 'same'. */
  readonly padding: KerasPadding;
/** Tap spacing per spatial axis. */
  readonly dilationRate: number[];
/** The activation's Keras name ('linear' for none). */
  readonly activation: string;
/** Whether the layer adds a bias. */
  readonly useBias: boolean;
/** The filter bank (null until built). */
  kernel: Variable | null = null;
/** The bias (null until built, or without useBias). */
  bias: Variable | null = null;
  protected readonly activationFn: ActivationFn;
  protected readonly kernelInitializer: InitializerIdentifier;
  protected readonly biasInitializer: InitializerIdentifier;
  protected readonly seed: number | undefined;

/** Checks and stores the options for a convolution over `rank` spatial axes. */
  constructor(rank: 1 | 2, opts: ConvArgs, needsFilters: boolean) {
    super(opts);
    const owner = `${this.name} (${this.className})`;
    if (needsFilters && !(typeof opts.filters === 'number' && Number.isInteger(opts.filters) && opts.filters > 0)) {
      throw new Error(`${owner}: filters must be a positive integer, got ${String(opts.filters)}`);
    }
    if (opts.kernelSize === undefined) throw new Error(`${owner}: kernelSize is required, e.g. ${this.className}(32, 3)`);
    if (opts.dataFormat !== undefined && opts.dataFormat !== 'channels_last') throw new Error(`${owner}: only dataFormat 'channels_last' is supported`);
    this.filters = opts.filters ?? 0;
    this.kernelSize = tuple(owner, 'kernelSize', opts.kernelSize, rank, 1);
    this.strides = tuple(owner, 'strides', opts.strides, rank, 1);
    this.dilationRate = tuple(owner, 'dilationRate', opts.dilationRate, rank, 1);
    const padding = (opts.padding ?? 'valid').toLowerCase();
    if (padding !== 'valid' && padding !== 'same') throw new Error(`${owner}: padding must be 'valid' or 'same', got '${opts.padding}'`);
    this.padding = padding;
    const act = resolveActivation(this.name, opts.activation);
    this.activation = act.name;
    this.activationFn = act.fn;
    this.useBias = opts.useBias ?? true;
    this.kernelInitializer = opts.kernelInitializer ?? 'glorot_uniform';
    this.biasInitializer = opts.biasInitializer ?? 'zeros';
    this.seed = opts.seed;
  }

  protected inputChannels(inputShape: SymbolicShape, rank: number): number {
    const c = inputShape[inputShape.length - 1];
    if (inputShape.length !== rank + 2 || c === null) {
      throw new Error(`${this.name} (${this.className}): expected inputs of rank ${rank + 2} [batch, ${rank === 1 ? 'steps' : 'height, width'}, channels] with known channels, got shape ${formatShape(inputShape.map((d) => d ?? -1))}`);
    }
    return c;
  }

  protected buildWeights(kernelName: string, kernelShape: number[], outChannels: number): void {
    this.kernel = this.addWeight(kernelName, kernelShape, this.kernelInitializer, this.seed);
    if (this.useBias) this.bias = this.addWeight('bias', [outChannels], this.biasInitializer, this.seed === undefined ? undefined : this.seed + 1);
  }

  protected finish(z: Tensor): Tensor {
    return withBiasAndActivation(z, this.bias, this.activation, this.activationFn);
  }

  protected spatialOutput(inputShape: SymbolicShape, length: typeof convOutputLength): (number | null)[] {
    return this.kernelSize.map((k, i) => length(inputShape[i + 1], k, this.padding, this.strides[i], this.dilationRate[i]));
  }

  protected paddingName(): 'SAME' | 'VALID' {
    return this.padding === 'same' ? 'SAME' : 'VALID';
  }
}

function convOptions(first: number | ConvArgs, kernelSize: number | readonly number[] | ConvArgs | undefined, args: ConvArgs): ConvArgs {
  if (typeof first === 'object' && first !== null) return first;
  if (typeof kernelSize === 'object' && kernelSize !== null && !Array.isArray(kernelSize)) return { ...(kernelSize as ConvArgs), filters: first };
  return { ...args, filters: first, kernelSize: kernelSize as number | readonly number[] | undefined };
}

/**
 * 2-D convolution layer (tf.keras.layers.Conv2D): `activation(conv2d(x, kernel) + bias)` on `[batch, h, w, c]`.
 * Weights `kernel` `[kh, kw, c, filters]` and `bias` `[filters]`.
 *
 * @param filters output channels. @param kernelSize n or [kh, kw].
 * @param args strides (1), padding ('valid'), dilationRate (1), activation (none), useBias (true),
 *   kernelInitializer ('glorot_uniform'), biasInitializer ('zeros'), seed, inputShape, name.
 * @throws on bad sizes, or inputs whose rank or channels do not fit.
 * @example
 * const layer = tf.keras.layers.Conv2D(8, 3, { activation: 'relu', padding: 'same' });
 * layer(tf.ones([2, 28, 28, 1])).shape  // [2, 28, 28, 8]
 */
export class Conv2D extends BaseConv {
  static override className = 'Conv2D';

  /** Conv2D(filters, kernelSize, options) as in Python, or Conv2D({filters, kernelSize, ...}) as in TF.js. */
  constructor(filters: number | ConvArgs, kernelSize?: number | readonly number[] | ConvArgs, args: ConvArgs = {}) {
    super(2, convOptions(filters, kernelSize, args), true);
  }

  override build(inputShape: SymbolicShape): void {
    this.buildWeights('kernel', [...this.kernelSize, this.inputChannels(inputShape, 2), this.filters], this.filters);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.spatialOutput(inputShape, convOutputLength), this.filters];
  }

  call(inputs: Tensor): Tensor {
    return this.finish(conv2d(inputs, this.kernel!, this.strides, this.paddingName(), 'NHWC', this.dilationRate));
  }
}

/**
 * 1-D convolution layer (tf.keras.layers.Conv1D) on `[batch, steps, channels]`; kernel `[k, channels, filters]`.
 *
 * @param filters output channels. @param kernelSize n. @param args as Conv2D.
 * @throws on bad sizes or inputs.
 * @example
 * tf.keras.layers.Conv1D(4, 3)(tf.ones([2, 10, 3])).shape  // [2, 8, 4]
 */
export class Conv1D extends BaseConv {
  static override className = 'Conv1D';

  /** Conv1D(filters, kernelSize, options) or Conv1D({filters, kernelSize, ...}). */
  constructor(filters: number | ConvArgs, kernelSize?: number | readonly number[] | ConvArgs, args: ConvArgs = {}) {
    super(1, convOptions(filters, kernelSize, args), true);
  }

  override build(inputShape: SymbolicShape): void {
    this.buildWeights('kernel', [this.kernelSize[0], this.inputChannels(inputShape, 1), this.filters], this.filters);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.spatialOutput(inputShape, convOutputLength), this.filters];
  }

  call(inputs: Tensor): Tensor {
    return this.finish(conv1d(inputs, this.kernel!, this.strides[0], this.paddingName(), 'NWC', this.dilationRate[0]));
  }
}

/**
 * Transposed 2-D convolution layer (tf.keras.layers.Conv2DTranspose): upsamples `[batch, h, w, c]`; kernel
 * `[kh, kw, filters, c]`. 'same' padding gives `[batch, h·sh, w·sw, filters]`.
 *
 * @param filters output channels. @param kernelSize n or [kh, kw]. @param args as Conv2D.
 * @throws on bad sizes or inputs.
 * @example
 * tf.keras.layers.Conv2DTranspose(3, 3, { strides: 2, padding: 'same' })(tf.ones([1, 7, 7, 8])).shape  // [1, 14, 14, 3]
 */
export class Conv2DTranspose extends BaseConv {
  static override className = 'Conv2DTranspose';

  /** Conv2DTranspose(filters, kernelSize, options) or Conv2DTranspose({filters, kernelSize, ...}). */
  constructor(filters: number | ConvArgs, kernelSize?: number | readonly number[] | ConvArgs, args: ConvArgs = {}) {
    super(2, convOptions(filters, kernelSize, args), true);
  }

  override build(inputShape: SymbolicShape): void {
    this.buildWeights('kernel', [...this.kernelSize, this.filters, this.inputChannels(inputShape, 2)], this.filters);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0], ...this.spatialOutput(inputShape, deconvOutputLength), this.filters];
  }

  call(inputs: Tensor): Tensor {
    const [h, w] = this.spatialOutput(inputs.shape, deconvOutputLength) as number[];
    return this.finish(conv2dTranspose(inputs, this.kernel!, [inputs.shape[0], h, w, this.filters], this.strides, this.paddingName(), 'NHWC', this.dilationRate));
  }
}

/**
 * Depthwise 2-D convolution layer (tf.keras.layers.DepthwiseConv2D): each input channel convolved with its own
 * `depthMultiplier` filters; weight `depthwise_kernel` `[kh, kw, c, depthMultiplier]`, bias `[c · depthMultiplier]`.
 *
 * @param kernelSize n or [kh, kw]. @param args depthMultiplier (1), and as Conv2D.
 * @throws on bad sizes or inputs.
 * @example
 * tf.keras.layers.DepthwiseConv2D(3, { depthMultiplier: 2 })(tf.ones([1, 8, 8, 3])).shape  // [1, 6, 6, 6]
 */
export class DepthwiseConv2D extends BaseConv {
  static override className = 'DepthwiseConv2D';
/** Filters per input channel. */
  readonly depthMultiplier: number;

  /** DepthwiseConv2D(kernelSize, options) or DepthwiseConv2D({kernelSize, depthMultiplier, ...}). */
  constructor(kernelSize: number | readonly number[] | ConvArgs, args: ConvArgs = {}) {
    const opts = typeof kernelSize === 'object' && !Array.isArray(kernelSize) ? kernelSize as ConvArgs : { ...args, kernelSize: kernelSize as number | readonly number[] };
    super(2, opts, false);
    const m = opts.depthMultiplier ?? 1;
    if (!(Number.isInteger(m) && m > 0)) throw new Error(`${this.name} (DepthwiseConv2D): depthMultiplier must be a positive integer, got ${m}`);
    this.depthMultiplier = m;
  }

  override build(inputShape: SymbolicShape): void {
    const c = this.inputChannels(inputShape, 2);
    this.buildWeights('depthwise_kernel', [...this.kernelSize, c, this.depthMultiplier], c * this.depthMultiplier);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const c = inputShape[3];
    return [inputShape[0], ...this.spatialOutput(inputShape, convOutputLength), c === null ? null : c * this.depthMultiplier];
  }

  call(inputs: Tensor): Tensor {
    return this.finish(depthwiseConv2d(inputs, this.kernel!, this.strides, this.paddingName(), 'NHWC', this.dilationRate));
  }
}
