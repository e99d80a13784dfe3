// A traced graph (with its gradient nodes) as the same JSON trace an eager tape exports, mode 'graph', so the
// inspector draws both side by side. Values are those of the graph's most recent run.
import type { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import { summarizeTensor } from '../trace/summarize';
import { numericsFaultOf } from '../tape/check_numerics';
import { TRACE_FORMAT_VERSION, type TapeTrace, type TraceEdge, type TraceNode, type TraceTensor } from '../trace/trace_format';
import type { TracedGraph } from './traced_graph';

const DEFAULT_MAX_NODES = 5000;

function jsonSafe(attrs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = [...v];
  }
  return out;
}

export function exportGraph(graph: TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES): TapeTrace {
  const kept = graph.nodes.slice(0, maxNodes);
  const placeholderIds = new Set(graph.placeholders.map((p) => p.id));
  const variableIds = new Map<number, Variable>();
  for (const v of graph.variableReads.keys()) variableIds.set(v.id, v);
  // the first tf.gradients call is the one whose gradients colour the graph (later ones differentiate it again)
  const firstCall = graph.gradientCalls[0];
  const grads = firstCall?.all ?? null;
  const targetIds = new Set(graph.gradientCalls.flatMap((c) => c.targets.map((t) => t.id)));
  const sourceIds = new Set(graph.gradientCalls.flatMap((c) => c.sources.map((t) => t.id)));

  const producer = new Map<number, string>();
  kept.forEach((node, i) => producer.set(node.output.id, `n${i}`));
  const tensors = new Map<number, Tensor>();
  const leafKind = new Map<number, TraceTensor['kind']>();
  const nodes: TraceNode[] = [];
  const edges: TraceEdge[] = [];

  const leafNode = (t: Tensor): string => {
    const id = `t${t.id}`;
    if (!tensors.has(t.id)) {
      const variable = variableIds.get(t.id);
      const kind: TraceTensor['kind'] = variable ? 'variable' : placeholderIds.has(t.id) ? 'watched' : 'constant';
      leafKind.set(t.id, kind);
      tensors.set(t.id, variable ?? t);
      nodes.push({
        id, kind: 'tensor', op: kind === 'variable' ? 'Variable' : kind === 'watched' ? 'Placeholder' : 'Const',
        label: (variable ?? t).name ?? (kind === 'watched' ? 'placeholder' : 'const'),
        output: t.id, inputs: [], scope: [],
      });
    }
    return id;
  };

  kept.forEach((node, i) => {
    const nodeId = `n${i}`;
    node.inputs.forEach((input) => {
      const from = producer.get(input.id) ?? leafNode(input);
      edges.push({ from, to: nodeId, tensor: input.id, shape: input.shape.slice() });
    });
    tensors.set(node.output.id, node.output);
    const fault = numericsFaultOf(node.output);
    nodes.push({
      id: nodeId, kind: 'op', op: node.op, label: node.op,
      output: node.output.id, inputs: node.inputs.map((t) => t.id), attrs: jsonSafe(node.attrs),
      scope: [...node.scope],
      ...(node.recordedDuringGradientOf !== undefined ? { recordedDuringGradientOf: node.recordedDuringGradientOf } : {}),
      ...(node.source ? { source: node.source } : {}),
      ...(fault ? { numericsFault: fault } : {}),
    });
  });
  for (const p of graph.placeholders) leafNode(p);

  const traceTensors: TraceTensor[] = [];
  for (const [id, t] of tensors) {
    const entry: TraceTensor = {
      id, shape: t.shape.slice(), dtype: t.dtype,
      kind: leafKind.get(id) ?? 'op-output',
      isSource: sourceIds.has(id), isTarget: targetIds.has(id),
      value: summarizeTensor(t instanceof Variable ? t.read() : t),
    };
    if (t.name) entry.name = t.name;
    if (grads !== null) {
      const g = grads.get(id);
      entry.grad = g ? summarizeTensor(g) : null;
    }
    if (entry.isSource && firstCall) {
      const k = firstCall.sources.findIndex((s) => s.id === id);
      if (k >= 0 && firstCall.results[k] === null) {
        entry.nullReason = 'no-path';
        entry.nullExplanation = 'no op in the traced graph connects this tensor to the differentiated ys';
      }
    }
    traceTensors.push(entry);
  }

  return {
    version: TRACE_FORMAT_VERSION,
    tapeId: graph.id,
    label: graph.label,
    mode: 'graph',
    persistent: true,
    order,
    childTapeIds: [],
    nodes,
    edges,
    tensors: traceTensors,
    gradientCalls: graph.gradientCalls.map((c) => ({ targets: c.targets.map((t) => t.id), sources: c.sources.map((t) => t.id) })),
    totalNodes: graph.nodes.length,
    truncated: graph.nodes.length > kept.length,
  };
}
