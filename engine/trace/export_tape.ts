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
import { CUT_NODE_ID, TRACE_FORMAT_VERSION, type JacobianCall, type SourceLocation, type TapeTrace } from './trace_format';
import { DEFAULT_MAX_NODES, TraceBuilder } from './trace_builder';
import { briefSummary } from './backward_steps';
import { nameTensors, type UserNames } from './user_names';
import { internalKindOf } from './internal_tapes';
import { IdIndex, IdMarks } from './id_marks';

export { DEFAULT_MAX_NODES };

function sourceField(source: SourceLocation | undefined): { source?: SourceLocation } {
  return source ? { source } : {};
}

/** `names`: what the host's parse of the cell says about bindings and call sites (absent: engine names only). */
export function exportTape(tape: GradientTape | TracedGraph, order: number, maxNodes = DEFAULT_MAX_NODES, names?: UserNames): TapeTrace {
  if (tape instanceof TracedGraph) return exportGraph(tape, order, maxNodes);
  const all = tape.nodes;
  const kept = keptOps(all, maxNodes, tape.gradientCalls);
  const builder = new TraceBuilder((t) => {
    const original = tape.watchedTensors.get(t.id) ?? t;
    const kind = original instanceof Variable ? 'variable' : tape.watchedIds.has(t.id) ? 'watched' : 'constant';
    return {
      tensor: original, kind,
      op: kind === 'variable' ? 'Variable' : kind === 'watched' ? 'Watched' : 'Const',
      label: original.name ?? (kind === 'variable' ? 'Variable' : kind === 'watched' ? 'watched' : 'const'),
    };
  });
  const cut = kept.length < all.length ? cutBoundary(all, kept) : undefined;
  // The left-out ops are one node between the kept ones: a path from a source to a target stays one path.
  if (cut) builder.addCut(cut.produced, `⋯ ${(all.length - kept.length).toLocaleString('en-US')} ops cut`);
  builder.addOps(kept, (node) => resolveSource(node as TapeNode, hooks.locateSource));
  if (cut) builder.addCutInputs(cut.read);
  // sources that no recorded op touched still appear, so the inspector can say why their gradient is null
  for (const call of [...tape.gradientCalls, ...tape.jacobianCalls]) for (const s of call.sources) if (!builder.has(s.id)) builder.addLeaf(s);
  const callSources = tape.gradientCalls.map((c) => (c.site && hooks.locateSource ? hooks.locateSource(c.site) : undefined));
  const userNames = nameTensors(kept, builder.leafTensors(), names, tape.gradientCalls.map((c, i) => ({ ...c, source: callSources[i] })));
  if (names) noteCallSites(builder.nodes, kept, names);
  // the replay names recorded nodes by their trace ids; steps through cut ops are left out
  const keptIds = new Map(kept.map((node, k) => [node, `n${k}`]));
  const producerIds = new Map(kept.map((node, k) => [node.output.id, `n${k}`]));
  const cutMade = new Set(cut?.produced.map((t) => t.id));
  const producer = (tensorId: number): string | undefined => producerIds.get(tensorId) ?? (cutMade.has(tensorId) ? CUT_NODE_ID : undefined);
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
 * The ops a trace keeps when a tape has more than `max`: first the ops that made a target and the first op to
 * read each source, then the ops on the paths from the sources to the targets (all of them if they fit, else the
 * first and last halves of those paths), then, while room is left, the tape's first and last ops.
 */
export function keptOps(all: readonly TapeNode[], max: number, calls: ReadonlyArray<{ targets: readonly { id: number }[]; sources: readonly { id: number }[] }>): TapeNode[] {
  if (all.length <= max) return all.slice();
  const n = all.length;
  const targets = new Set(calls.flatMap((c) => c.targets.map((t) => t.id)));
  const sources = new Set(calls.flatMap((c) => c.sources.map((t) => t.id)));
  // Forward from the sources, backward from the targets: an op on both walks lies on a path between them.
  const reached = new IdMarks(all);
  for (const id of sources) reached.add(id);
  const fromSource = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const inputs = all[i].inputs;
    for (let j = 0; j < inputs.length; j++) {
      if (reached.has(inputs[j].id)) { fromSource[i] = 1; reached.add(all[i].output.id); break; }
    }
  }
  const needed = new IdMarks(all);
  for (const id of targets) needed.add(id);
  const onPath: number[] = [];
  for (let i = n - 1; i >= 0; i--) {
    if (!needed.has(all[i].output.id)) continue;
    for (const t of all[i].inputs) needed.add(t.id);
    if (fromSource[i] === 1) onPath.push(i);
  }
  onPath.reverse();

  const keep = new Uint8Array(n);
  let keptCount = 0;
  const keepAt = (i: number): void => { if (keep[i] === 0) { keep[i] = 1; keptCount++; } };
  const readSources = new Set<number>();
  for (let i = 0; i < n; i++) {
    const node = all[i];
    if (targets.has(node.output.id)) keepAt(i);
    for (const t of node.inputs) if (sources.has(t.id) && !readSources.has(t.id) && (fromSource[i] === 1 || targets.size === 0)) { readSources.add(t.id); keepAt(i); }
  }
  // the first and last halves of what is not kept yet, as much as there is room for
  const take = (count: number, indexAt: (k: number) => number): void => {
    const room = max - keptCount;
    if (room <= 0) return;
    const rest: number[] = [];
    for (let k = 0; k < count; k++) { const i = indexAt(k); if (keep[i] === 0) rest.push(i); }
    const head = Math.ceil(Math.min(room, rest.length) / 2);
    const tail = Math.min(room, rest.length) - head;
    for (let k = 0; k < head; k++) keepAt(rest[k]);
    for (let k = rest.length - tail; k < rest.length; k++) keepAt(rest[k]);
  };
  take(onPath.length, (k) => onPath[k]);
  take(n, (k) => k);
  const kept: TapeNode[] = [];
  for (let i = 0; i < n; i++) if (keep[i] === 1) kept.push(all[i]);
  return kept;
}

/** Edges into the cut's node: at most this many (the latest kept tensors the cut ops read), so a cut that many
 * kept ops feed does not wire the whole head of the trace to one box. */
const MAX_CUT_INPUTS = 16;

/** What crosses the cut: tensors cut ops made that kept ops read, and tensors kept ops made before the cut ops read. */
function cutBoundary(all: readonly TapeNode[], kept: readonly TapeNode[]): { produced: Tensor[]; read: Tensor[] } {
  // kept is a subsequence of all (keptOps keeps the tape's order)
  const isKept = new Uint8Array(all.length);
  for (let i = 0, k = 0; i < all.length && k < kept.length; i++) if (all[i] === kept[k]) { isKept[i] = 1; k++; }
  // by output id: the index of the kept node that made it, or -2 for a cut one
  const madeBy = new IdIndex(all);
  for (let i = 0; i < all.length; i++) madeBy.set(all[i].output.id, isKept[i] === 1 ? i : -2);
  const produced = new Map<number, Tensor>();
  for (const n of kept) for (const t of n.inputs) if (madeBy.get(t.id) === -2) produced.set(t.id, t);
  const read = new Map<number, Tensor>();
  for (let i = 0; i < all.length; i++) {
    if (isKept[i] === 1) continue;
    for (const t of all[i].inputs) {
      const at = madeBy.get(t.id);
      if (at >= 0 && at < i) read.set(t.id, t);
    }
  }
  const latest = [...read.values()].sort((a, b) => madeBy.get(b.id) - madeBy.get(a.id)).slice(0, MAX_CUT_INPUTS);
  return { produced: [...produced.values()], read: latest };
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
