// compile / fit / evaluate / predict for Keras models. fit runs the same step a user would write by hand —
// record the forward pass and loss on a GradientTape, take gradients of the trainable variables, apply them —
// and logs loss and metrics through tf.summary.scalar so the inspector plots them live.
import { Tensor } from '../tensor/tensor';
import { allocate } from '../tensor/dtype';
import type { TensorLike } from '../tensor/convert';
import { formatShape } from '../shape/shape';
import { GradientTape } from '../autodiff/gradient_tape';
import { toTensor } from '../ops/op_inputs';
import { reduceMean } from '../ops/reduction';
import { makeRng } from '../ops/random';
import { scalar as logScalar } from '../runtime/summary';
import { enginePrint, hooks } from '../runtime/hooks';
import type { Callback, Logs } from './callbacks';
import type { Layer } from './layer';
import { Optimizer } from './optimizers/optimizer';
import { Adam } from './optimizers/adam';
import { SGD } from './optimizers/sgd';
import { RMSprop } from './optimizers/rmsprop';
import { Adagrad } from './optimizers/adagrad';
import { resolveLoss, type LossFn } from './losses';
import { resolveMetric, type MetricFn } from './metrics';

/** What model.compile() takes (Keras's compile arguments). */
export interface CompileArgs {
  /** An optimizer, or its name: 'adam', 'sgd', 'rmsprop', 'adagrad' (with Keras's default settings). */
  optimizer: Optimizer | string;
  /** A loss by name ('mse', 'categorical_crossentropy', 'sparse_categorical_crossentropy', …) or a function (yTrue, yPred). */
  loss: string | LossFn;
  /** Metrics by name ('accuracy', 'mae', …) or as functions (yTrue, yPred) → number; default none. */
  metrics?: (string | MetricFn)[];
}

export interface CompiledState {
  optimizer: Optimizer;
  lossName: string;
  loss: LossFn;
  metrics: { name: string; fn: MetricFn }[];
  /** Steps run by every fit() so far: the x axis of the live curves. */
  stepsRun: number;
}

export type { Callback, Logs };

/** Options of model.fit(x, y, args). */
export interface FitArgs {
  /** Passes over the data (default 1). */
  epochs?: number;
  /** Examples per gradient step (default 32); the last batch may be smaller. */
  batchSize?: number;
  /** [x, y] evaluated after each epoch, logged as val_loss and val_<metric>. */
  validationData?: [TensorLike, TensorLike];
  /** Called at the start and end of training, epochs and batches. */
  callbacks?: Callback[];
  /** 0: silent, 1 (default): one line per epoch. */
  verbose?: number;
  /** Shuffle the examples before each epoch (default true). */
  shuffle?: boolean;
  /** Seeds the per-epoch shuffle. */
  seed?: number;
}

/** Options of model.evaluate(x, y, args). */
export interface EvaluateArgs {
  /** Examples per batch (default 32); the result does not depend on it. */
  batchSize?: number;
}

/** What fit() returns (Keras's History callback). */
export interface History {
  /** Per-epoch values by name: loss, each metric, and val_* with validationData. */
  history: Record<string, number[]>;
  /** The epochs run, 0-based. */
  epoch: number[];
  /** How fit ran. */
  params: {
    /** Epochs asked for. */
    epochs: number;
    /** Batches per epoch. */
    steps: number;
    /** Examples per batch. */
    batchSize: number;
  };
}

/** What training needs from a model (TrainableModel satisfies it). */
export interface Trainable extends Layer {
  compiled: CompiledState | null;
  stopTraining: boolean;
}

const OPTIMIZERS_BY_NAME: Record<string, () => Optimizer> = {
  adam: () => new Adam(),
  sgd: () => new SGD(),
  rmsprop: () => new RMSprop(),
  adagrad: () => new Adagrad(),
};

export function compileModel(owner: string, args: CompileArgs): CompiledState {
  if (!args || args.optimizer === undefined || args.loss === undefined) throw new Error(`${owner}.compile: expected {optimizer, loss, metrics?}`);
  let optimizer: Optimizer;
  if (typeof args.optimizer === 'string') {
    const make = OPTIMIZERS_BY_NAME[args.optimizer.toLowerCase()];
    if (make === undefined) throw new Error(`${owner}.compile: unknown optimizer '${args.optimizer}' (known: ${Object.keys(OPTIMIZERS_BY_NAME).join(', ')})`);
    optimizer = make();
  } else if (args.optimizer instanceof Optimizer) {
    optimizer = args.optimizer;
  } else {
    throw new Error(`${owner}.compile: optimizer must be a name or a tf.keras.optimizers instance`);
  }
  const loss = resolveLoss(args.loss);
  const metrics = (args.metrics ?? []).map((m) => resolveMetric(m, loss.name));
  return { optimizer, lossName: loss.name, loss: loss.fn, metrics, stepsRun: 0 };
}

function requireCompiled(model: Trainable, what: string): CompiledState {
  if (model.compiled === null) throw new Error(`${model.name}.${what}: compile the model first, e.g. model.compile({optimizer: 'adam', loss: 'categorical_crossentropy', metrics: ['accuracy']})`);
  return model.compiled;
}

function examples(owner: string, x: TensorLike, y: TensorLike | null): [Tensor, Tensor | null] {
  const xt = toTensor(owner, x, 'float32');
  if (xt.rank === 0) throw new Error(`${owner}: x needs a batch axis, got a scalar`);
  if (y === null) return [xt, null];
  const yt = toTensor(owner, y, 'float32');
  if (yt.rank === 0 || yt.shape[0] !== xt.shape[0]) {
    throw new Error(`${owner}: x has ${xt.shape[0]} examples (shape ${formatShape(xt.shape)}) but y has shape ${formatShape(yt.shape)}`);
  }
  return [xt, yt];
}

/** Rows order[start..end) of t, copied into a fresh tensor (batching, so no tape). */
function takeRows(t: Tensor, order: Int32Array | null, start: number, end: number): Tensor {
  const rowSize = t.size / t.shape[0];
  const src = t.dataSync();
  const count = end - start;
  if (order === null) return new Tensor(src.slice(start * rowSize, end * rowSize), [count, ...t.shape.slice(1)], t.dtype);
  const out = allocate(t.dtype, count * rowSize);
  for (let r = 0; r < count; r++) {
    const from = order[start + r] * rowSize;
    out.set(src.subarray(from, from + rowSize), r * rowSize);
  }
  return new Tensor(out, [count, ...t.shape.slice(1)], t.dtype);
}

function shuffleInPlace(order: Int32Array, rng: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = order[i];
    order[i] = order[j];
    order[j] = tmp;
  }
}

function positiveInteger(owner: string, name: string, value: number): number {
  if (!(Number.isInteger(value) && value > 0)) throw new Error(`${owner}: ${name} must be a positive integer, got ${value}`);
  return value;
}

export function fitModel(model: Trainable, x: TensorLike, y: TensorLike, args: FitArgs): History {
  const owner = `${model.name}.fit`;
  const state = requireCompiled(model, 'fit');
  const [xt, yt] = examples(owner, x, y) as [Tensor, Tensor];
  const epochs = positiveInteger(owner, 'epochs', args.epochs ?? 1);
  const batchSize = positiveInteger(owner, 'batchSize', args.batchSize ?? 32);
  const verbose = args.verbose ?? 1;
  const callbacks = args.callbacks ?? [];
  const n = xt.shape[0];
  const steps = Math.ceil(n / batchSize);
  const rng = makeRng(args.seed ?? Math.floor(Math.random() * 2 ** 31));
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const history: History = { history: {}, epoch: [], params: { epochs, steps, batchSize } };
  const record = (name: string, value: number) => (history.history[name] ??= []).push(value);

  model.stopTraining = false;
  const progress = new FitProgressReporter(model.name, epochs, steps);
  for (const cb of callbacks) cb.setModel?.(model);
  for (const cb of callbacks) cb.onTrainBegin?.({});
  for (let epoch = 0; epoch < epochs && !model.stopTraining; epoch++) {
    for (const cb of callbacks) cb.onEpochBegin?.(epoch, {});
    if (args.shuffle ?? true) shuffleInPlace(order, rng);
    const sums: Logs = { loss: 0 };
    for (const m of state.metrics) sums[m.name] = 0;
    for (let b = 0; b < steps; b++) {
      const start = b * batchSize;
      const end = Math.min(n, start + batchSize);
      const xb = takeRows(xt, order, start, end);
      const yb = takeRows(yt, order, start, end);
      for (const cb of callbacks) cb.onBatchBegin?.(b, {});
      const logs = trainStep(model, state, xb, yb);
      for (const [k, v] of Object.entries(logs)) {
        sums[k] += v * (end - start);
        logScalar(k, v, state.stepsRun);
      }
      state.stepsRun++;
      for (const cb of callbacks) cb.onBatchEnd?.(b, logs);
      progress.batchDone(epoch, b + 1, logs.loss);
    }
    const epochLogs: Logs = {};
    for (const [k, v] of Object.entries(sums)) epochLogs[k] = v / n;
    if (args.validationData) {
      const [vx, vy] = args.validationData;
      const val = evaluateLogs(model, state, vx, vy, batchSize);
      for (const [k, v] of Object.entries(val)) epochLogs[`val_${k}`] = v;
    }
    for (const [k, v] of Object.entries(epochLogs)) {
      record(k, v);
      logScalar(`epoch_${k}`, v, epoch);
    }
    history.epoch.push(epoch);
    if (verbose > 0) {
      enginePrint(`Epoch ${epoch + 1}/${epochs}\n${steps}/${steps} - ${Object.entries(epochLogs).map(([k, v]) => `${k}: ${v.toFixed(4)}`).join(' - ')}`);
    }
    for (const cb of callbacks) cb.onEpochEnd?.(epoch, epochLogs);
  }
  progress.finished();
  for (const cb of callbacks) cb.onTrainEnd?.({});
  return history;
}

/** Tells the host where fit() is (epoch, batch, ETA), at most every PROGRESS_INTERVAL_MS and once at the end. */
const PROGRESS_INTERVAL_MS = 200;
class FitProgressReporter {
  private readonly started = Date.now();
  private lastSent = 0;
  private last = { epoch: 0, batch: 0, loss: NaN };

  constructor(private readonly model: string, private readonly epochs: number, private readonly batches: number) {}

  batchDone(epoch: number, batch: number, loss: number): void {
    this.last = { epoch, batch, loss };
    const now = Date.now();
    if (now - this.lastSent >= PROGRESS_INTERVAL_MS) this.send(now, false);
  }

  finished(): void {
    this.send(Date.now(), true);
  }

  private send(now: number, done: boolean): void {
    const sink = hooks.fitProgressSink;
    if (sink === null) return;
    this.lastSent = now;
    const elapsedMs = now - this.started;
    const batchesDone = this.last.epoch * this.batches + this.last.batch;
    const total = this.epochs * this.batches;
    const etaMs = done || batchesDone === 0 ? 0 : (elapsedMs / batchesDone) * (total - batchesDone);
    sink({ model: this.model, epoch: this.last.epoch, epochs: this.epochs, batch: this.last.batch, batches: this.batches, elapsedMs, etaMs, loss: this.last.loss, done });
  }
}

function trainStep(model: Trainable, state: CompiledState, xb: Tensor, yb: Tensor): Logs {
  const variables = model.trainableVariables;
  const tape = new GradientTape();
  let prediction: Tensor | null = null;
  const loss = tape.record(() => {
    prediction = model.apply(xb, { training: true });
    return reduceMean(state.loss(yb, prediction));
  });
  const grads = tape.gradient(loss, variables) as (Tensor | null)[];
  state.optimizer.applyGradients(grads, variables);
  const logs: Logs = { loss: loss.dataSync()[0] };
  for (const m of state.metrics) logs[m.name] = m.fn(yb, prediction as unknown as Tensor);
  return logs;
}

function evaluateLogs(model: Trainable, state: CompiledState, x: TensorLike, y: TensorLike, batchSize: number): Logs {
  const [xt, yt] = examples(`${model.name}.evaluate`, x, y) as [Tensor, Tensor];
  const n = xt.shape[0];
  const sums: Logs = { loss: 0 };
  for (const m of state.metrics) sums[m.name] = 0;
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const xb = takeRows(xt, null, start, end);
    const yb = takeRows(yt, null, start, end);
    const prediction = model.apply(xb, { training: false });
    sums.loss += reduceMean(state.loss(yb, prediction)).dataSync()[0] * (end - start);
    for (const m of state.metrics) sums[m.name] += m.fn(yb, prediction) * (end - start);
  }
  const logs: Logs = {};
  for (const [k, v] of Object.entries(sums)) logs[k] = n === 0 ? 0 : v / n;
  return logs;
}

/** The loss alone without metrics, else [loss, ...metrics] in compile order (Keras's return shape). */
export function evaluateModel(model: Trainable, x: TensorLike, y: TensorLike, args: EvaluateArgs): number | number[] {
  const state = requireCompiled(model, 'evaluate');
  const logs = evaluateLogs(model, state, x, y, positiveInteger(`${model.name}.evaluate`, 'batchSize', args.batchSize ?? 32));
  return state.metrics.length === 0 ? logs.loss : [logs.loss, ...state.metrics.map((m) => logs[m.name])];
}

export function predictModel(model: Layer, x: TensorLike, args: { batchSize?: number }): Tensor {
  const [xt] = examples(`${model.name}.predict`, x, null);
  const batchSize = positiveInteger(`${model.name}.predict`, 'batchSize', args.batchSize ?? 32);
  const n = xt.shape[0];
  const parts: Tensor[] = [];
  for (let start = 0; start < n; start += batchSize) parts.push(model.apply(takeRows(xt, null, start, Math.min(n, start + batchSize)), { training: false }));
  if (parts.length === 1) return parts[0];
  const rowShape = parts[0].shape.slice(1);
  const out = allocate(parts[0].dtype, parts.reduce((s, p) => s + p.size, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p.dataSync(), offset);
    offset += p.size;
  }
  return new Tensor(out, [n, ...rowShape], parts[0].dtype);
}
