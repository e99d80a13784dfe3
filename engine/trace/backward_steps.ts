// The backward pass as the engine ran it, step by step, kept while a trace is captured so the inspector can
// replay it: the seeds, then for each differentiated node the gradient it received and what it sent along each
// edge (with the receiving tensor's running sum). Tensors are kept and summarised only when the trace is exported.
import type { Tensor } from '../tensor/tensor';
import type { BackpropObserver, EdgeGradient } from '../tape/backprop';
import { summarizeTensor } from './summarize';
import type { BackwardPass, TensorSummary } from './trace_format';

/** A summary without the histogram, heatmap or image grid: statistics, and values when small. The replay shows
 * numbers and norms, and a pass repeats every tensor's shape several times, so the pictures stay with the tensors. */
export function briefSummary(t: Tensor): TensorSummary {
  const { histogram: _h, heatmap: _m, imageGrid: _g, ...brief } = summarizeTensor(t);
  return brief;
}

interface RecordedStep {
  nodeIndex: number;
  dy: Tensor;
  edges: readonly EdgeGradient[];
}

export class BackwardStepRecorder implements BackpropObserver {
  readonly steps: RecordedStep[] = [];
  /** The export only summarises values, so a scalar graph's pass may hand it scalars made from its numbers. */
  readonly valuesOnly = true;

  constructor(readonly seeds: ReadonlyMap<number, Tensor>) {}

  step(nodeIndex: number, dy: Tensor, edges: readonly EdgeGradient[]): void {
    this.steps.push({ nodeIndex, dy, edges });
  }

  /**
   * The pass in the trace format. `nodeId(i)` names recorded node i (undefined past the trace's node cap: those
   * steps are left out and the pass marked truncated); `producerOf` names the node an input tensor came from.
   */
  export(inputsOf: (nodeIndex: number) => readonly Tensor[], nodeId: (nodeIndex: number) => string | undefined,
    producerOf: (tensorId: number) => string | undefined): BackwardPass {
    const received = new Map<number, number>();
    const steps: BackwardPass['steps'] = [];
    let truncated = false;
    for (const s of this.steps) {
      const node = nodeId(s.nodeIndex);
      if (node === undefined) { truncated = true; continue; }
      const inputs = inputsOf(s.nodeIndex);
      steps.push({
        node,
        incoming: briefSummary(s.dy),
        sends: s.edges.map((e) => {
          const tensor = inputs[e.input].id;
          const count = (received.get(tensor) ?? 0) + 1;
          received.set(tensor, count);
          return {
            input: e.input, tensor, from: producerOf(tensor) ?? `t${tensor}`,
            contribution: briefSummary(e.contribution), total: briefSummary(e.total), count,
          };
        }),
      });
    }
    return {
      seeds: [...this.seeds].map(([tensor, value]) => ({ tensor, value: briefSummary(value) })),
      steps,
      ...(truncated ? { truncated } : {}),
    };
  }
}
