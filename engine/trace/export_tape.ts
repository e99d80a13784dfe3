// Turns a recorded tape into the plain JSON graph the inspector draws (trace_format.ts).
import { Variable } from '../tensor/variable';
import type { GradientTape, JacobianCallRecord } from '../autodiff/gradient_tape';
import { Tensor } from '../tensor/tensor';
import { summarizeTensor } from './summarize';
import { explainNullGradient } from '../tape/explain_null';
import { TracedGraph } from '../graph/traced_graph';
import { exportGraph } from '../graph/export_graph';
import { resolveSource, type TapeNode } from '../tape/tape_node';
import { hooks } from '../runtime/hooks';
import { TRACE_FORMAT_VERSION, type JacobianCall, type SourceLocation, type TapeTrace } from './trace_format';
import { DEFAULT_MAX_NODES, TraceBuilder } from './trace_builder';
import { briefSummary } from './backward_steps';
import { nameTensors, type UserNames } from './user_names';
import { internalKindOf } from './internal_tapes';

export { DEFAULT_MAX_NODES };

function sourceField(source: SourceLocation | undefined): { source?: SourceLocation } {
  return source ? { source } : {};
}

/** `names`: what the host's parse of the cell says about bindings and call sites (absent: engine names only). */
export function exportTape(tape: GradientTape | TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES, names?: UserNames): TapeTrace {
  if (tape instanceof TracedGraph) return exportGraph(tape, order, maxNodes);
  const all = tape.nodes;
  const kept = keptOps(all, maxNodes, new Set(tape.gradientCalls.flatMap((c) => c.targets.map((t) => t.id))));
  const cutOutputs = kept.length < all.length ? new Set(all.map((n) => n.output.id)) : null;
  if (cutOutputs) for (const n of kept) cutOutputs.delete(n.output.id);
  const builder = new TraceBuilder((t) => {
    // A kept op's input made by a cut op: drawn as a leaf that says so.
    if (cutOutputs?.has(t.id)) return { tensor: t, kind: 'constant', op: 'Cut', label: '⋯ from cut ops' };
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
  for (const call of [...tape.gradientCalls, ...tape.jacobianCalls]) for (const s of call.sources) if (!builder.has(s.id)) builder.addLeaf(s);
  const callSources = tape.gradientCalls.map((c) => (c.site && hooks.locateSource ? hooks.locateSource(c.site) : undefined));
  const userNames = nameTensors(kept, builder.leafTensors(), names, tape.gradientCalls.map((c, i) => ({ ...c, source: callSources[i] })));
  if (names) noteCallSites(builder.nodes, kept, names);
  // the replay names recorded nodes by their trace ids; steps through cut ops are left out
  const keptIds = new Map(kept.map((node, k) => [node, `n${k}`]));
  const producerIds = new Map(kept.map((node, k) => [node.output.id, `n${k}`]));
  const producer = (tensorId: number): string | undefined => producerIds.get(tensorId);
  const lastCall = tape.gradientCalls[tape.gradientCalls.length - 1];
  const tensors = builder.tensorEntries(tape.gradientCalls, lastCall, 
    (source, target) => explainNullGradient(tape, target, source, false, { nameOf: (id) => userNames.get(id), lineOf: names?.bindingLine }), userNames);

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
    gradientCalls: tape.gradientCalls.map((c, i) => ({
      targets: c.targets.map((t) => t.id), sources: c.sources.map((t) => t.id),
      ...sourceField(callSources[i]),
      results: c.results.map((r) => (r === null ? null : { tensor: r.id, value: briefSummary(r) })),
      ...(c.steps ? { backward: c.steps.export((i) => all[i].inputs, (i) => keptIds.get(all[i]), producer) } : {}),
    })),
    ...(tape.jacobianCalls.length > 0 ? { jacobianCalls: tape.jacobianCalls.map(exportJacobianCall) } : {}),
    totalNodes: all.length,
    truncated: all.length > kept.length,
    ...internalAndStop(tape),
  };
}

/** A jacobian call with each result as a [rows, cols] matrix: target elements × source elements (per example). */
function exportJacobianCall(call: JacobianCallRecord): JacobianCall {
  const batch = call.kind === 'batchJacobian';
  const sourceShapes = call.sources.map((s) => (batch ? s.shape.slice(1) : s.shape.slice()));
  return {
    kind: call.kind, target: call.target.id, targetShape: call.target.shape.slice(), sources: call.sources.map((s) => s.id), sourceShapes,
    ...(call.site && hooks.locateSource ? sourceField(hooks.locateSource(call.site)) : {}),
    results: call.results.map((r, k) => {
      if (r === null) return null;
      const cols = sourceShapes[k].reduce((a, b) => a * b, 1);
      const matrix = new Tensor(r.dataSync(), [cols === 0 ? 0 : r.size / cols, cols], r.dtype);
      const { histogram: _h, ...summary } = summarizeTensor(matrix);
      return { tensor: r.id, value: summary };
    }),
  };
}

function internalAndStop(tape: GradientTape): Pick<TapeTrace, 'internal' | 'stoppedBy'> {
  const out: Pick<TapeTrace, 'internal' | 'stoppedBy'> = {};
  const internal = internalKindOf(tape);
  if (internal) out.internal = internal;
  if (tape.stoppedBy !== undefined) {
    const e = tape.stoppedBy instanceof Error ? tape.stoppedBy : new Error(String(tape.stoppedBy));
    const at = hooks.locateSource?.(e);
    out.stoppedBy = { name: e.name, message: e.message, ...(at ? { line: at.line } : {}) };
  }
  return out;
}

/**
 * The ops a trace keeps when a tape has more than `max`: the first half (where the sources are read), the last
 * half (where the targets are computed) and any op that made a target; the middle is cut.
 */
function keptOps(all: readonly TapeNode[], max: number, targetIds: ReadonlySet<number>): TapeNode[] {
  if (all.length <= max) return all.slice();
  const head = Math.ceil(max / 2);
  const tailFrom = all.length - (max - head);
  return all.filter((n, i) => i < head || i >= tailFrom || targetIds.has(n.output.id));
}

/** Op nodes keep the identifiers their call passed (a function's parameters inside it) and that function's name. */
function noteCallSites(nodes: TapeTrace['nodes'], kept: readonly TapeNode[], names: UserNames): void {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  kept.forEach((op, i) => {
    const site = op.source ? names.callAt(op.source) : undefined;
    const node = byId.get(`n${i}`);
    if (!site || !node) return;
    if (site.args.length === op.inputs.length && site.args.some((a) => a !== null)) node.argNames = site.args.slice();
    if (site.inFunction) node.inFunction = site.inFunction;
  });
}
