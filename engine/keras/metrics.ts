// Metrics for compile({metrics}): each returns the batch's mean as a number. 'accuracy' picks categorical,
// sparse or binary accuracy from the loss, as Keras does.
import type { Tensor } from '../tensor/tensor';

/** A metric as compile() takes it: the batch's mean value as a number. */
export type MetricFn = (yTrue: Tensor, yPred: Tensor) => number;

function argmaxRow(v: ArrayLike<number>, base: number, cols: number): number {
  let best = 0;
  for (let c = 1; c < cols; c++) if (v[base + c] > v[base + best]) best = c;
  return best;
}

/**
 * tf.keras.metrics.categoricalAccuracy: the fraction of rows whose largest prediction is at the one-hot label's
 * position. yTrue and yPred [batch, classes]; returns a number.
 * @example
 * ```ts
 * tf.keras.metrics.categoricalAccuracy(tf.constant([[0, 1], [1, 0]]), tf.constant([[0.2, 0.8], [0.3, 0.7]])) // → 0.5
 * ```
 */
export function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const cols = yPred.shape[yPred.rank - 1];
  const rows = yPred.size / cols;
  const t = yTrue.dataSync(), p = yPred.dataSync();
  let hits = 0;
  for (let r = 0; r < rows; r++) if (argmaxRow(t, r * cols, cols) === argmaxRow(p, r * cols, cols)) hits++;
  return rows === 0 ? 0 : hits / rows;
}

/**
 * tf.keras.metrics.sparseCategoricalAccuracy: the fraction of rows whose largest prediction is at the integer
 * label. yTrue [batch], yPred [batch, classes]; returns a number.
 * @example
 * ```ts
 * tf.keras.metrics.sparseCategoricalAccuracy(tf.constant([1, 1]), tf.constant([[0.2, 0.8], [0.3, 0.7]])) // → 1
 * ```
 */
export function sparseCategoricalAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const cols = yPred.shape[yPred.rank - 1];
  const rows = yPred.size / cols;
  const t = yTrue.dataSync(), p = yPred.dataSync();
  let hits = 0;
  for (let r = 0; r < rows; r++) if (Math.round(t[r]) === argmaxRow(p, r * cols, cols)) hits++;
  return rows === 0 ? 0 : hits / rows;
}

/**
 * tf.keras.metrics.binaryAccuracy: the fraction of predictions on the same side of 0.5 as their label.
 * @example
 * ```ts
 * tf.keras.metrics.binaryAccuracy(tf.constant([1, 0, 1]), tf.constant([0.9, 0.4, 0.2])) // → 0.666667
 * ```
 */
export function binaryAccuracy(yTrue: Tensor, yPred: Tensor): number {
  const t = yTrue.dataSync(), p = yPred.dataSync();
  let hits = 0;
  for (let i = 0; i < p.length; i++) if ((p[i] > 0.5 ? 1 : 0) === (t[i] > 0.5 ? 1 : 0)) hits++;
  return p.length === 0 ? 0 : hits / p.length;
}

function meanOf(f: (d: number) => number): MetricFn {
  return (yTrue, yPred) => {
    const t = yTrue.dataSync(), p = yPred.dataSync();
    let s = 0;
    for (let i = 0; i < p.length; i++) s += f(p[i] - t[i]);
    return p.length === 0 ? 0 : s / p.length;
  };
}

const BY_NAME: Record<string, MetricFn> = {
  categorical_accuracy: categoricalAccuracy,
  sparse_categorical_accuracy: sparseCategoricalAccuracy,
  binary_accuracy: binaryAccuracy,
  mse: meanOf((d) => d * d),
  mae: meanOf(Math.abs),
};

/** Resolves a metric name for a model compiled with `lossName`; returns the name logged and the function. */
export function resolveMetric(id: string | MetricFn, lossName: string): { name: string; fn: MetricFn } {
  if (typeof id === 'function') return { name: id.name || 'metric', fn: id };
  const key = id.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
  if (key === 'accuracy' || key === 'acc') {
    const loss = lossName.replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
    const fn = loss.startsWith('sparse') ? sparseCategoricalAccuracy : loss.startsWith('binary') ? binaryAccuracy : categoricalAccuracy;
    return { name: id, fn };
  }
  const fn = BY_NAME[key === 'mean_squared_error' ? 'mse' : key === 'mean_absolute_error' ? 'mae' : key];
  if (fn === undefined) throw new Error(`compile: unknown metric '${id}' (known: accuracy, ${Object.keys(BY_NAME).join(', ')})`);
  return { name: id, fn };
}
