// The graph tf.function traces: every op the function ran, in order, with the closure that computes it.
// "Static" here means: the op sequence, shapes, constants and JavaScript control flow are fixed when the graph is
// traced; a later call with the same input signature does not run the user's function again, it replays the
// recorded kernels on the new input values (each node recomputes its output into the same tensor object, so
// every closure that captured it sees the new value).
import { Tensor } from '../tensor/tensor';
import type { TypedArray } from '../tensor/dtype';
import { Variable } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import { shapesEqual, formatShape } from '../shape/shape';
import type { GradFn, OpAttrs, TapeNode } from '../tape/tape_node';
import type { GraphRecorder, RecordingTape } from '../tape/recording_state';
import { recording } from '../tape/recording_state';
import { forwardNumericsFault, markNumericsFault } from '../tape/check_numerics';

export interface GraphNode extends TapeNode {
  /** Recomputes the output from the (current values of the) inputs. */
  forward: () => Tensor;
  /** False for ops with no gradient (comparisons, stopGradient, casts to int). */
  differentiable: boolean;
}

export interface GraphGradientCall {
  targets: Tensor[];
  sources: Tensor[];
  results: (Tensor | null)[];
  /** Gradient (a graph tensor) of the summed targets with respect to every tensor on a source→target path. */
  all: Map<number, Tensor>;
}

let nextGraphId = 1;

/** Writes new storage into a tensor that closures captured; only graph replay (and checkTape) does this. */
export function setStorage(target: Tensor, values: TypedArray, what: string): void {
  (target as unknown as { values: TypedArray }).values = values;
  if (values.length !== target.size) throw new Error(`tf.function: replaying ${what} gave ${values.length} values for shape ${formatShape(target.shape)}`);
}

export class TracedGraph implements GraphRecorder {
  /** Graph ids share the tape id space's meaning in traces (recordedDuringGradientOf). */
  readonly id = 1_000_000 + nextGraphId++;
  readonly nodes: GraphNode[] = [];
  readonly placeholders: Tensor[] = [];
  readonly gradientCalls: GraphGradientCall[] = [];
  /** Variable snapshots ops captured while tracing, refreshed from their variable before each replay. */
  readonly variableReads = new Map<Variable, Tensor[]>();
  outputs: Tensor[] = [];
  /** Tensors produced by nodes (by id). */
  readonly produced = new Set<number>();

  /** @param symbolic false for a checkable tape's forward log, where tf.gradients stays unavailable (eager). */
  constructor(readonly label: string, readonly symbolic = true) {}

  recordOp(op: string, inputs: Tensor[], output: Tensor, forward: () => Tensor, grad: GradFn | null, attrs: OpAttrs): void {
    this.nodes.push({
      op, inputs, output, forward,
      grad: grad ?? (() => inputs.map(() => null)),
      differentiable: grad !== null && isFloatDType(output.dtype),
      attrs, scope: recording.scope, recordedDuringGradientOf: recording.gradientOf,
    });
    this.produced.add(output.id);
  }

  /** Nodes backprop may walk (differentiable ones), as of now. */
  differentiableNodes(): GraphNode[] {
    return this.nodes.filter((n) => n.differentiable);
  }

  /** After tracing: remember which captured inputs are variable snapshots, so replays read current values. */
  collectVariableReads(variables: ReadonlyMap<number, Variable>): void {
    for (const node of this.nodes) {
      for (const input of node.inputs) {
        const v = variables.get(input.id);
        if (v === undefined || this.produced.has(input.id)) continue;
        const list = this.variableReads.get(v) ?? [];
        if (!list.includes(input)) list.push(input);
        this.variableReads.set(v, list);
      }
    }
  }

  /** Runs the recorded kernels again on new argument values. */
  replay(args: Tensor[]): void {
    args.forEach((a, i) => {
      const p = this.placeholders[i];
      if (!shapesEqual(a.shape, p.shape) || a.dtype !== p.dtype) throw new Error(`tf.function: internal: argument ${i} does not match the traced signature`);
      setStorage(p, a.dataSync(), `argument ${i}`);
    });
    for (const [variable, snapshots] of this.variableReads) {
      const current = variable.read().dataSync();
      for (const s of snapshots) setStorage(s, current, `variable '${variable.name}'`);
    }
    this.rerunFrom(0, recording.checkNumerics);
  }

  /** Recomputes nodes[start..] in order from their inputs' current storage. */
  rerunFrom(start: number, checkNumerics = false): void {
    for (let i = start; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      const fresh = node.forward();
      if (fresh !== node.output) setStorage(node.output, fresh.dataSync(), node.op);
      const fault = checkNumerics ? forwardNumericsFault(node.op, node.inputs, node.output) : null;
      if (fault !== null) {
        markNumericsFault(node.output, 'forward');
        throw fault;
      }
    }
  }
}

/**
 * A tape that never records but hears every trainable variable read while a graph is traced, so the graph can
 * refresh those reads on replay. Tapes created inside the traced function nest under it.
 */
export class VariableListener implements RecordingTape {
  readonly id: number;
  readonly watchAccessedVariables = true;
  readonly hearsAllVariableReads = true;
  pausedDepth = 0;
  watchedIds = new Set<number>();
  nodes: TapeNode[] = [];
  readonly childTapeIds: number[] = [];
  readonly variables = new Map<number, Variable>();

  constructor(graph: TracedGraph) {
    this.id = graph.id;
  }

  noteVariableAccess(variable: Tensor): void {
    if (variable instanceof Variable) this.variables.set(variable.id, variable);
  }
}
