// tf.GradientTape with TensorFlow's contract: what is watched, when a tape may be reused, what null means.
import { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import { makeTensor, type TensorLike } from '../tensor/convert';
import { formatShape, shapesEqual, sizeOf } from '../shape/shape';
import { recording, type RecordingTape } from './recording_state';
import type { TapeNode } from './tape_node';
import { backprop, reachableFrom } from './backprop';
import { onesLike, zerosLike, fill } from '../ops/creation';
import { reshape, stack } from '../ops/shape_ops';
import { explainNullGradient, type NullGradientExplanation } from './explain_null';
import { TracedGraph } from '../graph/traced_graph';

export interface GradientTapeOptions {
  persistent?: boolean;
  watchAccessedVariables?: boolean;
  /** Also log every op's forward closure while recording, so tf.test.checkTape can re-run the computation. */
  checkable?: boolean;
}

export interface GradientOptions {
  outputGradients?: TensorLike | TensorLike[] | null;
  unconnectedGradients?: 'none' | 'zero';
}

/** Sources as users pass them: one tensor, an array, or an object of tensors (nested). */
export type Sources = Tensor | readonly Sources[] | { readonly [key: string]: Sources };
/** The gradient result mirrors the sources' structure, with null for unconnected ones. */
export type GradientsOf<S> = S extends Tensor ? Tensor | null
  : S extends readonly unknown[] ? { [K in keyof S]: GradientsOf<S[K]> }
  : S extends object ? { [K in keyof S]: GradientsOf<S[K]> } : never;

export interface GradientCallRecord {
  targets: Tensor[];
  sources: Tensor[];
  results: (Tensor | null)[];
  /** Gradient of the summed targets with respect to every tensor on a path (kept when a trace is captured). */
  all: Map<number, Tensor> | null;
}

let nextTapeId = 1;

export const NON_PERSISTENT_MESSAGE = 'GradientTape.gradient can only be called once on non-persistent tapes.';

export class GradientTape implements RecordingTape {
  readonly id = nextTapeId++;
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  pausedDepth = 0;
  watchedIds = new Set<number>();
  nodes: TapeNode[] = [];
  /** Watched tensors and variables by id, in the order they were first watched. */
  readonly watchedTensors = new Map<number, Tensor>();
  /** Tape that was recording when this one first started (nesting), and tapes started inside this one. */
  parentTapeId: number | undefined;
  readonly childTapeIds: number[] = [];
  readonly gradientCalls: GradientCallRecord[] = [];
  /** Every op run while recording (checkable tapes only), for tf.test.checkTape. */
  readonly forwardLog: TracedGraph | null;
  /** What record()'s function threw, if it did (shown on the tape's trace). */
  stoppedBy: unknown = undefined;
  private used = false;
  private active = false;
  private captured = false;
  private logging = false;

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
    this.forwardLog = options.checkable ? new TracedGraph(`forward log of tape ${this.id}`, false) : null;
  }

  /** Runs `fn` while this tape records (TF's `with tf.GradientTape() as tape:`) and returns its result. */
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
    if (this.nodes.length === 0 && this.parentTapeId === undefined && recording.tapes.length > 0) {
      const parent = recording.tapes[recording.tapes.length - 1] as GradientTape;
      this.parentTapeId = parent.id;
      parent.childTapeIds.push(this.id);
    }
    const capture = recording.capture;
    if (capture !== null && !this.captured) {
      this.captured = true;
      capture.tapes.push(this);
      if (capture.tapes.length > capture.maxTapes) { capture.tapes.shift(); capture.droppedTapes++; }
    }
    this.active = true;
    recording.tapes = [...recording.tapes, this];
    if (this.forwardLog !== null && recording.graph === null) { recording.graph = this.forwardLog; this.logging = true; }
  }

  private exit(): void {
    if (this.logging) { recording.graph = null; this.logging = false; }
    this.active = false;
    recording.tapes = recording.tapes.filter((t) => t !== this);
  }

  get isRecording(): boolean {
    return this.active;
  }

  /** Watches tensors (constants) so ops on them are recorded. Variables may be watched too. */
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

  noteVariableAccess(variable: Tensor): void {
    if (!this.watchedIds.has(variable.id)) {
      this.watchedIds.add(variable.id);
      this.watchedTensors.set(variable.id, variable);
    }
  }

  /** Variables this tape watches, explicitly or because they were read while it recorded. */
  watchedVariables(): Variable[] {
    return [...this.watchedTensors.values()].filter((t): t is Variable => t instanceof Variable);
  }

  /** Runs `fn` without recording on this tape (TF's `with tape.stop_recording():`). */
  stopRecording<T>(fn: () => T): T {
    this.pausedDepth++;
    try {
      return fn();
    } finally {
      this.pausedDepth--;
    }
  }

  /** Forgets everything recorded and watched; the tape can record again. */
  reset(): void {
    this.nodes = [];
    this.watchedIds = new Set();
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
   */
  gradient<S extends Sources>(target: Tensor | readonly Tensor[], sources: S, options: GradientOptions = {}): GradientsOf<S> {
    this.consume('gradient');
    const targets = flattenTargets(target);
    const flatSources: Tensor[] = [];
    flattenSources(sources, flatSources);
    const seeds = this.seeds(targets, options.outputGradients);
    // only what this tape watched (explicitly, by variable access, or as a recorded op's output) gets a gradient
    const sourceIds = new Set(flatSources.filter((s) => isFloatDType(s.dtype) && this.watchedIds.has(s.id)).map((s) => s.id));
    const keepAll = recording.capture !== null && this.captured;
    const { grads } = this.withoutSelf(() => backprop(this.nodes, seeds, sourceIds, keepAll, this.id));
    const results = flatSources.map((s) => {
      const g = sourceIds.has(s.id) ? grads.get(s.id) : undefined;
      if (g !== undefined) return g;
      return options.unconnectedGradients === 'zero' ? zerosLike(s instanceof Variable ? s.read() : s) : null;
    });
    this.gradientCalls.push({ targets, sources: flatSources, results, all: keepAll ? grads : null });
    if (!this.persistent && !keepAll) this.nodes = [];
    let k = 0;
    return rebuild(sources, () => results[k++]) as GradientsOf<S>;
  }

  /**
   * Jacobian of `target` with respect to `source`: shape target.shape ++ source.shape.
   * Built from one backward pass per target element, with ops, so it can itself be differentiated.
   */
  jacobian(target: Tensor, source: Tensor, options: { unconnectedGradients?: 'none' | 'zero' } = {}): Tensor | null {
    this.consume('jacobian');
    const n = target.size;
    const rows: Tensor[] = [];
    let connected = false;
    const sourceIds = new Set(this.watchedIds.has(source.id) ? [source.id] : []);
    const sourceValue = source instanceof Variable ? source.read() : source;
    for (let i = 0; i < n; i++) {
      const seedValues = new Float64Array(n);
      seedValues[i] = 1;
      const seed = makeTensor('jacobian', seedValues, target.dtype, target.shape);
      const { grads } = this.withoutSelf(() => backprop(this.nodes, new Map([[target.id, seed]]), sourceIds, false, this.id));
      const g = grads.get(source.id);
      if (g !== undefined) connected = true;
      rows.push(g ?? zerosLike(sourceValue));
    }
    if (!this.persistent) this.nodes = [];
    if (!connected && options.unconnectedGradients !== 'zero') return null;
    if (n === 0) return fill([...target.shape, ...source.shape], 0, source.dtype);
    return reshape(stack(rows, 0), [...target.shape, ...source.shape]);
  }

  /**
   * Per-example Jacobian: target [b, ...] and source [b, ...] give [b, ...target, ...source], assuming example i of
   * the target depends only on example i of the source (as in a batch).
   */
  batchJacobian(target: Tensor, source: Tensor): Tensor | null {
    if (target.rank < 1 || source.rank < 1 || target.shape[0] !== source.shape[0]) {
      throw new Error(`batchJacobian: target ${formatShape(target.shape)} and source ${formatShape(source.shape)} must share the first (batch) dimension`);
    }
    this.consume('batchJacobian');
    const batch = target.shape[0];
    const inner = sizeOf(target.shape.slice(1));
    const rows: Tensor[] = [];
    let connected = false;
    const sourceValue = source instanceof Variable ? source.read() : source;
    for (let j = 0; j < inner; j++) {
      const seedValues = new Float64Array(batch * inner);
      for (let b = 0; b < batch; b++) seedValues[b * inner + j] = 1;
      const seed = makeTensor('batchJacobian', seedValues, target.dtype, target.shape);
      const { grads } = this.withoutSelf(() => backprop(this.nodes, new Map([[target.id, seed]]), new Set(this.watchedIds.has(source.id) ? [source.id] : []), false, this.id));
      const g = grads.get(source.id);
      if (g !== undefined) connected = true;
      rows.push(g ?? zerosLike(sourceValue));
    }
    if (!this.persistent) this.nodes = [];
    if (!connected) return null;
    // rows[j] has shape source.shape = [b, ...s]; stack on axis 1 → [b, inner, ...s]
    return reshape(stack(rows, 1), [batch, ...target.shape.slice(1), ...source.shape.slice(1)]);
  }

  /** Why `tape.gradient(target, source)` is (or would be) null. */
  explainGradient(target: Tensor, source: Tensor): NullGradientExplanation {
    return explainNullGradient(this, target, source, this.used && !this.persistent && this.nodes.length === 0);
  }

  /** Ids of tensors on a path from `sourceIds` through the recorded nodes. */
  reachableFrom(sourceIds: ReadonlySet<number>): Set<number> {
    return reachableFrom(this.nodes, sourceIds);
  }

  private seeds(targets: Tensor[], outputGradients: GradientOptions['outputGradients']): Map<number, Tensor> {
    const seeds = new Map<number, Tensor>();
    const given = outputGradients === undefined || outputGradients === null ? null
      : Array.isArray(outputGradients) && targets.length > 1 ? outputGradients as TensorLike[] : [outputGradients as TensorLike];
    if (given !== null && given.length !== targets.length) {
      throw new Error(`GradientTape.gradient: ${given.length} outputGradients for ${targets.length} targets`);
    }
    targets.forEach((t, i) => {
      let seed: Tensor;
      if (given === null) seed = onesLike(t instanceof Variable ? t.read() : t);
      else {
        const g = given[i];
        seed = g instanceof Variable ? g.read() : g instanceof Tensor ? g : makeTensor('GradientTape.gradient', g, t.dtype);
        if (!shapesEqual(seed.shape, t.shape)) {
          throw new Error(`GradientTape.gradient: outputGradients shape ${formatShape(seed.shape)} does not match target shape ${formatShape(t.shape)}`);
        }
      }
      const prev = seeds.get(t.id);
      seeds.set(t.id, prev === undefined ? seed : prev.add(seed));
    });
    return seeds;
  }

  /** This tape does not record its own gradient computation; outer tapes do. */
  private withoutSelf<T>(fn: () => T): T {
    this.pausedDepth++;
    try {
      return fn();
    } finally {
      this.pausedDepth--;
    }
  }
}

function flattenTargets(target: Tensor | readonly Tensor[]): Tensor[] {
  const list = Array.isArray(target) ? [...target] : [target];
  list.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`GradientTape.gradient: target ${Array.isArray(target) ? `#${i} ` : ''}must be a tf.Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  return list as Tensor[];
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
