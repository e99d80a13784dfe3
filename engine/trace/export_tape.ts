// Turns a recorded tape into the plain JSON graph the inspector draws (trace_format.ts).
import { Variable } from '../tensor/variable';
import type { GradientTape } from '../autodiff/gradient_tape';
import { explainNullGradient } from '../tape/explain_null';
import { TracedGraph } from '../graph/traced_graph';
import { exportGraph } from '../graph/export_graph';
import { resolveSource, type TapeNode } from '../tape/tape_node';
import { hooks } from '../runtime/hooks';
import { TRACE_FORMAT_VERSION, type SourceLocation, type TapeTrace } from './trace_format';
import { DEFAULT_MAX_NODES, TraceBuilder } from './trace_builder';
import { briefSummary } from './backward_steps';

export { DEFAULT_MAX_NODES };

function sourceField(source: SourceLocation | undefined): { source?: SourceLocation } {
  return source ? { source } : {};
}

export function exportTape(tape: GradientTape | TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES): TapeTrace {
  if (tape instanceof TracedGraph) return exportGraph(tape, order, maxNodes);
  const all = tape.nodes;
  const kept = all.slice(0, maxNodes);
  const builder = new TraceBuilder((t) => {
    const original = tape.watchedTensors.get(t.id) ?? t;
    const kind = original instanceof Variable ? 'variable' : tape.watchedIds.has(t.id) ? 'watched' : 'constant';
    return {
      tensor: original, kind,
      op: kind === 'variable' ? 'Variable' : kind === 'watched' ? 'Watched' : 'Const',
      label: original.name ?? (kind === 'variable' ? 'Variable' : kind === 'watched' ? 'watched' : 'const'),
    };
  });
  builder.addOps(kept, (node) => resolveSource(node as TapeNode, hooks.locateSource));
  // sources that no recorded op touched still appear, so the inspector can say why their gradient is null
  for (const call of tape.gradientCalls) for (const s of call.sources) if (!builder.has(s.id)) builder.addLeaf(s);
  const producerIds = new Map(kept.map((node, i) => [node.output.id, `n${i}`]));
  const producer = (tensorId: number): string | undefined => producerIds.get(tensorId);
  const lastCall = tape.gradientCalls[tape.gradientCalls.length - 1];
  const tensors = builder.tensorEntries(tape.gradientCalls, lastCall, (source, target) => explainNullGradient(tape, target, source, false));

  return {
    version: TRACE_FORMAT_VERSION,
    tapeId: tape.id,
    label: `tape ${tape.id}${tape.persistent ? ' (persistent)' : ''}`,
    mode: 'tape',
    persistent: tape.persistent,
    order,
    ...(tape.parentTapeId !== undefined ? { parentTapeId: tape.parentTapeId } : {}),
    childTapeIds: tape.childTapeIds.slice(),
    nodes: builder.nodes,
    edges: builder.edges,
    tensors,
    gradientCalls: tape.gradientCalls.map((c) => ({
      targets: c.targets.map((t) => t.id), sources: c.sources.map((t) => t.id),
      ...(c.site && hooks.locateSource ? sourceField(hooks.locateSource(c.site)) : {}),
      results: c.results.map((r) => (r === null ? null : { tensor: r.id, value: briefSummary(r) })),
      ...(c.steps ? { backward: c.steps.export((i) => all[i].inputs, (i) => (i < kept.length ? `n${i}` : undefined), producer) } : {}),
    })),
    totalNodes: all.length,
    truncated: all.length > kept.length,
  };
}
