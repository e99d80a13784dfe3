// The engine's one piece of global recording state: which tapes are recording, the current name scope,
// and whether a trace is being captured. Kept in one place so op recording stays a short loop.
import type { Tensor } from '../tensor/tensor';
import type { GradFn, OpAttrs, TapeNode } from './tape_node';

/** @internal What the op runner needs from a tape; GradientTape implements it. */
export interface RecordingTape {
  readonly id: number;
  readonly watchAccessedVariables: boolean;
  /** >0 while inside stopRecording(). */
  pausedDepth: number;
  watchedIds: Set<number>;
  nodes: TapeNode[];
  /** Set by listeners (tf.function's tracer) that must hear reads of non-trainable variables too. */
  readonly hearsAllVariableReads?: boolean;
  /** Called when a trainable variable (or, for listeners, any variable) is read while this tape records. */
  noteVariableAccess(variable: Tensor): void;
}

/** The graph tf.function is tracing: it sees every op, recorded or not (engine/graph/traced_graph.ts). */
export interface GraphRecorder {
  recordOp(op: string, inputs: Tensor[], output: Tensor, forward: () => Tensor, grad: GradFn | null, attrs: OpAttrs): void;
}

export interface CaptureSession {
  sourceLines: boolean;
  /** Every tape that recorded while capturing, in order. */
  tapes: unknown[];
  maxTapes: number;
  droppedTapes: number;
}

export const recording = {
  /** Tapes currently recording, outermost first. */
  tapes: [] as RecordingTape[],
  /** Name scope path; replaced (never mutated) on push/pop so nodes can share it. */
  scope: [] as readonly string[],
  /** Id of the tape whose gradient() is running, if any. */
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
};

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
