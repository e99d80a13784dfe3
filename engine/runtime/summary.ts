// tf.summary: scalar points for the inspector's live training curves (always) and, while a file writer is the
// default, TensorBoard event records (scalars and histograms).
import { Tensor } from '../tensor/tensor';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { hooks } from './hooks';
import { currentWriter, SummaryWriter, type FileWriterArgs } from '../tensorboard/file_writer';
import type { HistogramFields } from '../tensorboard/event_proto';

const nextStep = new Map<string, number>();

function stepFor(name: string, step: number | undefined, owner: string): number {
  if (step !== undefined && !(Number.isFinite(step) && Number.isInteger(step) && step >= 0)) {
    throw new Error(`${owner}: step for '${name}' must be a non-negative integer, got ${String(step)}`);
  }
  const s = step ?? nextStep.get(name) ?? 0;
  nextStep.set(name, s + 1);
  return s;
}

/**
 * Logs a scalar, as TF's `tf.summary.scalar`: a point on the inspector's live chart, and a TensorBoard record when
 * a file writer is the default.
 *
 * @param name the curve's tag ('loss').
 * @param value a number or a scalar tensor.
 * @param step the x position; default: one more than this tag's last step (from 0).
 * @throws if name is empty, value is not a number or a one-element tensor, or step is not a non-negative integer.
 * @example
 * for (let step = 0; step < 100; step++) tf.summary.scalar('loss', 1 / (1 + step), step);
 */
export function scalar(name: string, value: number | Tensor, step?: number): void {
  if (typeof name !== 'string' || name === '') throw new Error('summary.scalar: name must be a non-empty string');
  const v = value instanceof Tensor ? value.dataSync()[0] : value;
  if (typeof v !== 'number') throw new Error(`summary.scalar: value must be a number or a scalar tensor, got ${typeof value}`);
  if (value instanceof Tensor && value.size !== 1) throw new Error(`summary.scalar: '${name}' needs a scalar, got a tensor of ${value.size} elements`);
  const s = stepFor(name, step, 'summary.scalar');
  hooks.metricSink?.({ name, step: s, value: v, wallTime: Date.now() });
  currentWriter()?.writeScalar(name, v, s);
}

/**
 * Writes a histogram of `values` to the default file writer, as TF's `tf.summary.histogram` (TensorBoard shows it
 * in its histogram and distribution dashboards). Returns false, writing nothing, when no writer is the default.
 *
 * @param name the tag ('dense/kernel').
 * @param values any tensor or nested array of numbers; NaN entries are left out of the buckets.
 * @param step default: one more than this tag's last step (from 0).
 * @param buckets number of equal-width buckets between the smallest and largest value (default 30).
 * @throws if name is empty, buckets is not a positive integer or step is not a non-negative integer.
 * @example
 * const writer = tf.summary.createFileWriter('/tmp/tapescope-logs/demo');
 * writer.asDefault(() => tf.summary.histogram('weights', tf.random.normal([1000]), 0));
 */
export function histogram(name: string, values: TensorLike, step?: number, buckets = 30): boolean {
  if (typeof name !== 'string' || name === '') throw new Error('summary.histogram: name must be a non-empty string');
  if (!(Number.isInteger(buckets) && buckets > 0)) throw new Error(`summary.histogram: buckets must be a positive integer, got ${String(buckets)}`);
  const writer = currentWriter();
  const s = stepFor(`histogram:${name}`, step, 'summary.histogram');
  if (writer === null) return false;
  const tensor = values instanceof Tensor ? values : makeTensor('summary.histogram', values, 'float32');
  writer.writeHistogram(name, histogramOf(tensor.dataSync(), buckets), s);
  return true;
}

/** Equal-width buckets over [min, max] as TensorBoard's HistogramProto: right edges and counts. */
export function histogramOf(values: ArrayLike<number>, buckets: number): HistogramFields {
  let min = Infinity, max = -Infinity, num = 0, sum = 0, sumSquares = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) continue;
    if (x < min) min = x;
    if (x > max) max = x;
    num++;
    sum += x;
    sumSquares += x * x;
  }
  if (num === 0) return { min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimit: [], bucket: [] };
  const lo = min === max ? min - 0.5 : min;
  const hi = min === max ? max + 0.5 : max;
  const width = (hi - lo) / buckets;
  const bucket = new Array<number>(buckets).fill(0);
  for (let i = 0; i < values.length; i++) {
    const x = values[i];
    if (x !== x) continue;
    bucket[Math.min(buckets - 1, Math.max(0, Math.floor((x - lo) / width)))]++;
  }
  const bucketLimit = bucket.map((_, i) => (i === buckets - 1 ? hi : lo + width * (i + 1)));
  return { min, max, num, sum, sumSquares, bucketLimit, bucket };
}

/**
 * A writer of TensorBoard event files in `logdir`, as TF's `tf.summary.create_file_writer`. Summaries written while it
 * is the default (`writer.asDefault(fn)`) go to `logdir/events.out.tfevents.*`; open the folder with
 * `tensorboard --logdir`. The live inspector receives tf.summary.scalar points with or without a writer.
 *
 * @param logdir the folder (created if missing).
 * @param args flushMillis (default 1000), filenameSuffix (default '').
 * @throws if logdir is empty or cannot be created.
 * @example
 * const writer = tf.summary.createFileWriter('/tmp/tapescope-logs/run1');
 * writer.asDefault(() => { for (let step = 0; step < 10; step++) tf.summary.scalar('loss', 1 / (step + 1), step); });
 */
export function createFileWriter(logdir: string, args?: FileWriterArgs): SummaryWriter {
  return new SummaryWriter(logdir, args);
}

/** Forgets automatic step counters (a new cell run starts its curves at step 0). */
export function resetSteps(): void {
  nextStep.clear();
}
