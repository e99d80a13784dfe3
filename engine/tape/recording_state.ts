// The engine's one piece of global recording state: which tapes are recording, which graph is being traced, the
// current name scope, and whether a trace is being captured. Kept in one place so op recording stays a short loop,
// and changed only through the functions below, so every way of stopping or nesting recording is the same one.
import type { Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import type { TapeTrace } from '../trace/trace_format';
import type { UserNames } from '../trace/user_names';
import type { GradFn, OpAttrs, TapeNode } from './tape_node';
import type { WatchedIds } from './watched_ids';

/** @internal Something tapes can nest in (a tape or a traced graph): it learns the ids of the tapes started inside it. */
export interface Recorder {
  readonly id: number;
  readonly childTapeIds: number[];
}

/** @internal What the op runner needs from a tape; GradientTape implements it. */
export interface RecordingTape extends Recorder {
  readonly watchAccessedVariables: boolean;
  /** >0 while paused (tape.stopRecording(), or the tape's own gradient computation). */
  pausedDepth: number;
  watchedIds: WatchedIds;
  nodes: TapeNode[];
  /** Called when a trainable variable is read while this tape records. */
  noteVariableAccess(variable: Tensor): void;
}

/** @internal The graph tf.function is tracing: it sees every op, recorded or not, and every variable read (engine/graph/). */
export interface GraphRecorder extends Recorder {
  recordOp(op: string, inputs: Tensor[], output: Tensor, forward: () => Tensor, grad: GradFn | null, attrs: OpAttrs): void;
  noteVariableRead(variable: Variable): void;
}

/** @internal A tape or traced graph a capture session keeps, exported to the trace format when the session ends. */
export interface Traceable {
  /** `names`: the user's names for the trace (engine/trace/user_names.ts), when the host knows them. */
  exportTrace(order: number, maxNodes?: number, names?: UserNames): TapeTrace;
}

/** @internal */
export interface CaptureSession {
  readonly sourceLines: boolean;
  /** The user's names from the host's parse of the cell (check numerics words its errors with them). */
  readonly names: UserNames | undefined;
  /** Keeps a tape or graph that started recording while capturing (the oldest go past the cap). */
  add(recorder: Traceable): void;
}

let nextRecorderId = 1;

/** Tapes and traced graphs share one id space, so a trace's parent and child ids name either. */
export function newRecorderId(): number {
  return nextRecorderId++;
}

export const recording = {
  /** Tapes currently recording, outermost first. */
  tapes: [] as readonly RecordingTape[],
  /** Name scope path; replaced (never mutated) on push/pop so nodes can share it. */
  scope: [] as readonly string[],
  /** Id of the tape (or graph) whose gradient is being computed, if any. */
  gradientOf: undefined as number | undefined,
  capture: null as CaptureSession | null,
  checkNumerics: false,
  /**
   * Keep each op output's lineage so explainGradient can say where a path broke (outside the tape, stopGradient,
   * a replaced Variable). Off by default — it costs an allocation per op; on while a trace is captured (every
   * cell in the kernel) or after tf.debugging.enableGradientExplanations().
   */
  lineage: false,
  graph: null as GraphRecorder | null,
  /** How many tapes were recording when the current graph began: tapes past that index are nested inside it. */
  graphBase: 0,
};

/** Runs `fn` with no tape recording (a traced graph still hears every op: it must replay them). */
export function withoutRecording<T>(fn: () => T): T {
  const saved = { tapes: recording.tapes, graphBase: recording.graphBase };
  recording.tapes = [];
  recording.graphBase = 0;
  try {
    return fn();
  } finally {
    recording.tapes = saved.tapes;
    recording.graphBase = saved.graphBase;
  }
}

/** Runs `fn` while `tapes` stay on the stack but record nothing (tape.stopRecording(), a tape's own gradient). */
export function pause<T>(tapes: readonly RecordingTape[], fn: () => T): T {
  for (const t of tapes) t.pausedDepth++;
  try {
    return fn();
  } finally {
    for (const t of tapes) t.pausedDepth--;
  }
}

/** Starts recording on `tape` (innermost); returns the function that stops it. */
export function beginTape(tape: RecordingTape): () => void {
  recording.tapes = [...recording.tapes, tape];
  return () => { recording.tapes = recording.tapes.filter((t) => t !== tape); };
}

/** Makes `graph` hear every op and variable read; returns the function that restores the graph before it. */
export function beginGraph(graph: GraphRecorder): () => void {
  const saved = { graph: recording.graph, graphBase: recording.graphBase };
  recording.graph = graph;
  recording.graphBase = recording.tapes.length;
  return () => {
    recording.graph = saved.graph;
    recording.graphBase = saved.graphBase;
  };
}

/** Runs `fn` while `graph` records. */
export function withGraph<T>(graph: GraphRecorder, fn: () => T): T {
  const end = beginGraph(graph);
  try {
    return fn();
  } finally {
    end();
  }
}

/** The tape or graph a tape starting now nests in: the innermost one recording, if any. */
export function enclosingRecorder(): Recorder | undefined {
  const tapes = recording.tapes;
  return tapes.length > recording.graphBase ? tapes[tapes.length - 1] : recording.graph ?? undefined;
}

/**
 * tf.nameScope (TF's `with tf.name_scope('dense'):`): runs `fn` with `name` pushed on the scope path its ops are
 * recorded under, and returns fn's result; the inspector groups a scope's nodes together.
 * @throws Error when name is not a non-empty string.
 * @example
 * ```ts
 * const tape = new tf.GradientTape();
 * const x = tf.constant(2.0);
 * tape.watch(x);
 * const y = tape.record(() => tf.nameScope('layer1', () => x.square()));
 * tape.gradient(y, x) // → 4
 * ```
 */
export function nameScope<T>(name: string, fn: () => T): T {
  if (typeof name !== 'string' || name.length === 0) throw new Error('nameScope: the name must be a non-empty string');
  const saved = recording.scope;
  recording.scope = [...saved, name];
  try {
    return fn();
  } finally {
    recording.scope = saved;
  }
}
