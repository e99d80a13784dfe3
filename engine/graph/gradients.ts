// tf.gradients(ys, xs): symbolic gradients inside a traced function. The gradient ops are added to the graph
// being traced (they run through the same op runner), so tf.gradients of a gradient gives higher orders.
import { Tensor } from '../tensor/tensor';
import { readValue } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import { formatShape } from '../shape/shape';
import { recording } from '../tape/recording_state';
import { backprop } from '../tape/backprop';
import { zerosLike } from '../ops/creation';
import { add } from '../ops/arithmetic';
import type { TensorLike } from '../tensor/convert';
import { seedsFor, type SeedMessages } from '../autodiff/seeds';
import { TracedGraph } from './traced_graph';

export const EAGER_GRADIENTS_MESSAGE = 'tf.gradients is not supported when eager execution is enabled. Use tf.GradientTape instead.';

/** Options of tf.gradients. */
export interface GradientsOptions {
  /** Gradient of some outer loss with respect to each y (default: ones), as TF's grad_ys. */
  gradYs?: TensorLike | TensorLike[] | null;
  /** Tensors treated as constants: no gradient flows back through them. */
  stopGradients?: Tensor | Tensor[];
  /** 'none' (default) gives null for an x no y depends on, 'zero' gives zeros. */
  unconnectedGradients?: 'none' | 'zero';
}

const SEED_MESSAGES: SeedMessages = {
  op: 'tf.gradients',
  count: (given, ys) => `tf.gradients: ${given} gradYs for ${ys} ys`,
  shape: (i, seed, y) => `tf.gradients: gradYs #${i} has shape ${formatShape(seed.shape)} but ys #${i} has shape ${formatShape(y.shape)}`,
};

function list(what: string, v: Tensor | readonly Tensor[]): Tensor[] {
  const items = Array.isArray(v) ? [...v] : [v];
  items.forEach((t, i) => {
    if (!(t instanceof Tensor)) throw new Error(`tf.gradients: ${what}${items.length > 1 ? ` #${i}` : ''} must be a tf.Tensor, got ${t === null ? 'null' : typeof t}`);
  });
  return items as Tensor[];
}

/**
 * tf.gradients (graph mode): d(sum of ys)/dx for each x, as gradient nodes added to the graph tf.function is
 * tracing; null for an x no y depends on (or zeros with `unconnectedGradients: 'zero'`).
 * @throws Error outside tf.function ("tf.gradients is not supported when eager execution is enabled", as TF).
 * @example
 * ```ts
 * const slope = tf.function((x: tf.Tensor) => tf.gradients(x.pow(3), x)[0]);
 * slope(tf.constant(2.0)) // → 12
 * ```
 */
export function gradients(ys: Tensor | readonly Tensor[], xs: Tensor | readonly Tensor[], options: GradientsOptions = {}): (Tensor | null)[] {
  const graph = recording.graph;
  if (!(graph instanceof TracedGraph) || !graph.symbolic) throw new Error(EAGER_GRADIENTS_MESSAGE);
  const targets = list('ys', ys);
  const sources = list('xs', xs);
  const seeds = seedsFor(targets, options.gradYs, SEED_MESSAGES);
  const stops = new Set(options.stopGradients === undefined ? [] : list('stopGradients', options.stopGradients).map((t) => t.id));
  const nodes = graph.differentiableNodes().filter((n) => !stops.has(n.output.id));
  const sourceIds = new Set(sources.filter((s) => isFloatDType(s.dtype)).map((s) => s.id));
  const { grads } = backprop(nodes, seeds, sourceIds, true, graph.id, add);
  const results = sources.map((s) => {
    const g = isFloatDType(s.dtype) ? grads.get(s.id) : undefined;
    if (g !== undefined) return g;
    return options.unconnectedGradients === 'zero' ? zerosLike(readValue(s)) : null;
  });
  graph.gradientCalls.push({ targets, sources, results, all: grads });
  return results;
}
