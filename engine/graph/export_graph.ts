// A traced graph (with its gradient nodes) as the same JSON trace an eager tape exports, mode 'graph', so the
// inspector draws both side by side. Values are those of the graph's most recent run.
import { Variable } from '../tensor/variable';
import { TRACE_FORMAT_VERSION, type TapeTrace } from '../trace/trace_format';
import { DEFAULT_MAX_NODES, TraceBuilder } from '../trace/trace_builder';
import type { GraphNode, TracedGraph } from './traced_graph';

export function exportGraph(graph: TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES): TapeTrace {
  const kept = graph.nodes.slice(0, maxNodes);
  const placeholderIds = new Set(graph.placeholders.map((p) => p.id));
  const variableIds = new Map<number, Variable>();
  for (const v of graph.variableReads.keys()) variableIds.set(v.id, v);
  const builder = new TraceBuilder((t) => {
    const variable = variableIds.get(t.id);
    const kind = variable ? 'variable' : placeholderIds.has(t.id) ? 'watched' : 'constant';
    return {
      tensor: variable ?? t, kind,
      op: kind === 'variable' ? 'Variable' : kind === 'watched' ? 'Placeholder' : 'Const',
      label: (variable ?? t).name ?? (kind === 'watched' ? 'placeholder' : 'const'),
    };
  });
  builder.addOps(kept, (node) => (node as GraphNode).source);
  for (const p of graph.placeholders) builder.addLeaf(p);
  // the first tf.gradients call is the one whose gradients colour the graph (later ones differentiate it again)
  const tensors = builder.tensorEntries(graph.gradientCalls, graph.gradientCalls[0], () => ({
    reason: 'no-path', message: 'no op in the traced graph connects this tensor to the differentiated ys',
  }));

  return {
    version: TRACE_FORMAT_VERSION,
    tapeId: graph.id,
    label: graph.label,
    mode: 'graph',
    persistent: true,
    order,
    childTapeIds: graph.childTapeIds.slice(),
    nodes: builder.nodes,
    edges: builder.edges,
    tensors,
    gradientCalls: graph.gradientCalls.map((c) => ({ targets: c.targets.map((t) => t.id), sources: c.sources.map((t) => t.id) })),
    totalNodes: graph.nodes.length,
    truncated: graph.nodes.length > kept.length,
  };
}
