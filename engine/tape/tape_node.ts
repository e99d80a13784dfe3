// One recorded op on a tape: what ran, on what, and how to push a gradient back through it.
import type { Tensor } from '../tensor/tensor';
import type { SourceLocation } from '../trace/trace_format';

/** An op's attributes (axes, perm, flags): kept on its node, handed to its gradient, shown in the trace. */
export type OpAttrs = Readonly<Record<string, unknown>>;

/** The attributes of an op that has none (shared, frozen). */
export const NO_ATTRS: OpAttrs = Object.freeze({});

/**
 * Given the gradient `dy` of the target with respect to the op's output, returns the gradient with respect to
 * each input (null where none flows). `needs[i]` is false when input i leads to no source, so the op may skip it.
 * Gradients are written with ops, so an outer tape records them (higher-order derivatives). `inputs`, `output` and
 * `attrs` are the node's own, so every op declares one module-level gradient function instead of a closure per call.
 * Attribute values that are not JSON (index arrays, functions) travel to the gradient but stay out of the trace.
 * `scalar`, when the op has one, is the same gradient on plain numbers (see {@link ScalarGradFn}).
 */
export interface GradFn<A extends object = OpAttrs> {
  (dy: Tensor, needs: readonly boolean[], inputs: readonly Tensor[], output: Tensor, attrs: A): ReadonlyArray<Tensor | null | undefined>;
  readonly scalar?: ScalarGradFn;
}

/** The rounding of a float dtype's storage: Math.fround for float32, none for float64. */
export type Round = (value: number) => number;

/**
 * An op's gradient for a node whose inputs and output are all scalars, on plain numbers: writes the gradient of
 * input j into `grads[j]` (x and y are the inputs' values, y unused by unary ops; out is the output's). It must give
 * the bits the tensor gradient gives: `round` each step exactly where that gradient's ops store a result.
 * The scalar backward pass (scalar_backprop.ts) uses it when no tape or graph would record the gradient's ops.
 */
export type ScalarGradFn = (round: Round, dy: number, x: number, y: number, out: number, grads: Float64Array) => void;

/** An op's gradient function together with its rule on plain numbers, declared side by side in the op's file. */
export function withScalarRule<A extends object = OpAttrs>(
  grad: (dy: Tensor, needs: readonly boolean[], inputs: readonly Tensor[], output: Tensor, attrs: A) => ReadonlyArray<Tensor | null | undefined>,
  scalar: ScalarGradFn,
): GradFn<A> {
  return Object.assign(grad, { scalar });
}

export interface TapeNode {
  op: string;
  /** The input values as the op saw them (Variable reads are snapshots). */
  inputs: Tensor[];
  output: Tensor;
  grad: GradFn;
  attrs: OpAttrs;
  scope: readonly string[];
  /** Set when this node was recorded while another tape computed its gradient (second order). */
  recordedDuringGradientOf?: number;
  source?: SourceLocation;
  /** The call stack when the op ran, resolved into `source` only if a trace needs it (see resolveSource). */
  sourceSite?: Error;
}

/** The user's line for a node, resolving its captured call site on first use. */
export function resolveSource(node: TapeNode, locate: ((site?: Error) => SourceLocation | undefined) | null): SourceLocation | undefined {
  if (node.source === undefined && node.sourceSite !== undefined && locate !== null) {
    node.source = locate(node.sourceSite);
    node.sourceSite = undefined;
  }
  return node.source;
}
