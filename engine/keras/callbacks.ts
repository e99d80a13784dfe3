// Keras callbacks for model.fit: the hooks it calls and EarlyStopping.
import { Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import type { FloatArray } from '../tensor/dtype';

export type Logs = Record<string, number>;

/** What a callback may reach of the model being fitted (Keras's callback.model). */
export interface FittedModel {
  readonly name: string;
  stopTraining: boolean;
  readonly trainableVariables: Variable[];
}

/**
 * A set of functions model.fit calls as it trains, as Keras's `tf.keras.callbacks.Callback`. Any subset may be
 * given as a plain object: `{ onEpochEnd: (epoch, logs) => print(epoch, logs.loss) }`.
 *
 * @example
 * const model = tf.keras.Sequential([tf.keras.layers.Dense(1, { inputShape: [1] })]);
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const x = tf.constant([[0], [1], [2]]), y = tf.constant([[1], [3], [5]]);
 * const seen: number[] = [];
 * model.fit(x, y, { epochs: 3, verbose: 0, callbacks: [{ onEpochEnd: (epoch, logs) => { seen.push(logs.loss); } }] });
 * seen.length // → 3
 */
export interface Callback {
  /** Called once before training with the model (Keras's set_model). */
  setModel?(model: FittedModel): void;
  onTrainBegin?(logs: Logs): void;
  onEpochBegin?(epoch: number, logs: Logs): void;
  onBatchBegin?(batch: number, logs: Logs): void;
  onBatchEnd?(batch: number, logs: Logs): void;
  onEpochEnd?(epoch: number, logs: Logs): void;
  onTrainEnd?(logs: Logs): void;
}

export interface EarlyStoppingArgs {
  /** The logged quantity to watch (default 'val_loss'; 'loss' without validation data). */
  monitor?: string;
  /** A change smaller than this is no improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** 'min', 'max' or 'auto' (default: 'max' for names with 'acc', else 'min'). */
  mode?: 'min' | 'max' | 'auto';
  /** Stop unless the monitored value beats this (default none). */
  baseline?: number;
  /** Put back the weights of the best epoch when stopping (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops model.fit once a monitored quantity has stopped improving, as `tf.keras.callbacks.EarlyStopping`.
 * `stoppedEpoch` is the 0-based epoch it stopped after (0 if it never did).
 *
 * @param args monitor ('val_loss'), minDelta (0), patience (0), mode ('auto'), baseline, restoreBestWeights (false).
 * @throws if `mode` is not 'min', 'max' or 'auto', or patience is negative.
 * @example
 * const model = tf.keras.Sequential([tf.keras.layers.Dense(1, { inputShape: [1] })]);
 * model.compile({ optimizer: 'sgd', loss: 'mse' });
 * const x = tf.constant([[0], [1], [2]]), y = tf.constant([[1], [3], [5]]);
 * const stop = tf.keras.callbacks.EarlyStopping({ monitor: 'loss', patience: 2, minDelta: 1e9 });
 * const history = model.fit(x, y, { epochs: 100, verbose: 0, callbacks: [stop] });
 * history.epoch.length // → 3
 * print(history.epoch.length, stop.stoppedEpoch);
 */
export class EarlyStopping implements Callback {
  readonly monitor: string;
  readonly minDelta: number;
  readonly patience: number;
  readonly baseline: number | undefined;
  readonly restoreBestWeights: boolean;
  wait = 0;
  stoppedEpoch = 0;
  best = Infinity;
  bestEpoch = 0;
  private readonly sign: 1 | -1;
  private model: FittedModel | undefined;
  private bestWeights: FloatArray[] | null = null;

  constructor(args: EarlyStoppingArgs = {}) {
    this.monitor = args.monitor ?? 'val_loss';
    this.minDelta = Math.abs(args.minDelta ?? 0);
    this.patience = args.patience ?? 0;
    if (!(Number.isInteger(this.patience) && this.patience >= 0)) throw new Error(`EarlyStopping: patience must be a non-negative integer, got ${args.patience}`);
    const mode = args.mode ?? 'auto';
    if (mode !== 'min' && mode !== 'max' && mode !== 'auto') throw new Error(`EarlyStopping: mode must be 'min', 'max' or 'auto', got '${String(mode)}'`);
    const maximise = mode === 'max' || (mode === 'auto' && /acc/.test(this.monitor));
    this.sign = maximise ? -1 : 1;
    this.baseline = args.baseline;
    this.restoreBestWeights = args.restoreBestWeights ?? false;
  }

  setModel(model: FittedModel): void {
    this.model = model;
  }

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    // Compared as sign·value, so lower is always better.
    this.best = this.baseline === undefined ? Infinity : this.sign * this.baseline;
    this.bestWeights = null;
  }

  onEpochEnd(epoch: number, logs: Logs): void {
    const value = logs[this.monitor];
    if (value === undefined) {
      throw new Error(`EarlyStopping: '${this.monitor}' is not among the logged values (${Object.keys(logs).join(', ')}); pass validationData for val_* or monitor another`);
    }
    const score = this.sign * value;
    this.wait++;
    if (score < this.best - this.minDelta) {
      this.best = score;
      this.bestEpoch = epoch;
      this.wait = 0;
      if (this.restoreBestWeights && this.model) this.bestWeights = this.model.trainableVariables.map((v) => (v.dataSync() as FloatArray).slice());
      return;
    }
    if (this.wait >= this.patience && epoch > 0 && this.model) {
      this.stoppedEpoch = epoch;
      this.model.stopTraining = true;
      if (this.bestWeights) this.model.trainableVariables.forEach((v, i) => v.assign(new Tensor(this.bestWeights![i], v.shape.slice(), v.dtype)));
    }
  }
}
