// tf.GradientTape with TensorFlow's contract: what is watched, when a tape may be reused, what null means.
import { Tensor } from '../tensor/tensor';
import { Variable, readValue } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { formatShape, sizeOf } from '../shape/shape';
import { formatShapeTuple } from '../tensor/format';
import { beginGraph, beginTape, enclosingRecorder, newRecorderId, pause, recording, type RecordingTape, type Traceable } from '../tape/recording_state';
import type { TapeNode } from '../tape/tape_node';
import { WatchedIds } from '../tape/watched_ids';
import { captureSite } from '../tape/op_runner';
import { hooks } from '../runtime/hooks';
import { backprop, reachableFrom, type BackpropObserver } from '../tape/backprop';
import { explainNullGradient, type NullGradientExplanation } from '../tape/explain_null';
import { zerosLike, fill } from '../ops/creation';
import { add } from '../ops/arithmetic';
import { reshape, stack } from '../ops/shape_ops';
import { TracedGraph } from '../graph/traced_graph';
import { exportTape } from '../trace/export_tape';
import { BackwardStepRecorder } from '../trace/backward_steps';
import type { TapeTrace } from '../trace/trace_format';
import type { UserNames } from '../trace/user_names';
import { seedsFor, type SeedMessages } from './seeds';

/** Options of `new tf.GradientTape(options)` (TF's constructor arguments, camelCased). */
export interface GradientTapeOptions {
  /** Allow more than one gradient/jacobian call (default false: the tape is released after the first). */
  persistent?: boolean;
  /** Watch trainable variables automatically when they are read while recording (default true). */
  watchAccessedVariables?: boolean;
  /** Also log every op's forward closure while recording, so tf.test.checkTape can re-run the computation. */
  checkable?: boolean;
}

/** Options of `tape.jacobian`. */
export interface JacobianOptions {
  /** 'none' (default) gives null when target does not depend on source; 'zero' gives zeros. */
  unconnectedGradients?: 'none' | 'zero';
}

/** Options of tape.gradient (TF's `output_gradients`, `unconnected_gradients`). */
export interface GradientOptions {
  /** The gradient flowing into each target, shaped as it (default ones): a vector-Jacobian product. */
  outputGradients?: TensorLike | TensorLike[] | null;
  /** 'none' (default) gives null for a source the targets do not depend on; 'zero' gives zeros. */
  unconnectedGradients?: 'none' | 'zero';
}

/** Sources as users pass them: one tensor, an array, or an object of tensors (nested). */
export type Sources = Tensor | readonly Sources[] | { readonly [key: string]: Sources };
/** The gradient result mirrors the sources' structure, with null for unconnected ones. */
export type GradientsOf<S> = S extends Tensor ? Tensor | null
  : S extends readonly unknown[] ? { [K in keyof S]: GradientsOf<S[K]> }
  : S extends object ? { [K in keyof S]: GradientsOf<S[K]> } : never;

/** @internal */
export interface GradientCallRecord {
  targets: Tensor[];
  sources: Tensor[];
  results: (Tensor | null)[];
  /** Gradient of the summed targets with respect to every tensor on a path (kept when a trace is captured). */
  all: Map<number, Tensor> | null;
  /** The backward pass step by step (kept when a trace is captured). */
  steps: BackwardStepRecorder | null;
  /** The call stack of the gradient() call, resolved into the user's line if a trace needs it. */
  site?: Error;
}

/** A jacobian() / batchJacobian() call, kept while a trace is captured so the inspector can draw its matrices. */
export interface JacobianCallRecord {
  kind: 'jacobian' | 'batchJacobian';
  target: Tensor;
  sources: readonly Tensor[];
  results: (Tensor | null)[];
  site?: Error;
}

/** The error a second gradient() on a non-persistent tape throws (TF's wording). */
export const NON_PERSISTENT_MESSAGE = 'GradientTape.gradient can only be called once on non-persistent tapes.';

const SEED_MESSAGES: SeedMessages = {
  op: 'GradientTape.gradient',
  count: (given, targets) => `GradientTape.gradient: ${given} outputGradients for ${targets} targets`,
  shape: (_i, seed, target) => `GradientTape.gradient: outputGradients shape ${formatShape(seed.shape)} does not match target shape ${formatShape(target.shape)}`,
};

/**
 * tf.GradientTape: records the ops run inside `record` on watched tensors — trainable variables automatically,
 * constants after `watch` — and computes gradients of a target with respect to sources by reverse-mode
 * autodiff. `tape.record(() => …)` is TF's `with tf.GradientTape() as tape:`; tapes nest for higher derivatives.
 * @example
 * ```ts
 * const x = tf.constant(3.0);
 * const tape = new tf.GradientTape();
 * tape.watch(x);
 * const y = tape.record(() => x.mul(x));
 * tape.gradient(y, x) // → 6
 * ```
 * @example
 * ```ts
 * // Second derivative: the outer tape records the inner tape's gradient computation.
 * const v = new tf.Variable(3.0);
 * const outer = new tf.GradientTape();
 * const inner = new tf.GradientTape();
 * const dy = outer.record(() => inner.gradient(inner.record(() => v.pow(3)), v)!);
 * dy // → 27
 * outer.gradient(dy, v) // → 18
 * ```
 */
export class GradientTape implements RecordingTape, Traceable {
  /** @internal Unique per tape; traces link nested tapes by it. */
  readonly id = newRecorderId();
  /** Whether `gradient` may be called more than once (TF's `persistent=`); default false. */
  readonly persistent: boolean;
  /** Whether trainable variables read while recording are watched automatically (TF's `watch_accessed_variables=`); default true. */
  readonly watchAccessedVariables: boolean;
  /** @internal >0 while inside stopRecording() or this tape's own gradient computation. */
  pausedDepth = 0;
  /** @internal */
  watchedIds = new WatchedIds();
  /** @internal */
  nodes: TapeNode[] = [];
  /** @internal Watched tensors and variables by id, in the order they were first watched. */
  readonly watchedTensors = new Map<number, Tensor>();
  /** @internal Tape that was recording when this one first started (nesting), and tapes started inside this one. */
  parentTapeId: number | undefined;
  /** @internal */
  readonly childTapeIds: number[] = [];
  /** @internal */
  readonly gradientCalls: GradientCallRecord[] = [];
  /** @internal The jacobian calls made while a trace is captured. */
  readonly jacobianCalls: JacobianCallRecord[] = [];
  /** @internal Every op run while recording (checkable tapes only), for tf.test.checkTape. */
  readonly forwardLog: TracedGraph | null;
  /** @internal What record()'s function threw, if it did (shown on the tape's trace). */
  stoppedBy: unknown = undefined;
  private used = false;
  private active = false;
  private captured = false;
  /** Stop recording on this tape (and its forward log, if this tape began it); set while recording. */
  private stop: (() => void)[] = [];

  /** A new tape, not yet recording; `options` sets persistent, watchAccessedVariables, checkable. */
  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
    this.forwardLog = options.checkable ? new TracedGraph(`forward log of tape ${this.id}`, false) : null;
  }

  /**
   * Runs `fn` while this tape records (TF's `with tf.GradientTape() as tape:`) and returns its result; an async fn
   * records until its promise settles. Recording again on the same tape adds to what it holds.
   * @throws Error when fn is not a function, or this tape is already recording (nest a new tape instead).
   */
  record<T>(fn: () => T): T {
    if (typeof fn !== 'function') throw new Error('GradientTape.record: expected a function to run while recording');
    if (this.active) throw new Error('GradientTape.record: this tape is already recording; tapes cannot be re-entered while recording (create a new tape to nest)');
    this.enter();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.stoppedBy = e;
      this.exit();
      throw e;
    }
    if (result instanceof Promise) {
      return result.finally(() => this.exit()) as T;
    }
    this.exit();
    return result;
  }

  private enter(): void {
    const parent = enclosingRecorder();
    if (this.nodes.length === 0 && this.parentTapeId === undefined && parent !== undefined) {
      this.parentTapeId = parent.id;
      parent.childTapeIds.push(this.id);
    }
    if (recording.capture !== null && !this.captured) {
      this.captured = true;
      recording.capture.add(this);
    }
    this.active = true;
    // the forward log starts first, so tapes started inside this one nest in the tape, not in its log
    if (this.forwardLog !== null && recording.graph === null) this.stop.push(beginGraph(this.forwardLog));
    this.stop.push(beginTape(this));
  }

  private exit(): void {
    for (const stop of this.stop.reverse()) stop();
    this.stop = [];
    this.active = false;
  }

  /** @internal The tape in the inspector's trace format. */
  exportTrace(order: number, maxNodes?: number, names?: UserNames): TapeTrace {
    return exportTape(this, order, maxNodes, names);
  }

  /** Whether `record` is running on this tape now. */
  get isRecording(): boolean {
    return this.active;
  }

  /**
   * Watches tensors so the ops on them are recorded and they can be gradient sources (TF's `tape.watch`);
   * needed for constants, trainable variables are watched when read. Integer and bool tensors are ignored, as in TF.
   * @throws Error when given something other than a tensor, a Variable or an array of them.
   * @example
   * ```ts
   * const x = tf.constant([1, 2]);
   * const tape = new tf.GradientTape();
   * tape.watch(x);
   * tape.gradient(tape.record(() => x.square().sum()), x) // → [2, 4]
   * ```
   */
  watch(tensors: Tensor | readonly Tensor[]): void {
    const list = Array.isArray(tensors) ? tensors : [tensors];
    for (const t of list) {
      if (!(t instanceof Tensor)) {
        throw new Error(`GradientTape.watch: expected a tf.Tensor or tf.Variable, got ${t === null ? 'null' : Array.isArray(t) ? 'an array' : typeof t}; wrap plain values with tf.constant first`);
      }
      if (!isFloatDType(t.dtype)) continue; // TF warns and ignores: integer tensors carry no gradient
      this.watchedIds.add(t.id);
      if (!this.watchedTensors.has(t.id)) this.watchedTensors.set(t.id, t);
    }
  }

  /** @internal */
  noteVariableAccess(variable: Tensor): void {
    if (!this.watchedIds.has(variable.id)) {
      this.watchedIds.add(variable.id);
      this.watchedTensors.set(variable.id, variable);
    }
  }

  /**
   * Variables this tape watches, explicitly or because they were read while it recorded (TF's `watched_variables()`).
   * @example
   * ```ts
   * const w = new tf.Variable(1.0, { name: 'w' });
   * const tape = new tf.GradientTape();
   * tape.record(() => w.mul(2));
   * tape.watchedVariables()[0].name // → w
   * ```
   */
  watchedVariables(): Variable[] {
    return [...this.watchedTensors.values()].filter((t): t is Variable => t instanceof Variable);
  }

  /**
   * Runs `fn` without recording on this tape (TF's `with tape.stop_recording():`) and returns its result.
   * @example
   * ```ts
   * const x = new tf.Variable(2.0);
   * const tape = new tf.GradientTape();
   * const y = tape.record(() => x.square().add(tape.stopRecording(() => x.mul(100))));
   * tape.gradient(y, x) // → 4
   * ```
   */
  stopRecording<T>(fn: () => T): T {
    return pause([this], fn);
  }

  /** Forgets everything recorded and watched, and the used state; the tape can record again (TF's `reset()`). */
  reset(): void {
    this.nodes = [];
    this.watchedIds = new WatchedIds();
    this.watchedTensors.clear();
    this.used = false;
  }

  private consume(what: string): void {
    if (this.used && !this.persistent) throw new Error(NON_PERSISTENT_MESSAGE);
    this.used = true;
    void what;
  }

  /**
   * Gradient of the target(s) with respect to the sources. A list of targets, or a non-scalar target, gives the
   * gradient of their sum. Unconnected sources give null (or zeros with `unconnectedGradients: 'zero'`).
   * Sources may be one tensor, an array or an object of them; the result has the same structure (TF's
   * `tape.gradient(target, sources, output_gradients, unconnected_gradients)`).
   * @throws Error on a second call on a non-persistent tape, when a target is not a tensor, or when
   * outputGradients do not match the targets' shapes.
   * @example
   * ```ts
   * const w = new tf.Variable([[1, 2]]), b = new tf.Variable([1]);
   * const tape = new tf.GradientTape({ persistent: true });
   * const y = tape.record(() => tf.matmul(w, tf.constant([[3], [4]])).add(b));
   * tape.gradient(y, { w, b }).w // → [[3, 4]]
   * tape.gradient(y, [b])[0] // → [1]
   * ```
   */
  gradient<S extends Sources>(target: Tensor | readonly Tensor[] | Sources, sources: S, options: GradientOptions = {}): GradientsOf<S> {
    checkUnconnectedGradients(options.unconnectedGradients);
    this.consume('gradient');
    const targets = flattenTargets(target);
    const flatSources: Tensor[] = [];
    flattenSources(sources, flatSources);
    const seeds = seedsFor(targets, options.outputGradients, SEED_MESSAGES);
    // only what this tape watched (explicitly, by variable access, or as a recorded op's output) gets a gradient;
    // a source that is itself a target gets its seed (d x / d x = 1), as in TF
    const sourceIds = new Set(flatSources.filter((s) => isFloatDType(s.dtype) && (this.watchedIds.has(s.id) || seeds.has(s.id))).map((s) => s.id));
    const keepAll = recording.capture !== null && this.captured;
    const steps = keepAll ? new BackwardStepRecorder(seeds) : null;
    const { grads } = this.backprop(seeds, sourceIds, keepAll, steps ?? undefined);
    const results = flatSources.map((s) => {
      const g = sourceIds.has(s.id) ? grads.get(s.id) : undefined;
      if (g !== undefined) return g;
      return options.unconnectedGradients === 'zero' ? zerosLike(readValue(s)) : null;
    });
    this.gradientCalls.push({ targets, sources: flatSources, results, all: keepAll ? grads : null, steps,
      ...(keepAll && recording.capture?.sourceLines && hooks.locateSource ? { site: captureSite() } : {}) });
    if (!this.persistent && !keepAll) this.nodes = [];
    let k = 0;
    return rebuild(sources, () => results[k++]) as GradientsOf<S>;
  }

  /**
   * Jacobian of `target` with respect to `source`: shape target.shape ++ source.shape.
   * Built from one backward pass per target element, with ops, so it can itself be differentiated.
   * Null when target does not depend on source (zeros with `unconnectedGradients: 'zero'`).
   * @throws Error on a second call on a non-persistent tape.
   * @example
   * ```ts
   * const x = tf.constant([1, 2]);
   * const tape = new tf.GradientTape();
   * tape.watch(x);
   * tape.jacobian(tape.record(() => x.square()), x) // → [[2, 0], [0, 4]]
   * ```
   */
  jacobian(target: Tensor, source: Tensor, options?: JacobianOptions): Tensor | null;
  /** One Jacobian per source, in their order (TF's `tape.jacobian(z, [x, y])`). */
  jacobian(target: Tensor, sources: readonly Tensor[], options?: JacobianOptions): (Tensor | null)[];
  jacobian(target: Tensor, sources: Tensor | readonly Tensor[], options: JacobianOptions = {}): Tensor | null | (Tensor | null)[] {
    checkUnconnectedGradients(options.unconnectedGradients);
    this.consume('jacobian');
    const list: readonly Tensor[] = Array.isArray(sources) ? sources : [sources as Tensor];
    const n = target.size;
    const perSource = this.gradientRows('jacobian', target, list, n, (i, seed) => { seed[i] = 1; });
    const jacobians = list.map((source, k) => {
      const { rows, connected } = perSource[k];
      if (!connected && options.unconnectedGradients !== 'zero') return null;
      if (n === 0) return fill([...target.shape, ...source.shape], 0, source.dtype);
      return reshape(stack(rows, 0), [...target.shape, ...source.shape]);
    });
    this.noteJacobian('jacobian', target, list, jacobians);
    return Array.isArray(sources) ? jacobians : jacobians[0];
  }

  /**
   * Per-example Jacobian: target [b, ...] and source [b, ...] give [b, ...target, ...source], assuming example i of
   * the target depends only on example i of the source (as in a batch). TF's `batch_jacobian`.
   * @throws Error when target and source do not share the first (batch) axis, or on a second call on a
   * non-persistent tape.
   * @example
   * ```ts
   * const x = tf.constant([[1, 2], [3, 4]]);
   * const tape = new tf.GradientTape();
   * tape.watch(x);
   * tape.batchJacobian(tape.record(() => x.square()), x) // → [[[2, 0], [0, 4]], [[6, 0], [0, 8]]]
   * ```
   */
  batchJacobian(target: Tensor, source: Tensor): Tensor | null {
    // TF: TensorShape.with_rank_at_least(2) on both
    for (const t of [target, source]) {
      if (t.rank < 2) throw new Error(`Shape ${formatShapeTuple(t.shape)} must have rank at least 2`);
    }
    if (target.shape[0] !== source.shape[0]) {
      throw new Error(`batchJacobian: target ${formatShape(target.shape)} and source ${formatShape(source.shape)} must share the first (batch) dimension`);
    }
    this.consume('batchJacobian');
    const batch = target.shape[0];
    const inner = sizeOf(target.shape.slice(1));
    const [{ rows, connected }] = this.gradientRows('batchJacobian', target, [source], inner, (j, seed) => {
      for (let b = 0; b < batch; b++) seed[b * inner + j] = 1;
    });
    // an empty batch (or empty example) has an empty Jacobian, not an unconnected one
    if (batch === 0 || inner === 0) return fill([batch, ...target.shape.slice(1), ...source.shape.slice(1)], 0, source.dtype);
    const result = connected ? reshape(stack(rows, 1), [batch, ...target.shape.slice(1), ...source.shape.slice(1)]) : null;
    // rows[j] has shape source.shape = [b, ...s]; stack on axis 1 → [b, inner, ...s]
    this.noteJacobian('batchJacobian', target, [source], [result]);
    return result;
  }

  private noteJacobian(kind: JacobianCallRecord['kind'], target: Tensor, sources: readonly Tensor[], results: (Tensor | null)[]): void {
    if (recording.capture === null || !this.captured) return;
    this.jacobianCalls.push({ kind, target, sources, results,
      ...(recording.capture.sourceLines && hooks.locateSource ? { site: captureSite() } : {}) });
  }

  /**
   * The jacobians' row loop: one backward pass per row, seeded with the ones `fillSeed` writes; a row is the
   * gradient of the seeded target with respect to the source (zeros where none flows).
   */
  private gradientRows(op: string, target: Tensor, sources: readonly Tensor[], count: number, fillSeed: (row: number, seed: Float64Array) => void): { rows: Tensor[]; connected: boolean }[] {
    const out = sources.map(() => ({ rows: [] as Tensor[], connected: false }));
    const sourceIds = new Set(sources.filter((s) => this.watchedIds.has(s.id)).map((s) => s.id));
    const sourceValues = sources.map(readValue);
    for (let row = 0; row < count; row++) {
      const seedValues = new Float64Array(target.size);
      fillSeed(row, seedValues);
      const seed = makeTensor(op, seedValues, target.dtype, target.shape);
      const { grads } = this.backprop(new Map([[target.id, seed]]), sourceIds, false);
      sources.forEach((source, k) => {
        const g = grads.get(source.id);
        if (g !== undefined) out[k].connected = true;
        out[k].rows.push(g ?? zerosLike(sourceValues[k]));
      });
    }
    if (!this.persistent) this.nodes = [];
    return out;
  }

  /**
   * Why `tape.gradient(target, source)` is (or would be) null: not watched, an integer dtype, no recorded path,
   * computed outside the tape, cut by stopGradient, a Variable replaced by a Tensor, or the tape already used.
   * Ours (TF only returns None).
   * @example
   * ```ts
   * const x = tf.constant(2.0);
   * const tape = new tf.GradientTape();
   * const y = tape.record(() => x.square());
   * tape.explainGradient(y, x).reason // → not-watched
   * ```
   */
  explainGradient(target: Tensor, source: Tensor): NullGradientExplanation {
    return explainNullGradient(this, target, source, this.used && !this.persistent && this.nodes.length === 0);
  }

  /** @internal Ids of tensors on a path from `sourceIds` through the recorded nodes. */
  reachableFrom(sourceIds: ReadonlySet<number>): Set<number> {
    return reachableFrom(this.nodes, sourceIds);
  }

  /**
   * The backward pass over this tape's nodes. Outer tapes record it; this tape records it too only when the
   * gradient is taken inside its own record() of a persistent tape (TF's one-tape higher-order pattern).
   */
  private backprop(seeds: Map<number, Tensor>, sourceIds: ReadonlySet<number>, keepAll: boolean, observer?: BackpropObserver) {
    if (this.active && this.persistent) return backprop(this.nodes.slice(), seeds, sourceIds, keepAll, this.id, add, observer);
    return pause([this], () => backprop(this.nodes, seeds, sourceIds, keepAll, this.id, add, observer));
  }
}

/** Targets as TF takes them: one tensor, or a (nested) list or dict of tensors, whose sum is differentiated. */
function flattenTargets(target: Tensor | readonly Tensor[] | Sources): Tensor[] {
  if (target !== null && typeof target === 'object' && !(target instanceof Tensor) && !Array.isArray(target)) {
    const list: Tensor[] = [];
    for (const key of Object.keys(target)) list.push(...flattenTargets((target as Record<string, Sources>)[key]));
    return list;
  }
  const list = Array.isArray(target) ? target.flatMap((t) => (t instanceof Tensor ? [t] : t !== null && typeof t === 'object' ? flattenTargets(t) : [t])) : [target];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`GradientTape.gradient: target ${Array.isArray(target) ? `#${i} ` : ''}must be a tf.Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  return list as Tensor[];
}

/** TF's check of the option (imperative_grad): only 'none' and 'zero' exist. */
function checkUnconnectedGradients(value: unknown): void {
  if (value !== undefined && value !== 'none' && value !== 'zero') throw new Error(`Unknown value for unconnected_gradients: ${pythonRepr(value)}`);
}

/** Python's %r of a value a user passed: 'text' for strings. */
function pythonRepr(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

function flattenSources(sources: Sources, out: Tensor[]): void {
  if (sources instanceof Tensor) { out.push(sources); return; }
  if (Array.isArray(sources)) { for (const s of sources) flattenSources(s, out); return; }
  if (sources !== null && typeof sources === 'object') {
    for (const key of Object.keys(sources)) flattenSources((sources as Record<string, Sources>)[key], out);
    return;
  }
  throw new Error(`GradientTape.gradient: sources must be tensors, variables, or arrays/objects of them; got ${sources === null ? 'null' : typeof sources}`);
}

function rebuild(sources: Sources, next: () => Tensor | null): unknown {
  if (sources instanceof Tensor) return next();
  if (Array.isArray(sources)) return sources.map((s) => rebuild(s, next));
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(sources)) out[key] = rebuild((sources as Record<string, Sources>)[key], next);
  return out;
}
