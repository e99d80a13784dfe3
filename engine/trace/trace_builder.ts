// The parts every trace shares — nodes, edges and per-tensor summaries — built from a list of recorded ops.
// Eager tapes and traced graphs differ only in how they classify leaf tensors and which gradients they show.
import type { Tensor } from '../tensor/tensor';
import { readValue } from '../tensor/variable';
import { numericsFaultOf } from '../tape/check_numerics';
import { summarizeTensor } from './summarize';
import { CUT_NODE_ID, type NullGradientReason, type SourceLocation, type TraceEdge, type TraceNode, type TraceTensor } from './trace_format';

export const DEFAULT_MAX_NODES = 5000;

/** Ops whose second input is a filter [h, w, in, out]: its image grid is laid out per filter, not per image. */
const FILTER_INPUT_OPS = new Set(['Conv2D', 'Conv2DBackpropInput', 'DepthwiseConv2dNative', 'DepthwiseConv2dNativeBackpropInput']);

/** What a tape node and a graph node have in common. */
export interface RecordedOp {
  op: string;
  inputs: Tensor[];
  output: Tensor;
  attrs?: Readonly<Record<string, unknown>>;
  scope: readonly string[];
  recordedDuringGradientOf?: number;
}

/** How a tensor that no kept op produced is shown. */
export interface Leaf {
  tensor: Tensor;
  kind: 'variable' | 'watched' | 'constant';
  op: string;
  label: string;
}

export interface ShownGradients {
  targets: readonly Tensor[];
  sources: readonly Tensor[];
  results: ReadonlyArray<Tensor | null>;
  /** Gradient with respect to every tensor on a path, by id. */
  all: Map<number, Tensor> | null;
}

export type NullExplainer = (source: Tensor, target: Tensor) => { reason?: NullGradientReason; message: string };

/** The JSON attributes of an op (index arrays and functions its gradient uses stay out); none gives undefined. */
function jsonSafe(attrs: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> | undefined {
  if (!attrs) return undefined;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || ['number', 'string', 'boolean'].includes(typeof v)) out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'number')) out[k] = [...v];
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

export class TraceBuilder {
  readonly nodes: TraceNode[] = [];
  readonly edges: TraceEdge[] = [];
  private readonly tensors = new Map<number, Tensor>();
  private readonly leafKind = new Map<number, TraceTensor['kind']>();
  private readonly producer = new Map<number, string>();
  private readonly filterIds = new Set<number>();

  constructor(private readonly describeLeaf: (t: Tensor) => Leaf) {}

  /** Adds op nodes (ids n0, n1, …), their edges, and a node for every input no op produced. */
  addOps(ops: readonly RecordedOp[], sourceOf: (op: RecordedOp) => SourceLocation | undefined): void {
    ops.forEach((op, i) => this.producer.set(op.output.id, `n${i}`));
    ops.forEach((op, i) => {
      const nodeId = `n${i}`;
      for (const input of op.inputs) {
        const from = this.producer.get(input.id) ?? this.addLeaf(input);
        this.edges.push({ from, to: nodeId, tensor: input.id, shape: input.shape.slice() });
      }
      this.tensors.set(op.output.id, op.output);
      if (FILTER_INPUT_OPS.has(op.op) && op.inputs.length > 1) this.filterIds.add(op.inputs[1].id);
      const fault = numericsFaultOf(op.output);
      const source = sourceOf(op);
      this.nodes.push({
        id: nodeId, kind: 'op', op: op.op, label: op.op,
        output: op.output.id, inputs: op.inputs.map((t) => t.id), attrs: jsonSafe(op.attrs),
        scope: [...op.scope],
        ...(op.recordedDuringGradientOf !== undefined ? { recordedDuringGradientOf: op.recordedDuringGradientOf } : {}),
        ...(source ? { source } : {}),
        ...(fault ? { numericsFault: fault } : {}),
      });
    });
  }

  /**
   * One node standing for the ops a cut trace leaves out (`label` says how many): kept ops read the tensors in
   * `produced` from it. Call before addOps; connect what the cut ops read with addCutInputs after it.
   */
  addCut(produced: readonly Tensor[], label: string): void {
    if (produced.length === 0) return;
    this.nodes.push({ id: CUT_NODE_ID, kind: 'tensor', op: 'Cut', label, output: produced[0].id, inputs: [], scope: [] });
    for (const t of produced) {
      this.producer.set(t.id, CUT_NODE_ID);
      this.tensors.set(t.id, t);
      this.leafKind.set(t.id, 'constant');
    }
  }

  /** Edges from the kept nodes whose tensors the cut ops read into the cut's node (kept producers only). */
  addCutInputs(read: readonly Tensor[]): void {
    if (!this.nodes.some((n) => n.id === CUT_NODE_ID)) return;
    for (const t of read) {
      const from = this.producer.get(t.id);
      if (from !== undefined && from !== CUT_NODE_ID) this.edges.push({ from, to: CUT_NODE_ID, tensor: t.id, shape: t.shape.slice() });
    }
  }

  /** A tensor node ('t<id>') for a leaf, once. */
  addLeaf(t: Tensor): string {
    const id = `t${t.id}`;
    if (!this.tensors.has(t.id)) {
      const leaf = this.describeLeaf(t);
      this.leafKind.set(t.id, leaf.kind);
      this.tensors.set(t.id, leaf.tensor);
      this.nodes.push({ id, kind: 'tensor', op: leaf.op, label: leaf.label, output: t.id, inputs: [], scope: [] });
    }
    return id;
  }

  has(id: number): boolean {
    return this.tensors.has(id);
  }

  /** The tensors no kept op produced (variables, watched tensors, constants). */
  leafTensors(): Tensor[] {
    return [...this.leafKind.keys()].map((id) => this.tensors.get(id)!);
  }

  /** Summaries of every tensor in the trace, with the shown gradient call's gradients and null explanations. */
  /** `names`: the user's names by tensor id (user_names.ts); they replace engine names (`explain` words its explanations with them too). */
  tensorEntries(calls: ReadonlyArray<{ targets: readonly Tensor[]; sources: readonly Tensor[] }>, shown: ShownGradients | undefined, explain: NullExplainer, names: ReadonlyMap<number, string> = new Map()): TraceTensor[] {
    const targetIds = new Set(calls.flatMap((c) => c.targets.map((t) => t.id)));
    const sourceIds = new Set(calls.flatMap((c) => c.sources.map((t) => t.id)));
    const grads = shown?.all ?? null;
    const entries: TraceTensor[] = [];
    for (const [id, t] of this.tensors) {
      const layout = this.filterIds.has(id) ? 'HWIO' : 'NHWC';
      const entry: TraceTensor = {
        id, shape: t.shape.slice(), dtype: t.dtype,
        kind: this.leafKind.get(id) ?? 'op-output',
        isSource: sourceIds.has(id), isTarget: targetIds.has(id),
        value: summarizeTensor(readValue(t), layout),
      };
      const name = names.get(id) ?? t.name;
      if (name) entry.name = name;
      if (grads !== null) {
        const g = grads.get(id);
        entry.grad = g ? summarizeTensor(g, layout) : null;
      }
      if (entry.isSource && shown) {
        const k = shown.sources.findIndex((s) => s.id === id);
        if (k >= 0 && shown.results[k] === null) {
          const why = explain(shown.sources[k], shown.targets[0]);
          if (why.reason) entry.nullReason = why.reason;
          entry.nullExplanation = why.message;
        }
      }
      entries.push(entry);
    }
    return entries;
  }
}
