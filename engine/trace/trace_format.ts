// The plain-JSON shape of a recorded tape, as the inspector draws it.
// Declared once here; the worker, the host and the webview all import these types.

export const TRACE_FORMAT_VERSION = 1;

export type DType = 'float32' | 'float64' | 'int32' | 'bool';

/** Why a source's gradient is null (tape.gradient returned None for it). */
export type NullGradientReason =
  | 'not-watched'          // a constant that was never tape.watch()ed, or a non-trainable variable
  | 'integer-dtype'        // int32/bool tensors carry no gradient
  | 'no-path'              // watched, but no recorded op connects it to the target
  | 'recorded-outside'     // the target was computed before recording began / outside the tape
  | 'stop-gradient'        // the only paths run through stopGradient / stopRecording
  | 'variable-replaced'    // a Variable was rebound to a Tensor (x = x.add(1)) instead of assignAdd
  | 'tape-already-used';   // a non-persistent tape whose gradient() was already called

export interface Histogram {
  /** bins + 1 ascending edges */
  edges: number[];
  counts: number[];
}

/** Summary of one tensor's values: never the whole of a large tensor. */
export interface TensorSummary {
  shape: number[];
  dtype: DType;
  size: number;
  min: number;
  max: number;
  mean: number;
  std: number;
  l2: number;
  nanCount: number;
  infCount: number;
  /** Row-major values when size <= 64 (NaN/Infinity encoded as strings 'NaN', 'Infinity', '-Infinity'). */
  values?: Array<number | string>;
  /** For tensors with more than 64 elements. */
  histogram?: Histogram;
  /** For rank-2 tensors larger than 64 elements: a block-averaged grid of at most 32x32 cells (4 significant digits). */
  heatmap?: { rows: number; cols: number; values: number[]; sourceShape: [number, number] };
}

export interface SourceLocation {
  file: string;
  line: number;   // 1-based
  column: number; // 1-based
}

/** A tensor that appears on the tape: an op output, a watched source, a variable or a constant input. */
export interface TraceTensor {
  id: number;
  /** The user's name: a Variable's or Keras weight's own name, else the binding that holds it or the identifier passed. */
  name?: string;
  shape: number[];
  dtype: DType;
  kind: 'op-output' | 'variable' | 'watched' | 'constant';
  isSource: boolean;   // passed as a source to gradient()
  isTarget: boolean;   // passed as a target to gradient()
  value?: TensorSummary;
  /** Gradient of the (summed) target with respect to this tensor; null when none flows here. */
  grad?: TensorSummary | null;
  /** For sources whose gradient is null: why. */
  nullReason?: NullGradientReason;
  nullExplanation?: string;
}

export interface TraceNode {
  /** Node id, unique within its tape ('n12'). Leaf tensors (sources, constants) get nodes 't<id>'. */
  id: string;
  kind: 'op' | 'tensor';
  /** Op name ('MatMul', 'Add', ...) for op nodes; 'Variable' / 'Const' / 'Watched' for tensor nodes. */
  op: string;
  label: string;
  /** The tensor this node produces. */
  output: number;
  inputs: number[];
  attrs?: Record<string, unknown>;
  /** Name scope path, outermost first (['dense_1']). */
  scope: string[];
  /** The tape whose gradient() computation recorded this node, if it was recorded during an inner gradient (second order). */
  recordedDuringGradientOf?: number;
  source?: SourceLocation;
  /** The identifiers the user's call passed, receiver first (`a.mul(b)` → ['a', 'b']; null: not an identifier). */
  argNames?: Array<string | null>;
  /** The user function the op's call is written in (its parameters are in argNames). */
  inFunction?: string;
  /** Set by check-numerics: this op's forward output or gradient held NaN/Inf first. */
  numericsFault?: 'forward' | 'backward';
}

/** Why the engine recorded a tape for itself: the inspector hides these unless asked. */
export const INTERNAL_TAPE_KINDS = ['forward-accumulator', 'gradient-check'] as const;
export type InternalTapeKind = (typeof INTERNAL_TAPE_KINDS)[number];

/** The error that ended a tape's record() early, and the user's line it was thrown from. */
export interface TapeStop {
  name: string;
  message: string;
  line?: number;
}

export interface TraceEdge {
  from: string;  // node id
  to: string;    // node id
  tensor: number;
  shape: number[];
}

export interface GradientCall {
  targets: number[];
  sources: number[];
}

export interface TapeTrace {
  version: typeof TRACE_FORMAT_VERSION;
  tapeId: number;
  label: string;
  /** 'tape' for an eager GradientTape, 'graph' for a tf.function trace. */
  mode: 'tape' | 'graph';
  persistent: boolean;
  /** Order of this tape among those recorded by the same run (0-based). */
  order: number;
  /** Tape that was recording when this one started (nesting), if any. */
  parentTapeId?: number;
  /** Tapes that were started while this one recorded. */
  childTapeIds: number[];
  nodes: TraceNode[];
  edges: TraceEdge[];
  tensors: TraceTensor[];
  gradientCalls: GradientCall[];
  /** Node count before any truncation. */
  totalNodes: number;
  truncated: boolean;
  /** Set for tapes the engine recorded for itself (see INTERNAL_TAPE_KINDS). */
  internal?: InternalTapeKind;
  /** Set when record() ended by an exception: the ops recorded until then are the tape's. */
  stoppedBy?: TapeStop;
}

/** One scalar point logged by tf.summary.scalar or a training helper. */
export interface MetricPoint {
  name: string;
  step: number;
  value: number;
  wallTime: number; // ms since epoch
}
