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
 */
export type GradFn<A extends object = OpAttrs> = (
  dy: Tensor, needs: readonly boolean[], inputs: readonly Tensor[], output: Tensor, attrs: A,
) => ReadonlyArray<Tensor | null | undefined>;

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
