// tf.cond and tf.whileLoop. Eager they simply run (a tape records what ran). Inside tf.function both branches
// and the loop's cond/body are traced into sub-graphs (TracedGraph) that one 'Cond' / 'While' node per output
// re-runs on replay: the branch is picked and the loop's trip count decided by the values of that call.
// Gradients: a Cond's gradient is a cond of the two branches' gradients (so it differentiates again); a While's
// is a 'WhileGrad' node that walks the recorded iterations backwards through the body graph.
import { Tensor, replaceStorage } from '../tensor/tensor';
import { isFloatDType, allocate } from '../tensor/dtype';
import type { TensorLike } from '../tensor/convert';
import { formatShape, shapesEqual } from '../shape/shape';
import { recording, withGraph, withoutRecording, newRecorderId, type GraphRecorder } from '../tape/recording_state';
import { runOp } from '../tape/op_runner';
import { backprop } from '../tape/backprop';
import type { GradFn } from '../tape/tape_node';
import { toTensor } from '../ops/op_inputs';
import { reshape, slice } from '../ops/shape_ops';
import { zerosLike } from '../ops/creation';
import { add } from '../ops/arithmetic';
import { TracedGraph } from './traced_graph';
import { flattenResult } from './tf_function';

function tracingGraph(): TracedGraph | null {
  const g = recording.graph;
  return g instanceof TracedGraph && g.symbolic ? g : null;
}

/**
 * Runs fn with a fresh sub-graph recording its ops (only it: the outer graph sees the node that runs it). The
 * variables fn reads are the outer graph's reads too, so its replays refresh them.
 */
function traceInto<T>(label: string, fn: () => T): { graph: TracedGraph; result: T } {
  const graph = new TracedGraph(label);
  const outer = recording.graph;
  try {
    return { graph, result: withGraph(graph, fn) };
  } finally {
    if (outer !== null) for (const v of graph.variablesRead.values()) outer.noteVariableRead(v);
  }
}

/** Hears the ops of a loop's backward pass and keeps none: that pass computes numbers, it is part of no graph. */
const DISCARD: GraphRecorder = { id: newRecorderId(), childTapeIds: [], recordOp: () => undefined, noteVariableRead: () => undefined };

/** Runs fn with no tape and no graph recording its ops. */
function detached<T>(fn: () => T): T {
  return withGraph(DISCARD, () => withoutRecording(fn));
}

/** Tensors a sub-graph reads but does not produce (outer tensors, constants, variable snapshots), plus `extra`. */
function capturedBy(graphs: readonly TracedGraph[], extra: readonly Tensor[], exclude: ReadonlySet<number> = new Set()): Tensor[] {
  const found = new Map<number, Tensor>();
  const note = (t: Tensor, g: TracedGraph) => {
    if (!g.produced.has(t.id) && !exclude.has(t.id) && !found.has(t.id)) found.set(t.id, t);
  };
  graphs.forEach((g) => g.nodes.forEach((n) => n.inputs.forEach((t) => note(t, g))));
  for (const t of extra) if (!graphs.some((g) => g.produced.has(t.id)) && !exclude.has(t.id) && !found.has(t.id)) found.set(t.id, t);
  return [...found.values()];
}

function copyOf(t: Tensor): Tensor {
  return new Tensor(t.dataSync().slice(), t.shape.slice(), t.dtype);
}

function truthy(op: string, value: unknown): boolean {
  if (value instanceof Tensor) {
    if (value.size !== 1) throw new Error(`${op}: the predicate must be a scalar, got shape ${formatShape(value.shape)}`);
    return value.dataSync()[0] !== 0;
  }
  if (typeof value === 'boolean' || typeof value === 'number') return Boolean(value);
  throw new Error(`${op}: the predicate must be a boolean tensor or a boolean, got ${value === null ? 'null' : typeof value}`);
}

/** Gradients of one output of a traced sub-graph with respect to its captured tensors (zeros where none flows). */
function subgraphGradients(graph: TracedGraph, output: Tensor, dy: Tensor, captured: readonly Tensor[]): Tensor[] {
  const sources = new Set(captured.filter((c) => isFloatDType(c.dtype)).map((c) => c.id));
  const { grads } = backprop(graph.differentiableNodes(), new Map([[output.id, dy]]), sources, false, graph.id, add);
  return captured.map((c) => grads.get(c.id) ?? zerosLike(c));
}

/** What a Cond node's gradient needs: both traced branches, this output in each, and the captured tensors. */
interface CondAttrs { output: number; branches: readonly TracedGraph[]; results: readonly Tensor[]; captured: readonly Tensor[] }

/** The gradient of a cond is a cond of the branches' gradients (traced again inside tf.function). */
const COND_GRAD: GradFn<CondAttrs> = (dy, _needs, [pred], _out, { branches, results, captured }) => [null, ...cond(pred,
  () => subgraphGradients(branches[0], results[0], dy, captured),
  () => subgraphGradients(branches[1], results[1], dy, captured))];

/**
 * Runs trueFn() if pred is true, else falseFn() (tf.cond). Inside tf.function both branches are traced and the
 * graph picks one on every call by the value of pred; tf.gradients and tapes differentiate through the branch
 * taken (to any order). Both branches must return the same structure of tensors with the same shapes and dtypes.
 * @param pred a scalar bool tensor (or a JavaScript boolean)
 * @throws when pred is not a scalar, or traced branches return different structures, shapes or dtypes
 * @example
 * const f = tf.function((x: tf.Tensor) => tf.cond(tf.greater(tf.reduceSum(x), 0), () => tf.square(x), () => tf.neg(x)));
 * f(tf.constant([1, 2])) // → [1, 4]
 * f(tf.constant([-1, -2])) // → [1, 2]
 */
export function cond<T>(pred: TensorLike, trueFn: () => T, falseFn: () => T): T {
  if (typeof trueFn !== 'function' || typeof falseFn !== 'function') throw new Error('tf.cond: trueFn and falseFn must be functions');
  if (tracingGraph() === null || !(pred instanceof Tensor)) return truthy('tf.cond', pred) ? trueFn() : falseFn();
  const p = toTensor('tf.cond', pred);
  truthy('tf.cond', p);
  const branches = [traceInto('cond/true', trueFn), traceInto('cond/false', falseFn)];
  const [onTrue, onFalse] = branches.map((b) => flattenResult(b.result));
  if (onTrue.tensors.length !== onFalse.tensors.length || onTrue.tensors.some((t, k) => !shapesEqual(t.shape, onFalse.tensors[k].shape) || t.dtype !== onFalse.tensors[k].dtype)) {
    const describe = (ts: Tensor[]) => `[${ts.map((t) => `${t.dtype}${formatShape(t.shape)}`).join(', ')}]`;
    throw new Error(`tf.cond: trueFn and falseFn must return the same structure of tensors with the same shapes and dtypes; got ${describe(onTrue.tensors)} and ${describe(onFalse.tensors)}`);
  }
  if (onTrue.tensors.length === 0) throw new Error('tf.cond: inside tf.function the branches must return at least one tensor');
  const captured = capturedBy(branches.map((b) => b.graph), [...onTrue.tensors, ...onFalse.tensors]);
  const taken = () => (p.dataSync()[0] !== 0 ? { graph: branches[0].graph, outputs: onTrue.tensors } : { graph: branches[1].graph, outputs: onFalse.tensors });
  const graphs = branches.map((b) => b.graph);
  const outputs = onTrue.tensors.map((_, k) => runOp('Cond', [p, ...captured], () => {
    const branch = taken();
    // the first output's node re-runs the branch; the others read its outputs
    if (k === 0) branch.graph.rerunFrom(0);
    return copyOf(branch.outputs[k]);
  }, COND_GRAD, { output: k, branches: graphs, results: [onTrue.tensors[k], onFalse.tensors[k]], captured }));
  return onTrue.rebuild(outputs) as T;
}

/** Options of tf.whileLoop. */
export interface WhileLoopOptions {
  /** Stop after this many iterations even if cond is still true. */
  maximumIterations?: number;
}

type LoopVars = TensorLike[] | TensorLike;

function asList(op: string, vars: unknown, count?: number): Tensor[] {
  const list = Array.isArray(vars) ? vars : [vars];
  if (count !== undefined && list.length !== count) throw new Error(`${op}: body returned ${list.length} loop variables, expected ${count}`);
  return list.map((v) => toTensor(op, v as TensorLike));
}

/**
 * Repeats `loopVars = body(...loopVars)` while cond(...loopVars) is true (tf.while_loop). Inside tf.function the
 * loop is one graph node whose trip count is decided by the values of each call; tf.gradients and tapes
 * differentiate through it (first order). Returns the final loop variables, as a list when given a list.
 * @param condFn Returns a scalar bool tensor.
 * @param body Returns the next loop variables (same shapes and dtypes).
 * @throws when a loop variable changes shape or dtype, or cond does not return a scalar
 * @example
 * const [i, x] = tf.whileLoop((i, x) => tf.less(i, 3), (i, x) => [tf.add(i, 1), tf.mul(x, 2)], [tf.constant(0), tf.constant(1)]);
 * x // → 8
 */
export function whileLoop(condFn: (...vars: Tensor[]) => unknown, body: (...vars: Tensor[]) => unknown, loopVars: LoopVars, options: WhileLoopOptions = {}): Tensor[] | Tensor {
  if (typeof condFn !== 'function' || typeof body !== 'function') throw new Error('tf.whileLoop: cond and body must be functions');
  const single = !Array.isArray(loopVars);
  const initial = asList('tf.whileLoop', loopVars);
  const max = options.maximumIterations ?? Infinity;
  if (!(max >= 0)) throw new Error(`tf.whileLoop: maximumIterations must be ≥ 0, got ${max}`);
  const result = tracingGraph() === null ? eagerLoop(condFn, body, initial, max) : tracedLoop(condFn, body, initial, max);
  return single ? result[0] : result;
}

function eagerLoop(condFn: (...vars: Tensor[]) => unknown, body: (...vars: Tensor[]) => unknown, initial: Tensor[], max: number): Tensor[] {
  let vars = initial;
  for (let n = 0; n < max && truthy('tf.whileLoop', condFn(...vars)); n++) {
    const next = asList('tf.whileLoop', body(...vars), vars.length);
    checkInvariants(vars, next);
    vars = next;
  }
  return vars;
}

function checkInvariants(before: readonly Tensor[], after: readonly Tensor[]): void {
  before.forEach((v, i) => {
    if (!shapesEqual(v.shape, after[i].shape) || v.dtype !== after[i].dtype) {
      throw new Error(`tf.whileLoop: loop variable ${i} is ${v.dtype}${formatShape(v.shape)} on entry but ${after[i].dtype}${formatShape(after[i].shape)} after an iteration (shapes and dtypes must stay the same)`);
    }
  });
}

/** A loop traced inside tf.function: its cond and body graphs, the loop-variable holders they read, and the
 *  values entering each iteration of the last run (which the gradient walks backwards). */
class TracedLoop {
  readonly holders: Tensor[];
  readonly test: TracedGraph;
  readonly testValue: Tensor;
  readonly step: TracedGraph;
  readonly nextValues: Tensor[];
  readonly captured: Tensor[];
  private history: ReturnType<Tensor['dataSync']>[][] = [];

  constructor(condFn: (...vars: Tensor[]) => unknown, body: (...vars: Tensor[]) => unknown, readonly initial: Tensor[], readonly max: number) {
    this.holders = initial.map((v, i) => {
      const h = new Tensor(v.dataSync().slice(), v.shape.slice(), v.dtype);
      h.name = `loop_var_${i}`;
      return h;
    });
    const test = traceInto('while/cond', () => condFn(...this.holders));
    if (!(test.result instanceof Tensor) || test.result.size !== 1) {
      throw new Error('tf.whileLoop: inside tf.function, cond must return a scalar bool tensor');
    }
    const step = traceInto('while/body', () => asList('tf.whileLoop', body(...this.holders), this.holders.length));
    checkInvariants(this.holders, step.result);
    this.test = test.graph;
    this.testValue = test.result;
    this.step = step.graph;
    this.nextValues = step.result;
    this.captured = capturedBy([this.test, this.step], [this.testValue, ...this.nextValues], new Set(this.holders.map((h) => h.id)));
  }

  /** The node's inputs: the initial values, then everything cond and body capture. */
  get inputs(): Tensor[] {
    return [...this.initial, ...this.captured];
  }

  /** Runs the loop on the current values of its inputs; the holders end with the final values. */
  run(): void {
    const { holders } = this;
    holders.forEach((h, i) => replaceStorage(h, this.initial[i].dataSync(), 'tf.whileLoop'));
    this.history = [];
    for (let n = 0; n < this.max; n++) {
      this.test.rerunFrom(0);
      if (this.testValue.dataSync()[0] === 0) break;
      this.history.push(holders.map((h) => h.dataSync()));
      this.step.rerunFrom(0);
      const next = this.nextValues.map((t) => t.dataSync());
      holders.forEach((h, i) => replaceStorage(h, next[i], 'tf.whileLoop'));
    }
  }

  /** dy for output k pushed back through every iteration of the last run: the gradients of all inputs, packed. */
  backward(k: number, dy: Tensor): Tensor {
    const { holders, captured } = this;
    return detached(() => {
      const sources = new Set([...holders, ...captured].filter((t) => isFloatDType(t.dtype)).map((t) => t.id));
      let carried: (Tensor | null)[] = holders.map((_, i) => (i === k ? new Tensor(dy.dataSync(), dy.shape.slice(), dy.dtype) : null));
      const capturedGrads = new Map<number, Tensor>();
      const final = holders.map((h) => h.dataSync());
      for (let t = this.history.length - 1; t >= 0; t--) {
        holders.forEach((h, i) => replaceStorage(h, this.history[t][i], 'tf.whileLoop gradient'));
        this.step.rerunFrom(0);
        const seeds = new Map<number, Tensor>();
        this.nextValues.forEach((o, i) => {
          const g = carried[i];
          if (g === null) return;
          const prev = seeds.get(o.id);
          seeds.set(o.id, prev === undefined ? g : add(prev, g));
        });
        if (seeds.size === 0) break;
        const { grads } = backprop(this.step.differentiableNodes(), seeds, sources, false, this.step.id, add);
        carried = holders.map((h) => grads.get(h.id) ?? null);
        for (const c of captured) {
          const g = grads.get(c.id);
          if (g === undefined) continue;
          const prev = capturedGrads.get(c.id);
          capturedGrads.set(c.id, prev === undefined ? g : add(prev, g));
        }
      }
      holders.forEach((h, i) => replaceStorage(h, final[i], 'tf.whileLoop'));
      const parts = [...carried.map((g, i) => (g ?? zerosLike(holders[i]))), ...captured.map((c) => capturedGrads.get(c.id) ?? zerosLike(c))];
      const packed = allocate(dy.dtype, parts.reduce((n, g) => n + g.size, 0));
      let offset = 0;
      for (const g of parts) { packed.set(g.dataSync(), offset); offset += g.size; }
      return new Tensor(packed, [packed.length], dy.dtype);
    });
  }
}

interface WhileAttrs { output: number; loop: TracedLoop }

/** One WhileGrad node computes every input's gradient (packed); slices hand each input its part. First order only. */
const WHILE_GRAD: GradFn<WhileAttrs> = (dy, needs, inputs, _out, { output, loop }) => {
  const packed = runOp('WhileGrad', [dy, ...inputs], () => loop.backward(output, dy), null, { output });
  let offset = 0;
  return inputs.map((input, j) => {
    const at = offset;
    offset += input.size;
    return needs[j] && isFloatDType(input.dtype) ? reshape(slice(packed, [at], [input.size]), input.shape) : null;
  });
};

function tracedLoop(condFn: (...vars: Tensor[]) => unknown, body: (...vars: Tensor[]) => unknown, initial: Tensor[], max: number): Tensor[] {
  const loop = new TracedLoop(condFn, body, initial, max);
  const inputs = loop.inputs;
  return loop.holders.map((_, k) => runOp('While', inputs, () => {
    // the first output's node runs the loop; the others read its final values
    if (k === 0) loop.run();
    return copyOf(loop.holders[k]);
  }, WHILE_GRAD, { output: k, loop }));
}
