// Keras metric objects (tf.keras.metrics.Mean, SparseCategoricalAccuracy, AUC …): state kept in non-trainable
// Variables, updated by updateState, read by result(), cleared by resetState(). Calling a metric updates it and
// returns the result. Updates read then assign their state variables, so a tf.function that updates a metric
// is re-run on every call (as a stateful function must be), never replayed with the update skipped.
import { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { toTensor } from '../ops/op_inputs';
import { add } from '../ops/arithmetic';
import { constant } from '../ops/creation';
import { callableInstance } from './callable_instance';

/** Options every metric class takes. */
export interface MetricArgs {
  /** Shown in prints and state-variable names (default the metric's snake_case name). */
  name?: string;
}

/** Calling a metric updates it with the arguments of updateState and returns result(). */
export interface Metric {
  (...args: TensorLike[]): Tensor;
}

/**
 * The base of Keras metric classes (tf.keras.metrics.Metric): state in non-trainable variables, updateState,
 * result and resetState.
 * @example
 * const m = tf.keras.metrics.Mean();
 * m(2); m(4);
 * m.result() // → 3
 */
export abstract class Metric {
  /** The metric's name. */
  declare name: string;
  declare protected state: Variable[];

  /** For subclasses: the options and the name used when none is given. */
  constructor(args: MetricArgs = {}, defaultName = 'metric') {
    const self = callableInstance<Metric>(new.target.prototype, (...xs: TensorLike[]) => {
      (self.updateState as (...a: TensorLike[]) => void)(...xs);
      return self.result();
    });
    self.name = args.name ?? defaultName;
    self.state = [];
    return self;
  }

  /** Folds a batch into the state. */
  abstract updateState(...args: TensorLike[]): void;

  /** The metric's value from the state so far, as a float32 scalar. */
  abstract result(): Tensor;

  /** Sets every state variable back to zero (Keras's reset_state). */
  resetState(): void {
    for (const v of this.state) v.assign(new Tensor(new Float32Array(v.size), v.shape.slice(), 'float32'));
  }

  /** Keras 2's spelling of resetState. */
  resetStates(): void {
    this.resetState();
  }

  /** The state variables (non-trainable). */
  get variables(): Variable[] {
    return this.state.slice();
  }

  protected addState(name: string, shape: number[] = []): Variable {
    const v = new Variable(new Tensor(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape, 'float32'), { name: `${this.name}/${name}`, trainable: false });
    this.state.push(v);
    return v;
  }

  /** state += delta, through an op that reads the state (so a tracing tf.function sees a stateful update). */
  protected accumulate(v: Variable, delta: ArrayLike<number>): void {
    v.assign(add(v, new Tensor(Float32Array.from(delta), v.shape.slice(), 'float32')));
  }

  /** `<Mean name=mean, result=3>`. */
  toString(): string {
    return `<${this.constructor.name} name=${this.name}, result=${this.result().dataSync()[0]}>`;
  }
}

function values(name: string, x: TensorLike): Float64Array {
  return Float64Array.from(toTensor(name, x).dataSync());
}

function weightsFor(name: string, sampleWeight: TensorLike | undefined, count: number): Float64Array {
  if (sampleWeight === undefined) return new Float64Array(count).fill(1);
  const w = values(name, sampleWeight);
  if (w.length === 1) return new Float64Array(count).fill(w[0]);
  if (w.length !== count) throw new Error(`${name}: sampleWeight has ${w.length} values for ${count} examples`);
  return w;
}

/**
 * The weighted mean of every value seen (tf.keras.metrics.Mean).
 * @example
 * const m = tf.keras.metrics.Mean();
 * m.updateState([1, 3]);
 * m.updateState(5);
 * m.result() // → 3
 */
export class Mean extends Metric {
  declare protected total: Variable;
  declare protected count: Variable;
  /** Builds the metric from {name}. */
  constructor(args: MetricArgs = {}, defaultName = 'mean') {
    super(args, defaultName);
    this.total = this.addState('total');
    this.count = this.addState('count');
  }
  updateState(valuesIn: TensorLike, sampleWeight?: TensorLike): void {
    const v = values(this.name, valuesIn);
    const w = weightsFor(this.name, sampleWeight, v.length);
    let s = 0, n = 0;
    for (let i = 0; i < v.length; i++) { s += v[i] * w[i]; n += w[i]; }
    this.accumulate(this.total, [s]);
    this.accumulate(this.count, [n]);
  }
  result(): Tensor {
    const n = this.count.dataSync()[0];
    return constant(n === 0 ? 0 : this.total.dataSync()[0] / n, 'float32');
  }
}

/**
 * The sum of every value seen (tf.keras.metrics.Sum).
 * @example
 * const s = tf.keras.metrics.Sum();
 * s.updateState([1, 3]);
 * s.result() // → 4
 */
export class Sum extends Metric {
  declare protected total: Variable;
  /** Builds the metric from {name}. */
  constructor(args: MetricArgs = {}) {
    super(args, 'sum');
    this.total = this.addState('total');
  }
  updateState(valuesIn: TensorLike, sampleWeight?: TensorLike): void {
    const v = values(this.name, valuesIn);
    const w = weightsFor(this.name, sampleWeight, v.length);
    this.accumulate(this.total, [v.reduce((s, x, i) => s + x * w[i], 0)]);
  }
  result(): Tensor {
    return constant(this.total.dataSync()[0], 'float32');
  }
}

/** A Mean of a per-example score of (yTrue, yPred). */
abstract class MeanOfScores extends Mean {
  protected abstract scores(yTrue: Tensor, yPred: Tensor): Float64Array;
  override updateState(yTrue: TensorLike, yPred?: TensorLike, sampleWeight?: TensorLike): void {
    if (yPred === undefined) throw new Error(`${this.name}.updateState: expected (yTrue, yPred[, sampleWeight])`);
    super.updateState(this.scores(toTensor(this.name, yTrue), toTensor(this.name, yPred)), sampleWeight);
  }
}

function argmaxRows(v: ArrayLike<number>, cols: number): Int32Array {
  const rows = v.length / cols;
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    for (let c = 1; c < cols; c++) if (v[r * cols + c] > v[r * cols + best]) best = c;
    out[r] = best;
  }
  return out;
}

/**
 * How often the integer label equals the argmax of the prediction (tf.keras.metrics.SparseCategoricalAccuracy).
 * @example
 * const acc = tf.keras.metrics.SparseCategoricalAccuracy();
 * acc.updateState([2, 1], [[0.1, 0.6, 0.3], [0.05, 0.95, 0]]);
 * acc.result() // → 0.5
 */
export class SparseCategoricalAccuracy extends MeanOfScores {
  /** Builds the metric from {name}. */
  constructor(args: MetricArgs = {}) {
    super(args, 'sparse_categorical_accuracy');
  }
  protected scores(yTrue: Tensor, yPred: Tensor): Float64Array {
    const cols = yPred.shape[yPred.rank - 1];
    const predicted = argmaxRows(yPred.dataSync(), cols);
    const labels = yTrue.dataSync();
    if (labels.length !== predicted.length) throw new Error(`${this.name}: ${labels.length} labels (shape ${formatShape(yTrue.shape)}) for ${predicted.length} predictions (shape ${formatShape(yPred.shape)})`);
    return Float64Array.from(predicted, (p, i) => (p === Math.round(labels[i]) ? 1 : 0));
  }
}

/**
 * How often argmax of the one-hot label equals argmax of the prediction (tf.keras.metrics.CategoricalAccuracy).
 * @example
 * tf.keras.metrics.CategoricalAccuracy()([[0, 0, 1], [0, 1, 0]], [[0.1, 0.9, 0.8], [0.05, 0.95, 0]]) // → 0.5
 */
export class CategoricalAccuracy extends MeanOfScores {
  /** Builds the metric from {name}. */
  constructor(args: MetricArgs = {}) {
    super(args, 'categorical_accuracy');
  }
  protected scores(yTrue: Tensor, yPred: Tensor): Float64Array {
    const cols = yPred.shape[yPred.rank - 1];
    if (yTrue.size !== yPred.size) throw new Error(`${this.name}: yTrue shape ${formatShape(yTrue.shape)} and yPred shape ${formatShape(yPred.shape)} must match`);
    const t = argmaxRows(yTrue.dataSync(), cols), p = argmaxRows(yPred.dataSync(), cols);
    return Float64Array.from(p, (v, i) => (v === t[i] ? 1 : 0));
  }
}

/** Options of tf.keras.metrics.BinaryAccuracy. */
export interface BinaryAccuracyArgs extends MetricArgs {
  /** Predictions above it count as 1 (default 0.5). */
  threshold?: number;
}

/**
 * How often (yPred > threshold) equals the binary label, averaged over the last axis (tf.keras.metrics.BinaryAccuracy).
 * @example
 * tf.keras.metrics.BinaryAccuracy()([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]) // → 0.75
 */
export class BinaryAccuracy extends MeanOfScores {
  /** Predictions above it count as 1. */
  declare threshold: number;
  /** Builds the metric from {threshold, name}. */
  constructor(args: BinaryAccuracyArgs = {}) {
    super(args, 'binary_accuracy');
    this.threshold = args.threshold ?? 0.5;
  }
  protected scores(yTrue: Tensor, yPred: Tensor): Float64Array {
    if (yTrue.size !== yPred.size) throw new Error(`${this.name}: yTrue shape ${formatShape(yTrue.shape)} and yPred shape ${formatShape(yPred.shape)} must match`);
    const cols = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
    const t = yTrue.dataSync(), p = yPred.dataSync();
    const out = new Float64Array(p.length / cols);
    for (let i = 0; i < p.length; i++) out[Math.floor(i / cols)] += ((p[i] > this.threshold ? 1 : 0) === (t[i] > 0.5 ? 1 : 0) ? 1 : 0) / cols;
    return out;
  }
}

/**
 * The mean of per-example squared errors (tf.keras.metrics.MeanSquaredError).
 * @example
 * tf.keras.metrics.MeanSquaredError()([[0, 1], [0, 0]], [[1, 1], [0, 0]]) // → 0.25
 */
export class MeanSquaredErrorMetric extends MeanOfScores {
  /** Builds the metric from {name}. */
  constructor(args: MetricArgs = {}) {
    super(args, 'mean_squared_error');
  }
  protected scores(yTrue: Tensor, yPred: Tensor): Float64Array {
    if (yTrue.size !== yPred.size) throw new Error(`${this.name}: yTrue shape ${formatShape(yTrue.shape)} and yPred shape ${formatShape(yPred.shape)} must match`);
    const cols = yPred.rank === 0 ? 1 : yPred.shape[yPred.rank - 1];
    const t = yTrue.dataSync(), p = yPred.dataSync();
    const out = new Float64Array(p.length / cols);
    for (let i = 0; i < p.length; i++) out[Math.floor(i / cols)] += (p[i] - t[i]) ** 2 / cols;
    return out;
  }
}

/** Options of tf.keras.metrics.AUC. */
export interface AUCArgs extends MetricArgs {
  /** Thresholds the ROC curve is sampled at (default 200). */
  numThresholds?: number;
  /** Inputs are logits: a sigmoid is applied first (default false). */
  fromLogits?: boolean;
}

/**
 * Area under the ROC curve, from true/false positives and negatives counted at evenly spaced thresholds and
 * integrated by the trapezoidal rule (tf.keras.metrics.AUC, curve='ROC').
 * @example
 * const auc = tf.keras.metrics.AUC({ numThresholds: 3 });
 * auc.updateState([0, 0, 1, 1], [0, 0.5, 0.3, 0.9]);
 * auc.result() // → 0.75
 */
export class AUC extends Metric {
  /** Thresholds the curve is sampled at. */
  declare numThresholds: number;
  /** Whether predictions are logits. */
  declare fromLogits: boolean;
  declare protected thresholds: number[];
  declare protected counts: { tp: Variable; fp: Variable; tn: Variable; fn: Variable };
  /** Builds the metric from {numThresholds, fromLogits, name}. @throws Error unless numThresholds is an integer > 1. */
  constructor(args: AUCArgs = {}) {
    super(args, 'auc');
    const n = args.numThresholds ?? 200;
    if (!(Number.isInteger(n) && n > 1)) throw new Error(`AUC: numThresholds must be an integer > 1, got ${n}`);
    this.numThresholds = n;
    this.fromLogits = args.fromLogits ?? false;
    // Keras: thresholds just below 0 and just above 1 at the ends, evenly spaced between
    const eps = 1e-7;
    this.thresholds = [0 - eps, ...Array.from({ length: n - 2 }, (_, i) => (i + 1) / (n - 1)), 1 + eps];
    this.counts = { tp: this.addState('true_positives', [n]), fp: this.addState('false_positives', [n]), tn: this.addState('true_negatives', [n]), fn: this.addState('false_negatives', [n]) };
  }
  updateState(yTrue: TensorLike, yPred: TensorLike, sampleWeight?: TensorLike): void {
    const t = values(this.name, yTrue), p = values(this.name, yPred);
    if (t.length !== p.length) throw new Error(`${this.name}: ${t.length} labels for ${p.length} predictions`);
    const w = weightsFor(this.name, sampleWeight, p.length);
    const n = this.numThresholds;
    const tp = new Float64Array(n), fp = new Float64Array(n), tn = new Float64Array(n), fn = new Float64Array(n);
    for (let i = 0; i < p.length; i++) {
      const score = this.fromLogits ? 1 / (1 + Math.exp(-p[i])) : p[i];
      const positive = t[i] > 0.5;
      for (let k = 0; k < n; k++) {
        const predicted = score > this.thresholds[k];
        if (positive) { if (predicted) tp[k] += w[i]; else fn[k] += w[i]; } else if (predicted) fp[k] += w[i]; else tn[k] += w[i];
      }
    }
    this.accumulate(this.counts.tp, tp);
    this.accumulate(this.counts.fp, fp);
    this.accumulate(this.counts.tn, tn);
    this.accumulate(this.counts.fn, fn);
  }
  result(): Tensor {
    const tp = this.counts.tp.dataSync(), fp = this.counts.fp.dataSync(), tn = this.counts.tn.dataSync(), fn = this.counts.fn.dataSync();
    const rate = (a: number, b: number) => (a + b === 0 ? 0 : a / (a + b));
    let area = 0;
    for (let k = 0; k < this.numThresholds - 1; k++) {
      const tpr0 = rate(tp[k], fn[k]), tpr1 = rate(tp[k + 1], fn[k + 1]);
      const fpr0 = rate(fp[k], tn[k]), fpr1 = rate(fp[k + 1], tn[k + 1]);
      area += (fpr0 - fpr1) * (tpr0 + tpr1) / 2;
    }
    return constant(area, 'float32');
  }
}
