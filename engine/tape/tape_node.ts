// One recorded op on a tape: what ran, on what, and how to push a gradient back through it.
import type { Tensor } from '../tensor/tensor';
import type { SourceLocation } from '../trace/trace_format';

/**
 * Given the gradient `dy` of the target with respect to the op's output, returns the gradient with respect to
 * each input (null where none flows). `needs[i]` is false when input i leads to no source, so the op may skip it.
 * Gradients are written with ops, so an outer tape records them (higher-order derivatives). `inputs` and `output` are
 * the node's own, so hot ops can use one module-level gradient function instead of a closure per op.
 */
export type GradFn = (dy: Tensor, needs: readonly boolean[], inputs: readonly Tensor[], output: Tensor) => ReadonlyArray<Tensor | null | undefined>;

export interface TapeNode {
  op: string;
  /** The input values as the op saw them (Variable reads are snapshots). */
  inputs: Tensor[];
  output: Tensor;
  grad: GradFn;
  attrs?: Record<string, unknown>;
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
