// The graph tf.function traces: every op the function ran, in order, with the closure that computes it.
// "Static" here means: the op sequence, shapes, constants and JavaScript control flow are fixed when the graph is
// traced; a later call with the same input signature does not run the user's function again, it replays the
// recorded kernels on the new input values (each node recomputes its output into the same tensor object, so
// every closure that captured it sees the new value).
import { replaceStorage, type Tensor } from '../tensor/tensor';
import type { Variable } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import { shapesEqual } from '../shape/shape';
import type { GradFn, OpAttrs, TapeNode } from '../tape/tape_node';
import { newRecorderId, recording, type GraphRecorder, type Traceable } from '../tape/recording_state';
import type { TapeTrace } from '../trace/trace_format';
import { exportGraph } from './export_graph';
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

export class TracedGraph implements GraphRecorder, Traceable {
  /** From the id space tapes use too, so traces' recordedDuringGradientOf and parent ids name either. */
  readonly id = newRecorderId();
  /** Tapes started while this graph was the innermost recorder. */
  readonly childTapeIds: number[] = [];
  /** Every variable read while tracing (trainable or not), by id: their snapshots are refreshed on replay. */
  readonly variablesRead = new Map<number, Variable>();
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

  noteVariableRead(variable: Variable): void {
    this.variablesRead.set(variable.id, variable);
  }

  exportTrace(order: number, maxNodes?: number): TapeTrace {
    return exportGraph(this, order, maxNodes);
  }

  /** Nodes backprop may walk (differentiable ones), as of now. */
  differentiableNodes(): GraphNode[] {
    return this.nodes.filter((n) => n.differentiable);
  }

  /** After tracing: remember which captured inputs are variable snapshots, so replays read current values. */
  collectVariableReads(): void {
    for (const node of this.nodes) {
      for (const input of node.inputs) {
        const v = this.variablesRead.get(input.id);
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
      replaceStorage(p, a.dataSync(), `argument ${i}`);
    });
    for (const [variable, snapshots] of this.variableReads) {
      const current = variable.read().dataSync();
      for (const s of snapshots) replaceStorage(s, current, `variable '${variable.name}'`);
    }
    this.rerunFrom(0, recording.checkNumerics);
  }

  /** Recomputes nodes[start..] in order from their inputs' current storage. */
  rerunFrom(start: number, checkNumerics = false): void {
    for (let i = start; i < this.nodes.length; i++) {
      const node = this.nodes[i];
      const fresh = node.forward();
      if (fresh !== node.output) replaceStorage(node.output, fresh.dataSync(), node.op);
      const fault = checkNumerics ? forwardNumericsFault(node.op, node.inputs, node.output) : null;
      if (fault !== null) {
        markNumericsFault(node.output, 'forward');
        throw fault;
      }
    }
  }
}
