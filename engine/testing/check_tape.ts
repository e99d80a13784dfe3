// tf.test.checkTape(tape, target, sources): a gradient check node by node. For every tensor on a source→target
// path it compares the gradient the tape computes, d(sum target)/d(tensor), with a central finite difference
// obtained by perturbing that tensor in place and re-running every op after it (from the tape's forward log).
// A wrong gradient (e.g. a user's customGradient) makes the tensors upstream of its op disagree while the op's
// own output agrees; that op is reported as the suspect.
import { replaceStorage, type Tensor } from '../tensor/tensor';
import type { TypedArray } from '../tensor/dtype';
import type { SourceLocation } from '../trace/trace_format';
import type { TapeNode } from '../tape/tape_node';
import type { GradientTape } from '../autodiff/gradient_tape';
import { backprop } from '../tape/backprop';
import { withoutRecording } from '../tape/recording_state';
import { onesLike } from '../ops/creation';
import { add } from '../ops/arithmetic';
import { makeRng } from '../ops/random';

/** The check of one tensor on a source→target path. */
export interface NodeGradientCheck {
  /** Op that produced the tensor ('Placeholder'-like 'source' for a source). */
  op: string;
  /** The tensor's id. */
  tensorId: number;
  /** Its shape. */
  shape: number[];
  /** Directional derivative along a fixed random direction: from the tape, and by central differences. */
  analytic: number;
  /** The same derivative by central differences. */
  numeric: number;
  /** |analytic - numeric| relative to their size. */
  relativeError: number;
  /** Whether relativeError is within the tolerance. */
  ok: boolean;
  /** The cell line of the op. */
  source?: SourceLocation;
}

/** What tf.test.checkTape returns. */
export interface TapeCheckReport {
  /** One check per tensor on a path, in recording order. */
  nodes: NodeGradientCheck[];
  /** The op whose output gradient is right but whose own vector-Jacobian product is wrong: the wrong gradient. */
  suspect: {
    /** The op's name. */
    op: string;
    /** Id of its output tensor. */
    tensorId: number;
    /** The cell line that ran it. */
    source?: SourceLocation;
  } | null;
  /** Whether every node agreed. */
  ok: boolean;
}

/** Options of tf.test.checkTape. */
export interface CheckTapeOptions {
  /** Step for central differences; default 1e-5 in float64, 1e-2 in float32. */
  delta?: number;
  /** Relative error above which a node is reported wrong; default 1e-4 in float64, 5e-2 in float32. */
  tolerance?: number;
}

function sumOf(t: Tensor): number {
  const v = t.dataSync();
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i];
  return s;
}

/** Σ a[i]·b[i]. */
function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * tf.test.checkTape: checks a recorded tape's gradient node by node — for every tensor on a path from the sources
 * to the target, the tape's d(sum target)/d(tensor) against central finite differences, re-running the recorded
 * ops — and names the op whose gradient is wrong (a faulty customGradient). The tape must be created with
 * `{persistent: true, checkable: true}`.
 * @throws Error when the tape keeps no forward log (not checkable) or is still recording.
 * @example
 * ```ts
 * const x = tf.constant([1, 2, 3]);
 * const tape = new tf.GradientTape({ persistent: true, checkable: true });
 * tape.watch(x);
 * const y = tape.record(() => x.square().sum());
 * tf.test.checkTape(tape, y, x).ok // → true
 * ```
 */
export function checkTape(tape: GradientTape, target: Tensor, sources: Tensor | readonly Tensor[], options: CheckTapeOptions = {}): TapeCheckReport {
  const log = tape.forwardLog;
  if (log === null) {
    throw new Error('checkTape: the tape keeps no forward log; create it with new tf.GradientTape({persistent: true, checkable: true}) so its ops can be re-run');
  }
  if (tape.isRecording) throw new Error('checkTape: call it after the tape has finished recording (outside record())');
  const sourceList = Array.isArray(sources) ? [...sources] as Tensor[] : [sources as Tensor];
  const logIndex = new Map<number, number>();
  log.nodes.forEach((n, i) => logIndex.set(n.output.id, i));
  if (!logIndex.has(target.id)) throw new Error('checkTape: the target was not computed while the tape recorded');

  // the tape's gradient with respect to every tensor on a path (no tape records this check)
  const grads = withoutRecording(() =>
    backprop(tape.nodes, new Map([[target.id, onesLike(target)]]), new Set(sourceList.map((s) => s.id)), true, tape.id, add).grads);

  const float64 = target.dtype === 'float64';
  const delta = options.delta ?? (float64 ? 1e-5 : 1e-2);
  const tolerance = options.tolerance ?? (float64 ? 1e-4 : 5e-2);
  const rng = makeRng(1234);
  /**
   * Where a source's reruns start: the first logged op that lists it as an input (the ops before cannot depend
   * on it), or the first CustomGradient before that (its forward returns the value its function computed, which
   * may be a captured tensor that is not among its inputs).
   */
  const sourceStart = (t: Tensor): number => {
    const i = log.nodes.findIndex((n) => n.op === 'CustomGradient' || n.inputs.includes(t));
    return i < 0 ? log.nodes.length : i;
  };
  /** Where the reruns after perturbing `t` start: after the op that produced it, or sourceStart for a source. */
  const startOf = (t: Tensor): number => { const i = logIndex.get(t.id); return i === undefined ? sourceStart(t) : i + 1; };

  const candidates: { tensor: Tensor; op: string; start: number; source?: SourceLocation }[] = [];
  for (const s of sourceList) {
    // ops captured the tensor object they read (a variable's snapshot), so that is the one to perturb
    const read = log.nodes.flatMap((n) => n.inputs).find((t) => t.id === s.id);
    if (read !== undefined) candidates.push({ tensor: read, op: 'source', start: sourceStart(read) });
  }
  for (const node of tape.nodes) {
    const at = logIndex.get(node.output.id);
    if (at !== undefined) candidates.push({ tensor: node.output, op: node.op, start: at + 1, source: node.source });
  }

  const onTape = new Set(tape.nodes.map((n) => n.output.id));
  /**
   * Perturbs `tensor` along a fresh random direction d and returns the tape's derivative along it, <gradient, d>
   * (NaN for a gradient of the wrong size), with the central difference of `evaluate`. Afterwards the storage of
   * the tensor and of every logged output from `start` on is put back (ops never mutate storage, so holding the
   * arrays restores the exact values without a third rerun).
   */
  const centralDifference = (tensor: Tensor, gradient: TypedArray | null, start: number, evaluate: () => number) => {
    const original = tensor.dataSync();
    const { plus, minus, analytic } = perturb(original, gradient, delta, rng);
    const saved: TypedArray[] = [];
    for (let i = start; i < log.nodes.length; i++) saved.push(log.nodes[i].output.dataSync());
    try {
      replaceStorage(tensor, plus, 'checkTape');
      const up = evaluate();
      replaceStorage(tensor, minus, 'checkTape');
      const down = evaluate();
      return { analytic, numeric: (up - down) / (2 * delta) };
    } finally {
      replaceStorage(tensor, original, 'checkTape');
      for (let i = start; i < log.nodes.length; i++) replaceStorage(log.nodes[i].output, saved[i - start], 'checkTape');
    }
  };
  /**
   * Recomputes `node` from its inputs alone: the logged ops up to it, except the tape's other nodes (whose
   * outputs are held fixed). Ops the tape did not record, such as those inside a customGradient, are re-run.
   */
  const rerunLocally = (start: number, node: TapeNode): void => {
    const end = logIndex.get(node.output.id)!;
    for (let i = start; i <= end; i++) {
      const logged = log.nodes[i];
      if (i !== end && onTape.has(logged.output.id)) continue;
      const fresh = logged.forward();
      if (fresh !== logged.output) replaceStorage(logged.output, fresh.dataSync(), logged.op);
    }
  };

  /** <dy, d out> by central differences along a random direction of input j, against <VJP_j(dy), direction>. */
  const localVjpAgrees = (node: TapeNode, j: number, dy: Tensor): boolean => {
    const input = node.inputs[j];
    const vjp = withoutRecording(() => node.grad(dy, node.inputs.map((_, i) => i === j), node.inputs, node.output, node.attrs)[j]);
    const dyv = dy.dataSync();
    const start = startOf(input);
    const { analytic, numeric } = centralDifference(input, vjp ? vjp.dataSync() : null, start, () => {
      rerunLocally(start, node);
      return dot(node.output.dataSync(), dyv);
    });
    return Math.abs(analytic - numeric) / Math.max(1e-6, Math.abs(analytic), Math.abs(numeric)) <= tolerance;
  };

  const results: NodeGradientCheck[] = [];
  for (const c of candidates) {
    const g = grads.get(c.tensor.id);
    if (g === undefined) continue;
    const { analytic, numeric } = centralDifference(c.tensor, g.dataSync(), c.start, () => {
      log.rerunFrom(c.start);
      return sumOf(target);
    });
    const relativeError = Math.abs(analytic - numeric) / Math.max(1e-6, Math.abs(analytic), Math.abs(numeric));
    results.push({
      op: c.op, tensorId: c.tensor.id, shape: c.tensor.shape.slice(), analytic, numeric, relativeError,
      ok: relativeError <= tolerance, ...(c.source ? { source: c.source } : {}),
    });
  }

  // A wrong tensor gets its gradient from all its consumers; the culprit is a consumer whose own output checks
  // out but whose vector-Jacobian product, checked locally by perturbing the input, does not.
  const wrong = new Set(results.filter((r) => !r.ok).map((r) => r.tensorId));
  let suspect: TapeCheckReport['suspect'] = null;
  for (const node of tape.nodes) {
    if (wrong.has(node.output.id)) continue;
    const dy = grads.get(node.output.id);
    if (dy === undefined) continue;
    const bad = node.inputs.some((input, j) => wrong.has(input.id) && !localVjpAgrees(node, j, dy));
    if (bad) suspect = { op: node.op, tensorId: node.output.id, ...(node.source ? { source: node.source } : {}) };
  }
  return { nodes: results, suspect, ok: wrong.size === 0 };
}

/**
 * original ± delta·d in fresh arrays of original's type, along a direction d of random signs ±1/2 drawn from
 * `rng` (32 entries per draw), and <gradient, d> (0 without a gradient), in one pass that never stores d. Every
 * entry moves by exactly delta/2, so an error in any one entry of a gradient shows in full (a uniform direction
 * can nearly zero it); half, so d is no longer than a uniform direction on [-1, 1) and the central difference's
 * truncation error no larger.
 */
function perturb(original: TypedArray, gradient: TypedArray | null, delta: number, rng: () => number):
  { plus: TypedArray; minus: TypedArray; analytic: number } {
  const n = original.length;
  const make = original.constructor as new (length: number) => TypedArray;
  const plus = new make(n);
  const minus = new make(n);
  const g = gradient ?? new Float64Array(n);
  let analytic = g.length === n ? 0 : NaN;
  for (let i = 0; i < n; i += 32) {
    let bits = (rng() * 4294967296) >>> 0;
    const end = Math.min(n, i + 32);
    for (let j = i; j < end; j++, bits >>>= 1) {
      const d = (bits & 1) - 0.5;
      const step = delta * d;
      plus[j] = original[j] + step;
      minus[j] = original[j] - step;
      analytic += g[j] * d;
    }
  }
  return { plus, minus, analytic };
}
