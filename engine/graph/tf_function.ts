// tf.function(fn): traces fn into a TracedGraph once per input signature (shapes and dtypes of tensor arguments,
// values of the others) and replays that graph on later calls. Inside, tf.gradients adds gradient nodes.
import { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import { formatShape } from '../shape/shape';
import { recording, withGraph, withoutRecording } from '../tape/recording_state';
import { TracedGraph } from './traced_graph';
import { exportGraph } from './export_graph';
import type { TapeTrace } from '../trace/trace_format';
import { checkInputSignature, type TensorSpec } from './tensor_spec';

/** What tf.function returns: the function, callable as before, plus what tracing produced. */
export interface TracedFunction<A extends unknown[], R> {
  /** Runs the graph traced for these arguments' signature, tracing it on first use. */
  (...args: A): R;
  /** Traces made so far (one per distinct input signature, plus retraces of functions that assign variables). */
  readonly tracingCount: number;
  /** The graph traced for the most recent call, as the inspector's JSON trace (mode 'graph'). */
  getTrace(): TapeTrace | null;
  /** @internal The graph traced for the most recent call. */
  getGraph(): TracedGraph | null;
}

interface ConcreteFunction {
  graph: TracedGraph;
  /** Where each returned tensor sits in the result structure. */
  rebuild: (outputs: Tensor[]) => unknown;
  /** The function assigned a variable while tracing: that is a side effect a replay would skip, so retrace. */
  mutatesVariables: boolean;
}

/**
 * Shapes and dtypes of tensor arguments, values of the others. Integer and boolean tensors (labels, indices),
 * and arguments that feed an op reading index values when traced (oneHot), are keyed by value as well: those
 * values are baked into the graph, so new values must retrace.
 */
function signatureOf(args: unknown[], valueKeyed: ReadonlySet<number>): string {
  return args.map((a, i) => {
    if (a instanceof Variable) return `var#${a.id}`;
    if (a instanceof Tensor) {
      const byValue = valueKeyed.has(i) || a.dtype === 'int32' || a.dtype === 'bool';
      return `${a.dtype}${formatShape(a.shape)}${byValue ? `=${Array.from(a.dataSync()).join(' ')}` : ''}`;
    }
    if (typeof a === 'function') throw new Error('tf.function: functions cannot be passed as arguments of a traced function');
    return JSON.stringify(a) ?? String(a);
  }).join(',');
}

/** Tensor arguments become placeholders (copies with their own ids), others pass through unchanged. */
function placeholdersFor(args: unknown[], graph: TracedGraph): unknown[] {
  return args.map((a, i) => {
    if (!(a instanceof Tensor) || a instanceof Variable) return a;
    const values = a.dataSync().slice();
    const p = new Tensor(values, a.shape.slice(), a.dtype);
    p.name = a.name ?? `arg${i}`;
    graph.placeholders.push(p);
    return p;
  });
}

function tensorArgs(args: unknown[]): Tensor[] {
  return args.filter((a): a is Tensor => a instanceof Tensor && !(a instanceof Variable));
}

/** The tensors in a result (tensor, array, object), and a way to put new tensors back in their places. */
export function flattenResult(result: unknown): { tensors: Tensor[]; rebuild: (outputs: Tensor[]) => unknown } {
  const tensors: Tensor[] = [];
  const walk = (v: unknown): (outs: Tensor[]) => unknown => {
    if (v instanceof Tensor) {
      const k = tensors.length;
      tensors.push(v);
      return (outs) => outs[k];
    }
    if (Array.isArray(v)) {
      const parts = v.map(walk);
      return (outs) => parts.map((p) => p(outs));
    }
    if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      const parts = Object.entries(v as Record<string, unknown>).map(([key, x]) => [key, walk(x)] as const);
      return (outs) => Object.fromEntries(parts.map(([key, p]) => [key, p(outs)]));
    }
    return () => v;
  };
  const rebuild = walk(result);
  return { tensors, rebuild };
}

/** Returned tensors are copies: a later replay rewrites the graph's own tensors in place. */
function copyOut(t: Tensor): Tensor {
  return new Tensor(t.dataSync().slice(), t.shape.slice(), t.dtype);
}

/** Runs `body` with `graph` recording every op and variable read; without the outer tapes unless `keepOuterTapes`. */
function tracing<T>(graph: TracedGraph, keepOuterTapes: boolean, body: () => T): T {
  return keepOuterTapes ? withGraph(graph, body) : withoutRecording(() => withGraph(graph, body));
}

/** Traces kept per function (oldest dropped first): value-keyed int arguments (labels) make one per batch. */
const MAX_CACHED_TRACES = 64;

/** Ops that read their input's values while being traced (indices), so the graph holds those values fixed. */
const READS_INDICES_WHEN_TRACED = new Set(['OneHot', 'IndexRead']);

/** Positions of tensor arguments whose values reach such an op. */
function argsReadAsIndices(graph: TracedGraph, args: unknown[]): number[] {
  const tensorPositions = args.map((a, i) => (a instanceof Tensor && !(a instanceof Variable) ? i : -1)).filter((i) => i >= 0);
  const found: number[] = [];
  graph.placeholders.forEach((p, k) => {
    const reach = new Set([p.id]);
    for (const node of graph.nodes) {
      if (!node.inputs.some((t) => reach.has(t.id))) continue;
      if (READS_INDICES_WHEN_TRACED.has(node.op)) { found.push(tensorPositions[k]); return; }
      reach.add(node.output.id);
    }
  });
  return found;
}

/** Options of tf.function. */
export interface TfFunctionOptions {
  /** The graph's name (default the function's). */
  name?: string;
  /** The tensors each call must pass (tf.TensorSpec per argument); other calls are refused with TF's error. */
  inputSignature?: readonly TensorSpec[];
}

/**
 * tf.function: traces `fn` into a graph once per input signature (the shapes and dtypes of tensor arguments, the
 * values of the others) and replays that graph on later calls, as TF's `@tf.function` does. Inside it,
 * tf.gradients adds symbolic gradient nodes; `getTrace()` shows the graph in the inspector's format.
 * @param fn The function to trace; it takes and returns tensors (or structures of them) and other values.
 * @param options `name` for the graph (default fn's name), `inputSignature` to fix the accepted tensors.
 * @throws Error when fn is not a function, a function is passed as an argument of the traced one, or a call does
 * not match inputSignature.
 * @example
 * ```ts
 * const f = tf.function((x: tf.Tensor) => x.square().sum());
 * f(tf.constant([1, 2, 3])) // → 14
 * f(tf.constant([4, 5, 6])) // → 77
 * f.tracingCount // → 1
 * ```
 */
export function tfFunction<A extends unknown[], R>(fn: (...args: A) => R, options: TfFunctionOptions = {}): TracedFunction<A, R> {
  if (typeof fn !== 'function') throw new Error('tf.function: expected a function to trace');
  const name = options.name ?? (fn.name || 'function');
  const cache = new Map<string, ConcreteFunction>();
  const valueKeyed = new Set<number>();
  let tracingCount = 0;
  let last: TracedGraph | null = null;

  const trace = (args: unknown[], live: boolean): { concrete: ConcreteFunction; result: unknown } => {
    tracingCount++;
    const graph = new TracedGraph(`tf.function ${name}`);
    // registered before running, so a trace that fails (e.g. check numerics) can still be drawn up to the fault
    recording.capture?.add(graph);
    last = graph;
    const inputs = live ? args : placeholdersFor(args, graph);
    if (live) graph.placeholders.push(...tensorArgs(args));
    const result = tracing(graph, live, () => {
      const r = fn(...(inputs as A));
      if (r instanceof Promise) throw new Error('tf.function: the traced function must be synchronous (it returned a Promise)');
      return r;
    });
    graph.collectVariableReads();
    // an assign after a read copies the variable's storage (copy on write), so the read no longer shares it
    const mutatesVariables = [...graph.variableReads].some(([v, reads]) => reads.some((s) => s.dataSync() !== v.dataSync()));
    const flat = flattenResult(result);
    graph.outputs = flat.tensors;
    return { concrete: { graph, rebuild: flat.rebuild, mutatesVariables }, result };
  };

  const call = (...args: A): R => {
    if (options.inputSignature !== undefined) checkInputSignature(name, options.inputSignature, args);
    // inside another trace: the ops simply join the outer graph
    if (recording.graph instanceof TracedGraph && recording.graph.symbolic) return fn(...args);
    // an eager tape is recording: run on the real inputs so that tape sees every op (a traced replay would not)
    if (recording.tapes.length > 0) return trace(args, true).result as R;
    const key = signatureOf(args, valueKeyed);
    const cached = cache.get(key);
    if (cached !== undefined && !cached.mutatesVariables) {
      cached.graph.replay(tensorArgs(args));
      last = cached.graph;
      return cached.rebuild(cached.graph.outputs.map(copyOut)) as R;
    }
    const { concrete } = trace(args, false);
    const before = valueKeyed.size;
    for (const i of argsReadAsIndices(concrete.graph, args)) valueKeyed.add(i);
    // a stateful trace is never replayed, so keeping it would only hold memory (a training step per batch)
    if (!concrete.mutatesVariables) {
      cache.set(valueKeyed.size === before ? key : signatureOf(args, valueKeyed), concrete);
      if (cache.size > MAX_CACHED_TRACES) cache.delete(cache.keys().next().value as string);
    }
    return concrete.rebuild(concrete.graph.outputs.map(copyOut)) as R;
  };

  Object.defineProperty(call, 'tracingCount', { get: () => tracingCount });
  return Object.assign(call, {
    getTrace: () => (last === null ? null : exportGraph(last, 0)),
    getGraph: () => last,
  }) as unknown as TracedFunction<A, R>;
}
