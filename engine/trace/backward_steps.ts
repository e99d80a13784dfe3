// The backward pass as the engine ran it, step by step, kept while a trace is captured so the inspector can
// replay it: the seeds, then for each differentiated node the gradient it received and what it sent along each
// edge (with the receiving tensor's running sum). Tensors are kept and summarised only when the trace is exported.
import type { Tensor } from '../tensor/tensor';
import type { BackpropObserver, EdgeGradient } from '../tape/backprop';
import { summarizeScalar, summarizeTensor } from './summarize';
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

/** A step as the replay shows it: the summaries of what the node received and sent. */
interface SummarizedStep {
  nodeIndex: number;
  incoming: TensorSummary;
  edges: { input: number; contribution: TensorSummary; total: TensorSummary }[];
}

function summarizedStep({ nodeIndex, dy, edges }: RecordedStep): SummarizedStep {
  return { nodeIndex, incoming: briefSummary(dy), edges: edges.map((e) => ({ input: e.input, contribution: briefSummary(e.contribution), total: briefSummary(e.total) })) };
}

/** Numbers per scalar step: dy, then contribution and running sum of up to two edges. */
const SCALAR_NUMBERS = 5;
/** Integers per scalar step: the node's index and the two edges' input indices (-1: no such edge). */
const SCALAR_INTS = 3;

/**
 * A scalar graph's pass as the numbers it ran on (scalar_backprop.ts): no tensor per step while it runs; the
 * export summarises each number as summarizeTensor would its scalar, so the replay reads what the tensor pass shows.
 */
class ScalarStepLog {
  count = 0;
  numbers = new Float64Array(SCALAR_NUMBERS * 256);
  ints = new Int32Array(SCALAR_INTS * 256);

  constructor(readonly dtype: 'float32' | 'float64') {}

  push(nodeIndex: number, dy: number, inputA: number, cA: number, totalA: number, inputB: number, cB: number, totalB: number): void {
    if (this.count * SCALAR_INTS === this.ints.length) this.grow();
    const f = this.count * SCALAR_NUMBERS;
    const k = this.count * SCALAR_INTS;
    this.numbers[f] = dy;
    this.numbers[f + 1] = cA;
    this.numbers[f + 2] = totalA;
    this.numbers[f + 3] = cB;
    this.numbers[f + 4] = totalB;
    this.ints[k] = nodeIndex;
    this.ints[k + 1] = inputA;
    this.ints[k + 2] = inputB;
    this.count++;
  }

  /** Step `i` summarised. */
  step(i: number): SummarizedStep {
    const f = i * SCALAR_NUMBERS;
    const k = i * SCALAR_INTS;
    const summary = (j: number) => summarizeScalar(this.numbers[f + j], this.dtype);
    const edges = [{ input: this.ints[k + 1], contribution: summary(1), total: summary(2) }];
    if (this.ints[k + 2] >= 0) edges.push({ input: this.ints[k + 2], contribution: summary(3), total: summary(4) });
    return { nodeIndex: this.ints[k], incoming: summary(0), edges };
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
    const ints = new Int32Array(this.ints.length * 2);
    ints.set(this.ints);
    this.ints = ints;
  }
}

export class BackwardStepRecorder implements BackpropObserver {
  private readonly tensorSteps: RecordedStep[] = [];
  private scalarSteps: ScalarStepLog | null = null;

  constructor(readonly seeds: ReadonlyMap<number, Tensor>) {}

  step(nodeIndex: number, dy: Tensor, edges: readonly EdgeGradient[]): void {
    this.tensorSteps.push({ nodeIndex, dy, edges });
  }

  /** The export only summarises values, so a scalar graph's pass tells it the numbers. */
  scalarStep(nodeIndex: number, dtype: 'float32' | 'float64', dy: number, inputA: number, cA: number, totalA: number, inputB: number, cB: number, totalB: number): void {
    (this.scalarSteps ??= new ScalarStepLog(dtype)).push(nodeIndex, dy, inputA, cA, totalA, inputB, cB, totalB);
  }

  /** How many steps the pass ran (one pass is either on tensors or on numbers). */
  get stepCount(): number {
    return this.tensorSteps.length + (this.scalarSteps?.count ?? 0);
  }

  private nodeIndexAt(i: number): number {
    const tensorSteps = this.tensorSteps.length;
    return i < tensorSteps ? this.tensorSteps[i].nodeIndex : this.scalarSteps!.ints[(i - tensorSteps) * SCALAR_INTS];
  }

  private stepAt(i: number): SummarizedStep {
    const tensorSteps = this.tensorSteps.length;
    return i < tensorSteps ? summarizedStep(this.tensorSteps[i]) : this.scalarSteps!.step(i - tensorSteps);
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
    for (let i = 0; i < this.stepCount; i++) {
      const node = nodeId(this.nodeIndexAt(i));
      if (node === undefined) { truncated = true; continue; }
      const s = this.stepAt(i);
      const inputs = inputsOf(s.nodeIndex);
      steps.push({
        node,
        incoming: s.incoming,
        sends: s.edges.map((e) => {
          const tensor = inputs[e.input].id;
          const count = (received.get(tensor) ?? 0) + 1;
          received.set(tensor, count);
          return {
            input: e.input, tensor, from: producerOf(tensor) ?? `t${tensor}`,
            contribution: e.contribution, total: e.total, count,
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
