// tf.autodiff.ForwardAccumulator: Jacobian-vector products (forward mode).
// Computed with the double-VJP trick rather than per-op JVP rules: the VJP v ↦ Jᵀv is linear in v and every
// gradient in this engine is written with ops, so differentiating <Jᵀu, t> with respect to u gives J·t exactly,
// for every op (customGradient included) with no second rule per op to keep in step. The cost is about two
// extra backward passes per jvp() call; nested inside or around tapes it gives Hessian-vector products.
import { Tensor } from '../tensor/tensor';
import { readValue } from '../tensor/variable';
import type { TensorLike } from '../tensor/convert';
import { formatShape, shapesEqual } from '../shape/shape';
import { GradientTape } from '../autodiff/gradient_tape';
import { zerosLike } from '../ops/creation';
import { add, mul } from '../ops/arithmetic';
import { reduceSum } from '../ops/reduction';
import { toTensor } from '../ops/op_inputs';
import { markInternalTape } from '../trace/internal_tapes';

function primalList(v: Tensor | readonly Tensor[]): Tensor[] {
  return Array.isArray(v) ? [...v] : [v as Tensor];
}

/** Accumulators recording now, outermost first. */
const recordingAccumulators: ForwardAccumulator[] = [];

/**
 * tf.autodiff.ForwardAccumulator: forward-mode autodiff — Jacobian-vector products J·tangent of what `record`
 * computes from the primals, as TF's `with tf.autodiff.ForwardAccumulator(primals, tangents) as acc:`. Nested
 * with a GradientTape it gives Hessian-vector products.
 * @example
 * ```ts
 * const x = tf.constant([1, 2, 3]);
 * const acc = new tf.autodiff.ForwardAccumulator(x, tf.constant([1, 0, 0]));
 * const y = acc.record(() => x.square().sum());
 * acc.jvp(y) // → 2
 * ```
 */
export class ForwardAccumulator {
  private readonly primals: Tensor[];
  private readonly tangents: Tensor[];
  /** Records the computation from the primals; persistent, since every jvp() walks it again. */
  private readonly tape = new GradientTape({ persistent: true });
  /** Accumulators that were recording when this one first recorded (nesting, outermost first). */
  private enclosing: ForwardAccumulator[] | null = null;

  /**
   * Starts accumulating from `primals` along `tangents` (one tangent per primal, each of its primal's shape).
   * @throws Error when the counts or shapes of primals and tangents differ.
   */
  constructor(primals: Tensor | readonly Tensor[], tangents: TensorLike | readonly TensorLike[]) {
    markInternalTape(this.tape, 'forward-accumulator');
    this.primals = primalList(primals);
    // one primal takes its tangent as it is (a nested array is a value); several take a list
    const isList = Array.isArray(tangents) && (this.primals.length > 1 || tangents.every((t) => t instanceof Tensor));
    const ts: TensorLike[] = isList ? [...tangents] as TensorLike[] : [tangents as TensorLike];
    if (ts.length !== this.primals.length) throw new Error(`ForwardAccumulator: ${this.primals.length} primals but ${ts.length} tangents`);
    this.primals.forEach((p, i) => {
      if (!(p instanceof Tensor)) throw new Error(`ForwardAccumulator: primal #${i} must be a tf.Tensor or tf.Variable`);
    });
    this.tangents = ts.map((t, i) => {
      const p = this.primals[i];
      const tangent = toTensor('ForwardAccumulator', t, p.dtype);
      if (!shapesEqual(tangent.shape, p.shape)) {
        throw new Error(`ForwardAccumulator: tangent #${i} has shape ${formatShape(tangent.shape)} but its primal has shape ${formatShape(p.shape)}`);
      }
      return tangent;
    });
  }

  /** Runs `fn`, accumulating how its results depend on the primals (TF's `with acc:`). */
  record<T>(fn: () => T): T {
    if (this.enclosing === null) this.enclosing = recordingAccumulators.filter((a) => a !== this);
    recordingAccumulators.push(this);
    try {
      return this.tape.record(() => {
        this.tape.watch(this.primals);
        return fn();
      });
    } finally {
      recordingAccumulators.splice(recordingAccumulators.lastIndexOf(this), 1);
    }
  }

  /** J·tangent for a tensor computed inside record(); null when it does not depend on the primals. */
  jvp(target: Tensor, options: {
    /** 'none' (default) gives null when target does not depend on the primals; 'zero' gives zeros. */
    unconnectedGradients?: 'none' | 'zero';
  } = {}): Tensor | null {
    if (!(target instanceof Tensor)) throw new Error('ForwardAccumulator.jvp: target must be a tf.Tensor');
    // TF computes tangents as the ops run, so accumulators around this one see them even when jvp() is read
    // after their block: the JVP is computed here, under every enclosing accumulator not recording now
    const resume = (this.enclosing ?? []).filter((a) => !a.tape.isRecording);
    return resume.reduceRight<() => Tensor | null>((inner, acc) => () => acc.record(inner), () => this.computeJvp(target, options))();
  }

  private computeJvp(target: Tensor, options: { unconnectedGradients?: 'none' | 'zero' }): Tensor | null {
    const value = readValue(target);
    const u = zerosLike(value);
    const dual = new GradientTape();
    markInternalTape(dual, 'forward-accumulator');
    const inner = dual.record(() => {
      dual.watch(u);
      const vjps = this.tape.gradient(target, this.primals, { outputGradients: u });
      let total: Tensor | null = null;
      vjps.forEach((g, i) => {
        if (g === null) return;
        const term = reduceSum(mul(g, this.tangents[i]));
        total = total === null ? term : add(total, term);
      });
      return total as Tensor | null;
    });
    if (inner === null) return options.unconnectedGradients === 'zero' ? zerosLike(value) : null;
    return dual.gradient(inner, u) ?? zerosLike(value);
  }
}
