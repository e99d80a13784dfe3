// Turns a recorded tape into the plain JSON graph the inspector draws (trace_format.ts).
import type { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import type { GradientTape } from '../tape/gradient_tape';
import { explainNullGradient } from '../tape/explain_null';
import { numericsFaultOf } from '../tape/check_numerics';
import { TracedGraph } from '../graph/traced_graph';
import { exportGraph } from '../graph/export_graph';
import { summarizeTensor } from './summarize';
import { resolveSource } from '../tape/tape_node';
import { hooks } from '../runtime/hooks';
import { TRACE_FORMAT_VERSION, type TapeTrace, type TraceEdge, type TraceNode, type TraceTensor } from './trace_format';

export const DEFAULT_MAX_NODES = 5000;

function jsonSafe(attrs: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = [...v];
  }
  return out;
}

export function exportTape(tape: GradientTape | TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES): TapeTrace {
  if (tape instanceof TracedGraph) return exportGraph(tape, order, maxNodes);
  const all = tape.nodes;
  const kept = all.slice(0, maxNodes);
  const lastCall = tape.gradientCalls[tape.gradientCalls.length - 1];
  const grads = lastCall?.all ?? null;
  const targetIds = new Set(tape.gradientCalls.flatMap((c) => c.targets.map((t) => t.id)));
  const sourceIds = new Set(tape.gradientCalls.flatMap((c) => c.sources.map((t) => t.id)));

  const producer = new Map<number, string>();
  const tensors = new Map<number, Tensor>();
  kept.forEach((node, i) => producer.set(node.output.id, `n${i}`));

  const nodes: TraceNode[] = [];
  const edges: TraceEdge[] = [];
  const leafKind = new Map<number, TraceTensor['kind']>();

  const leafNode = (t: Tensor): string => {
    const id = `t${t.id}`;
    if (!tensors.has(t.id)) {
      const original = tape.watchedTensors.get(t.id) ?? t;
      const kind: TraceTensor['kind'] = original instanceof Variable ? 'variable' : tape.watchedIds.has(t.id) ? 'watched' : 'constant';
      leafKind.set(t.id, kind);
      tensors.set(t.id, original);
      nodes.push({
        id, kind: 'tensor', op: kind === 'variable' ? 'Variable' : kind === 'watched' ? 'Watched' : 'Const',
        label: original.name ?? (kind === 'variable' ? 'Variable' : kind === 'watched' ? 'watched' : 'const'),
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
      ...(resolveSource(node, hooks.locateSource) ? { source: node.source } : {}),
      ...(fault ? { numericsFault: fault } : {}),
    });
  });
  // sources that no recorded op touched still appear, so the inspector can say why their gradient is null
  for (const call of tape.gradientCalls) for (const s of call.sources) if (!tensors.has(s.id)) leafNode(s);

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
    if (entry.isSource && lastCall) {
      const k = lastCall.sources.findIndex((s) => s.id === id);
      if (k >= 0 && lastCall.results[k] === null) {
        const why = explainNullGradient(tape, lastCall.targets[0], lastCall.sources[k], false);
        if (why.reason) entry.nullReason = why.reason;
        entry.nullExplanation = why.message;
      }
    }
    traceTensors.push(entry);
  }

  return {
    version: TRACE_FORMAT_VERSION,
    tapeId: tape.id,
    label: `tape ${tape.id}${tape.persistent ? ' (persistent)' : ''}`,
    mode: 'tape',
    persistent: tape.persistent,
    order,
    ...(tape.parentTapeId !== undefined ? { parentTapeId: tape.parentTapeId } : {}),
    childTapeIds: tape.childTapeIds.slice(),
    nodes,
    edges,
    tensors: traceTensors,
    gradientCalls: tape.gradientCalls.map((c) => ({ targets: c.targets.map((t) => t.id), sources: c.sources.map((t) => t.id) })),
    totalNodes: all.length,
    truncated: all.length > kept.length,
  };
}
