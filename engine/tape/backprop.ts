// Reverse mode over a tape: walk the recorded nodes backwards (they are in execution order, hence topological),
// pushing each output's gradient to the inputs that lead to a source. The loop imports no ops: the caller hands
// it the op that sums gradients meeting at one tensor, so outer tapes record that sum too (tfjs's tape does the same).
import type { Tensor } from '../tensor/tensor';
import type { TapeNode } from './tape_node';
import { recording } from './recording_state';
import { blameGradientError, checkGradientStep } from './check_numerics';
import { scalarBackprop, scalarPassAllowed } from './scalar_backprop';

/** Sums two gradients of one tensor (tf.add, so the sum is itself differentiable). */
export type AddGradients = (a: Tensor, b: Tensor) => Tensor;

/** What one backward step sent to one input of its node: the contribution, and that input's gradient so far. */
export interface EdgeGradient {
  input: number;
  contribution: Tensor;
  total: Tensor;
}

/**
 * Watches the backward pass step by step (the trace's replay uses it). Called only when one is given, so a pass
 * without an observer allocates nothing for it.
 */
export interface BackpropObserver {
  /** `nodes[nodeIndex]` received `dy` and sent `edges` to its inputs, in the order the pass computed them. */
  step(nodeIndex: number, dy: Tensor, edges: readonly EdgeGradient[]): void;
  /**
   * Present when the observer only reads values (trace capture summarises them): a scalar graph's pass then runs on
   * plain numbers and tells it each step as numbers instead — node `nodeIndex` received `dy` and sent contribution
   * `c` to input `input` (`total`: that input's gradient so far), for up to two edges in the order computed
   * (`inputB` < 0 when one). Absent: the gradient ops run on tensors and step() hears them.
   */
  scalarStep?(nodeIndex: number, dtype: 'float32' | 'float64', dy: number, inputA: number, cA: number, totalA: number, inputB: number, cB: number, totalB: number): void;
}

export interface BackpropResult {
  /** Gradient by tensor id; holds every tensor on a source→target path when keepAll, else only the sources. */
  grads: Map<number, Tensor>;
  /** Which pass ran: on plain numbers (scalar_backprop.ts) or with gradient ops on tensors. */
  pass: 'scalar' | 'tensor';
}

/** Ids reachable forward from the sources through the recorded nodes. */
export function reachableFrom(nodes: readonly TapeNode[], sourceIds: ReadonlySet<number>): Set<number> {
  const reach = new Set(sourceIds);
  for (const node of nodes) {
    const inputs = node.inputs;
    for (let i = 0; i < inputs.length; i++) {
      if (reach.has(inputs[i].id)) { reach.add(node.output.id); break; }
    }
  }
  return reach;
}

/**
 * @param gradientOf the id of the tape or graph differentiated, noted on nodes recorded meanwhile (second order)
 * @param addGradients how gradients arriving along two paths are summed
 * @param observer told of every step and edge contribution (trace capture)
 */
export function backprop(
  nodes: readonly TapeNode[],
  seeds: Map<number, Tensor>,
  sourceIds: ReadonlySet<number>,
  keepAll: boolean,
  gradientOf: number,
  addGradients: AddGradients,
  observer?: BackpropObserver,
): BackpropResult {
  // a scalar graph whose gradient no one records runs on plain numbers, with the same results; an observer that
  // reads only values (trace capture) is told the same steps, as those numbers
  const scalarObserved = observer === undefined ? !keepAll : observer.scalarStep !== undefined;
  if (scalarObserved && scalarPassAllowed()) {
    const scalarGrads = scalarBackprop(nodes, seeds, sourceIds, keepAll, observer);
    if (scalarGrads !== null) return { grads: scalarGrads, pass: 'scalar' };
  }
  const reach = reachableFrom(nodes, sourceIds);
  const grads = new Map(seeds);
  const savedGradientOf = recording.gradientOf;
  recording.gradientOf = gradientOf;
  try {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i];
      const outId = node.output.id;
      if (!reach.has(outId)) continue;
      const dy = grads.get(outId);
      if (dy === undefined) continue;
      const inputs = node.inputs;
      let any = false;
      const needs = new Array<boolean>(inputs.length);
      for (let j = 0; j < inputs.length; j++) { needs[j] = reach.has(inputs[j].id); any ||= needs[j]; }
      if (!any) continue;
      let inputGrads: ReadonlyArray<Tensor | null | undefined>;
      try {
        inputGrads = node.grad(dy, needs, inputs, node.output, node.attrs);
      } catch (e) {
        throw recording.checkNumerics ? blameGradientError(node, dy, e) : e;
      }
      checkGradientStep(node, dy, needs, inputGrads);
      const edges: EdgeGradient[] | undefined = observer === undefined ? undefined : [];
      for (let j = 0; j < inputs.length; j++) {
        const g = inputGrads[j];
        if (!needs[j] || g === null || g === undefined) continue;
        const id = inputs[j].id;
        const prev = grads.get(id);
        const total = prev === undefined ? g : addGradients(prev, g);
        grads.set(id, total);
        edges?.push({ input: j, contribution: g, total });
      }
      if (edges !== undefined) observer!.step(i, dy, edges);
      if (!keepAll && !sourceIds.has(outId)) grads.delete(outId);
    }
  } finally {
    recording.gradientOf = savedGradientOf;
  }
  return { grads, pass: 'tensor' };
}
