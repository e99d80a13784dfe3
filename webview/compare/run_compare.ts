// Compare a tape with the same tape of the cell's previous run, node by node. Tensor ids change from run to run,
// so nodes are matched by what the user sees: the output's user name, the op, and which occurrence of that pair
// it is in recording order. A matched node reports its value and gradient when they changed and by how much.
import type { TapeTrace, TensorSummary, TraceNode, TraceTensor } from '../../engine/trace/trace_format';
import { tensorDisplayName } from '../graph/names';
import { decodeValue } from '../number_format';

export type NodeChangeKind = 'changed' | 'appeared' | 'vanished';

/** What changed in one quantity (a value or a gradient) of a matched node. */
export interface QuantityChange {
  before: TensorSummary | null | undefined;
  after: TensorSummary | null | undefined;
  /** Largest elementwise |after − before| when both list their values, else |Δ‖·‖|; Infinity when one side is None. */
  delta: number;
}

export interface NodeComparison {
  kind: NodeChangeKind;
  /** The name shown for the node's output (the user's name, else what made it). */
  name: string;
  op: string;
  /** The node in the new tape (absent for a vanished node) and in the previous one (absent for a new node). */
  afterNode?: string;
  beforeNode?: string;
  value?: QuantityChange;
  grad?: QuantityChange;
}

export interface TapeComparison {
  /** Every node that changed, appeared or vanished, in the new tape's order, vanished ones last. */
  nodes: NodeComparison[];
  unchanged: number;
}

/** Changes smaller than this relative to the larger magnitude are rounding, not an edit. */
const RELATIVE_TOLERANCE = 1e-6;

/** Each node keyed by (user name, op, occurrence of that pair). */
function keyedNodes(trace: TapeTrace, tensors: ReadonlyMap<number, TraceTensor>): Map<string, TraceNode> {
  const seen = new Map<string, number>();
  const out = new Map<string, TraceNode>();
  for (const node of trace.nodes) {
    const key = `${tensors.get(node.output)?.name ?? ''}\u0000${node.op}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    out.set(`${key}\u0000${k}`, node);
  }
  return out;
}

/** How far apart two summaries are; 0 when equal within rounding. */
export function summaryDelta(a: TensorSummary | null | undefined, b: TensorSummary | null | undefined): number {
  if (!a && !b) return 0;
  if (!a || !b) return Infinity;
  if (a.shape.join() !== b.shape.join()) return Infinity;
  const scale = Math.max(a.l2, b.l2, 1e-30);
  let delta: number;
  if (a.values && b.values && a.values.length === b.values.length) {
    delta = 0;
    for (let i = 0; i < a.values.length; i++) {
      const x = decodeValue(a.values[i]), y = decodeValue(b.values[i]);
      if (Object.is(x, y) || x === y) continue;
      delta = Math.max(delta, Number.isFinite(x) && Number.isFinite(y) ? Math.abs(y - x) : Infinity);
    }
  } else {
    delta = Math.max(Math.abs(b.l2 - a.l2), Math.abs(b.mean - a.mean));
    if (a.nanCount !== b.nanCount || a.infCount !== b.infCount) delta = Infinity;
  }
  return delta <= RELATIVE_TOLERANCE * scale ? 0 : delta;
}

/** A node's name as the graph titles it: the user's name, a leaf's label ('const'), else what made it. */
function nodeName(trace: TapeTrace, node: TraceNode, tensors: ReadonlyMap<number, TraceTensor>): string {
  return tensors.get(node.output)?.name ?? (node.kind === 'tensor' ? node.label : tensorDisplayName(trace, node.output));
}

function quantity(before: TensorSummary | null | undefined, after: TensorSummary | null | undefined): QuantityChange | undefined {
  const delta = summaryDelta(before, after);
  return delta === 0 ? undefined : { before, after, delta };
}

/** The nodes of `after` that differ from their match in `before`, and those only one of them has. */
export function compareTapes(before: TapeTrace, after: TapeTrace): TapeComparison {
  const beforeTensors = new Map(before.tensors.map((t) => [t.id, t]));
  const afterTensors = new Map(after.tensors.map((t) => [t.id, t]));
  const old = keyedNodes(before, beforeTensors);
  const nodes: NodeComparison[] = [];
  let unchanged = 0;
  for (const [key, node] of keyedNodes(after, afterTensors)) {
    const name = nodeName(after, node, afterTensors);
    const was = old.get(key);
    if (!was) { nodes.push({ kind: 'appeared', name, op: node.op, afterNode: node.id }); continue; }
    old.delete(key);
    const a = beforeTensors.get(was.output), b = afterTensors.get(node.output);
    const value = quantity(a?.value, b?.value);
    const grad = quantity(a?.grad, b?.grad);
    if (!value && !grad) { unchanged++; continue; }
    nodes.push({ kind: 'changed', name, op: node.op, afterNode: node.id, beforeNode: was.id, ...(value ? { value } : {}), ...(grad ? { grad } : {}) });
  }
  for (const node of old.values()) nodes.push({ kind: 'vanished', name: nodeName(before, node, beforeTensors), op: node.op, beforeNode: node.id });
  return { nodes, unchanged };
}

/** The tape of the previous run that corresponds to `tape`: the one recorded in the same order, else by label. */
export function matchingTape(tape: TapeTrace, previous: readonly TapeTrace[]): TapeTrace | undefined {
  return previous.find((t) => t.order === tape.order && t.mode === tape.mode) ?? previous.find((t) => t.label === tape.label);
}
