// Keras callbacks for model.fit: the hooks it calls and EarlyStopping.
import { Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import type { FloatArray } from '../tensor/dtype';

/** Loss and metric values by name ('loss', 'accuracy', 'val_loss', …). */
export type Logs = Record<string, number>;

/** What a callback may reach of the model being fitted (Keras's callback.model). */
export interface FittedModel {
  /** The model's name. */
  readonly name: string;
  /** Set true to end fit() after the current epoch (Keras's model.stop_training). */
  stopTraining: boolean;
  /** The variables fit() trains. */
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
  /** Before the first epoch. */
  onTrainBegin?(logs: Logs): void;
  /** Before each epoch (0-based). */
  onEpochBegin?(epoch: number, logs: Logs): void;
  /** Before each batch. */
  onBatchBegin?(batch: number, logs: Logs): void;
  /** After each batch, with that batch's loss and metrics. */
  onBatchEnd?(batch: number, logs: Logs): void;
  /** After each epoch, with its mean loss and metrics (and val_* with validationData). */
  onEpochEnd?(epoch: number, logs: Logs): void;
  /** After the last epoch. */
  onTrainEnd?(logs: Logs): void;
}

/** Options of tf.keras.callbacks.EarlyStopping (Keras's arguments, camelCased). */
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
 */
export class EarlyStopping implements Callback {
  /** The logged quantity watched. */
  readonly monitor: string;
  /** The smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** Epochs without improvement tolerated. */
  readonly patience: number;
  /** The value to beat, if any. */
  readonly baseline: number | undefined;
  /** Whether the best epoch's weights are put back on stopping. */
  readonly restoreBestWeights: boolean;
  /** Epochs since the last improvement. */
  wait = 0;
  /** The epoch training stopped at (0 if it ran to the end). */
  stoppedEpoch = 0;
  /** The best monitored value so far. */
  best = Infinity;
  /** The epoch of the best value. */
  bestEpoch = 0;
  private readonly sign: 1 | -1;
  private model: FittedModel | undefined;
  private bestWeights: FloatArray[] | null = null;

  /** EarlyStopping({monitor, minDelta, patience, mode, baseline, restoreBestWeights}); defaults as Keras. */
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

  /** Remembers the model fit() trains. */
  setModel(model: FittedModel): void {
    this.model = model;
  }

  /** Resets the counters for a new fit(). */
  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    // Compared as sign·value, so lower is always better.
    this.best = this.baseline === undefined ? Infinity : this.sign * this.baseline;
    this.bestWeights = null;
  }

  /** Compares the monitored value with the best so far; stops the model after `patience` epochs without improvement. */
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
