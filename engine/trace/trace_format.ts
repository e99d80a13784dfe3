// The plain-JSON shape of a recorded tape, as the inspector draws it.
// Declared once here; the worker, the host and the webview all import these types.

/** The version of this format; a trace of another version is rejected by the inspector. */
export const TRACE_FORMAT_VERSION = 1;

/** Every dtype a tensor can have; `DType` is derived from it (engine/tensor/dtype.ts re-exports both). */
export const DTYPES = ['float32', 'float64', 'int32', 'bool'] as const;
/** A tensor's element type, as TF names it: 'float32' (the default for numbers), 'float64', 'int32' or 'bool'. */
export type DType = (typeof DTYPES)[number];

/**
 * Why a source's gradient is null (tape.gradient returned None for it):
 * - `not-watched`: a constant that was never tape.watch()ed, or a non-trainable variable
 * - `integer-dtype`: int32/bool tensors carry no gradient
 * - `no-path`: watched, but no recorded op connects it to the target
 * - `recorded-outside`: the target was computed before recording began / outside the tape
 * - `stop-gradient`: the only paths run through stopGradient / stopRecording
 * - `variable-replaced`: a Variable was rebound to a Tensor (x = x.add(1)) instead of assignAdd
 * - `tape-already-used`: a non-persistent tape whose gradient() was already called
 */
export const NULL_GRADIENT_REASONS = [
  'not-watched', 'integer-dtype', 'no-path', 'recorded-outside', 'stop-gradient', 'variable-replaced', 'tape-already-used',
] as const;
export type NullGradientReason = (typeof NULL_GRADIENT_REASONS)[number];

/** How a tensor got onto the tape. */
export const TENSOR_KINDS = ['op-output', 'variable', 'watched', 'constant'] as const;
export type TensorKind = (typeof TENSOR_KINDS)[number];

/**
 * The id of the node that stands for the ops a cut trace left out (op 'Cut', label '⋯ N ops cut'): the kept ops
 * that read their tensors have edges from it, and the kept tensors they read have edges into it, so the paths
 * from the sources to the targets stay connected.
 */
export const CUT_NODE_ID = 'cut';

/** A drawn node is an op or a leaf tensor. */
export const NODE_KINDS = ['op', 'tensor'] as const;
/** 'tape' for an eager GradientTape, 'graph' for a tf.function trace. */
export const TRACE_MODES = ['tape', 'graph'] as const;
/** The pass in which check numerics first saw NaN/Inf at a node. */
export const NUMERICS_PHASES = ['forward', 'backward'] as const;
export type NumericsPhase = (typeof NUMERICS_PHASES)[number];

/** A summary lists the values of a tensor of at most this many elements (larger ones get a histogram). */
export const MAX_INLINE_VALUES = 64;
/** A rank-2 tensor's heatmap has at most this many rows and this many columns. */
export const MAX_HEATMAP_SIDE = 32;
/** A rank-4 tensor's image grid: at most rows × cols tiles of tile × tile values, per layout. */
export const IMAGE_GRID_LIMITS = {
  NHWC: { rows: 2, cols: 16, tile: 16 },
  HWIO: { rows: 4, cols: 32, tile: 16 },
} as const;
/** The most values any image grid carries. */
export const MAX_IMAGE_GRID_VALUES = Math.max(...Object.values(IMAGE_GRID_LIMITS).map((l) => l.rows * l.cols * l.tile * l.tile));

/** A histogram of a tensor's finite values. */
export interface Histogram {
  /** bins + 1 ascending edges */
  edges: number[];
  /** Values in each bin (bins in all). */
  counts: number[];
}

/** Summary of one tensor's values: never the whole of a large tensor. */
export interface TensorSummary {
  /** The tensor's shape. */
  shape: number[];
  /** Its dtype. */
  dtype: DType;
  /** Number of elements. */
  size: number;
  /** Smallest finite value. */
  min: number;
  /** Largest finite value. */
  max: number;
  /** Mean of the finite values. */
  mean: number;
  /** Standard deviation of the finite values. */
  std: number;
  /** Euclidean norm of the finite values. */
  l2: number;
  /** Number of NaN values. */
  nanCount: number;
  /** Number of ±Infinity values. */
  infCount: number;
  /** Row-major values when size <= MAX_INLINE_VALUES (NaN/Infinity encoded as strings 'NaN', 'Infinity', '-Infinity'). */
  values?: Array<number | string>;
  /** For tensors with more than 64 elements. */
  histogram?: Histogram;
  /** For rank-2 tensors larger than MAX_INLINE_VALUES: a block-averaged grid of at most MAX_HEATMAP_SIDE² cells (4 significant digits). */
  heatmap?: {
    /** Rows of the grid. */
    rows: number;
    /** Columns of the grid. */
    cols: number;
    /** rows × cols block means, row-major. */
    values: number[];
    /** The tensor's [rows, cols]. */
    sourceShape: [number, number];
  };
  /** For rank-4 tensors (images, activations, filters): small tiles, one per channel (see ImageGrid). */
  imageGrid?: ImageGrid;
}

/**
 * A rank-4 tensor as a grid of small images. 'NHWC' (activations): a row per image of the batch (the first
 * few), a tile per channel. 'HWIO' (conv filters [h, w, in, out]): a row per input channel, a tile per output
 * channel. Tiles larger than the limit are block-averaged; values keep 3 significant digits.
 */
export interface ImageGrid {
/** How the tensor is read: 'NHWC' activations or 'HWIO' conv filters. */
  layout: 'NHWC' | 'HWIO';
  /** Tile rows shown (images, or input channels). */
  rows: number;
/** Tiles per row shown (channels, or filters). */
  cols: number;
/** Rows the tensor has (images, or input channels). */
  totalRows: number;
/** Tiles per row the tensor has (channels, or filters). */
  totalCols: number;
/** Height of a tile in cells. */
  tileHeight: number;
/** Width of a tile in cells. */
  tileWidth: number;
  /** The spatial size of one tile in the tensor (before block-averaging). */
  sourceTile: [number, number];
  /** rows·cols tiles, row by row, each tileHeight·tileWidth values row-major (non-finite values as 0). */
  values: number[];
}

/** A place in the user's cell file. */
export interface SourceLocation {
  /** Absolute path of the file. */
  file: string;
  /** Line, 1-based. */
  line: number;
  /** Column, 1-based. */
  column: number;
}

/** A tensor that appears on the tape: an op output, a watched source, a variable or a constant input. */
export interface TraceTensor {
  /** The tensor's id (Tensor.id). */
  id: number;
  /** The user's name: a Variable's or Keras weight's own name, else the binding that holds it or the identifier passed. */
  name?: string;
  /** Its shape. */
  shape: number[];
  /** Its dtype. */
  dtype: DType;
  /** How it got onto the tape. */
  kind: TensorKind;
  /** Passed as a source to gradient(). */
  isSource: boolean;
  /** Passed as a target to gradient(). */
  isTarget: boolean;
  /** Its values, summarised. */
  value?: TensorSummary;
  /** Gradient of the (summed) target with respect to this tensor; null when none flows here. */
  grad?: TensorSummary | null;
  /** For sources whose gradient is null: why. */
  nullReason?: NullGradientReason;
  /** The same reason in a sentence, as tape.explainGradient gives it. */
  nullExplanation?: string;
}

/** A node of the drawn graph: an op, or a leaf tensor (source, constant). */
export interface TraceNode {
  /** Node id, unique within its tape ('n12'). Leaf tensors (sources, constants) get nodes 't<id>'. */
  id: string;
  /** An op, or a leaf tensor. */
  kind: (typeof NODE_KINDS)[number];
  /** Op name ('MatMul', 'Add', ...) for op nodes; 'Variable' / 'Const' / 'Watched' for tensor nodes. */
  op: string;
  /** What the graph shows on the node. */
  label: string;
  /** The tensor this node produces. */
  output: number;
  /** Ids of the tensors it consumed. */
  inputs: number[];
  /** The op's settings (axis, transposeA, …). */
  attrs?: Record<string, unknown>;
  /** Name scope path, outermost first (['dense_1']). */
  scope: string[];
  /** The tape whose gradient() computation recorded this node, if it was recorded during an inner gradient (second order). */
  recordedDuringGradientOf?: number;
  /** The line of the user's cell that ran the op. */
  source?: SourceLocation;
  /** The identifiers the user's call passed, receiver first (`a.mul(b)` → ['a', 'b']; null: not an identifier). */
  argNames?: Array<string | null>;
  /** The user function the op's call is written in (its parameters are in argNames). */
  inFunction?: string;
  /** Set by check-numerics: this op's forward output or gradient held NaN/Inf first. */
  numericsFault?: NumericsPhase;
}

/** Why the engine recorded a tape for itself: the inspector hides these unless asked. */
export const INTERNAL_TAPE_KINDS = ['forward-accumulator', 'gradient-check'] as const;
export type InternalTapeKind = (typeof INTERNAL_TAPE_KINDS)[number];

/** The error that ended a tape's record() early, and the user's line it was thrown from. */
export interface TapeStop {
  /** The error's class name ('Error', 'RangeError', …). */
  name: string;
  /** The error's message. */
  message: string;
  /** The line of the user's file where it was thrown, when known. */
  line?: number;
}

/** A tensor flowing from one node to another. */
export interface TraceEdge {
  /** Id of the node that produced the tensor. */
  from: string;
  /** Id of the node that consumed it. */
  to: string;
  /** The tensor's id. */
  tensor: number;
  /** Its shape. */
  shape: number[];
}

/** What one backward step sent along one edge: to input `input` of its node, the tensor `tensor`. */
export interface EdgeContribution {
  /** Index of the input among the node's inputs. */
  input: number;
  /** The input tensor's id. */
  tensor: number;
  /** The node that produced that tensor (the edge's tail). */
  from: string;
  /** The gradient sent along this edge. */
  contribution: TensorSummary;
  /** The tensor's gradient after adding it: the running sum of every contribution it received so far. */
  total: TensorSummary;
  /** Which contribution to this tensor it is (1 for the first). */
  count: number;
}

/** One node differentiated by the backward pass. */
export interface BackwardStep {
  /** The node's id. */
  node: string;
  /** The gradient of the target with respect to the node's output, as the node received it. */
  incoming: TensorSummary;
  /** What it sent to each input that leads to a source, in input order. */
  sends: EdgeContribution[];
}

/** A tensor of a gradient() call (a seed, a result) with its value. */
export interface TensorValue {
  /** The tensor's id. */
  tensor: number;
  /** Its value, summarised (no histogram or heatmap). */
  value: TensorSummary;
}

/** A gradient() call's backward pass in the order the engine computed it (recorded while a trace is captured). */
export interface BackwardPass {
  /** The seed of each target (ones, or the outputGradients given): step 0 of a replay. */
  seeds: TensorValue[];
  /** The differentiated nodes, in the engine's order. */
  steps: BackwardStep[];
  /** Set when steps through nodes past the trace's node cap were left out. */
  truncated?: boolean;
  /**
   * Set, with `steps` empty, when the host held this many steps back to keep a large tape's message small:
   * the replay asks for them (requestSteps) when it is opened on this call.
   */
  deferredSteps?: number;
}

/** One tape.gradient call: ids of its targets and sources. */
export interface GradientCall {
  /** Target tensor ids. */
  targets: number[];
  /** Source tensor ids. */
  sources: number[];
  /** Its backward pass step by step (eager tapes under trace capture). */
  backward?: BackwardPass;
  /** What it returned for each source, in source order: the result tensor and its value, or null (None). */
  results?: Array<TensorValue | null>;
  /** The line of the user's cell that called gradient(). */
  source?: SourceLocation;
}

/** The tape methods whose matrices the inspector draws as heatmaps. */
export const JACOBIAN_KINDS = ['jacobian', 'batchJacobian'] as const;
/** One tape.jacobian / tape.batchJacobian call (recorded under trace capture). */
export interface JacobianCall {
  /** Which method was called. */
  kind: (typeof JACOBIAN_KINDS)[number];
  /** The target tensor's id. */
  target: number;
  /** The target's shape: the matrix's rows are its elements (for batchJacobian, per example: [batch, ...]). */
  targetShape: number[];
  /** Source tensor ids, one result each. */
  sources: number[];
  /** Each source's shape: the matrix's columns are its elements (for batchJacobian, of one example). */
  sourceShapes: number[][];
  /**
   * Per source: the result as a [rows, cols] matrix — rows the target's elements (batchJacobian: every example's,
   * example-major), columns the source's (batchJacobian: one example's) — or null (None).
   */
  results: Array<TensorValue | null>;
  /** The line of the user's cell that called it. */
  source?: SourceLocation;
}

/**
 * A recorded tape (or a tf.function graph) as plain JSON: what the inspector draws, and what
 * `tf.function(f).getTrace()` returns.
 */
export interface TapeTrace {
  /** TRACE_FORMAT_VERSION. */
  version: typeof TRACE_FORMAT_VERSION;
  /** The tape's (or graph's) id. */
  tapeId: number;
  /** The title shown in the tape list. */
  label: string;
  /** 'tape' for an eager GradientTape, 'graph' for a tf.function trace. */
  mode: (typeof TRACE_MODES)[number];
  /** Whether the tape was persistent. */
  persistent: boolean;
  /** Order of this tape among those recorded by the same run (0-based). */
  order: number;
  /** Tape that was recording when this one started (nesting), if any. */
  parentTapeId?: number;
  /** Tapes that were started while this one recorded. */
  childTapeIds: number[];
  /** The nodes, in recording order. */
  nodes: TraceNode[];
  /** The edges between them. */
  edges: TraceEdge[];
  /** Every tensor on the tape, with values and gradients. */
  tensors: TraceTensor[];
  /** Each gradient() call made on the tape. */
  gradientCalls: GradientCall[];
  /** Each jacobian() / batchJacobian() call made on the tape, if any. */
  jacobianCalls?: JacobianCall[];
  /** Node count before any truncation. */
  totalNodes: number;
  /** Whether nodes were dropped to keep the trace small: then one node (CUT_NODE_ID) stands for them. */
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
  /** Ms since epoch. */
  wallTime: number;
}
