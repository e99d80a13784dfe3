// Reverse mode over a tape: walk the recorded nodes backwards (they are in execution order, hence topological),
// pushing each output's gradient to the inputs that lead to a source.
import type { Tensor } from '../tensor/tensor';
import type { TapeNode } from './tape_node';
import { recording } from './recording_state';
import { checkNumericsOf } from './check_numerics';
import { addGradients } from './accumulate';

export interface BackpropResult {
  /** Gradient by tensor id; holds every tensor on a source→target path when keepAll, else only the sources. */
  grads: Map<number, Tensor>;
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

export function backprop(
  nodes: readonly TapeNode[],
  seeds: Map<number, Tensor>,
  sourceIds: ReadonlySet<number>,
  keepAll: boolean,
  tapeId: number,
): BackpropResult {
  const reach = reachableFrom(nodes, sourceIds);
  const grads = new Map(seeds);
  const savedGradientOf = recording.gradientOf;
  recording.gradientOf = tapeId;
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
      const inputGrads = node.grad(dy, needs, inputs, node.output, node.attrs);
      for (let j = 0; j < inputs.length; j++) {
        const g = inputGrads[j];
        if (!needs[j] || g === null || g === undefined) continue;
        if (recording.checkNumerics) checkNumericsOf(`${node.op} (gradient)`, 'backward', [dy], g);
        const id = inputs[j].id;
        const prev = grads.get(id);
        grads.set(id, prev === undefined ? g : addGradients(prev, g));
      }
      if (!keepAll && !sourceIds.has(outId)) grads.delete(outId);
    }
  } finally {
    recording.gradientOf = savedGradientOf;
  }
  return { grads };
}
