// tf.debugging.enable/disableGradientExplanations: whether every op keeps the lineage explainGradient reads.
import { recording } from './recording_state';

/**
 * tf.debugging.enableGradientExplanations: every op keeps how its output was made, so tape.explainGradient can
 * say where a path broke (computed before recording, through stopGradient, a Variable replaced by a Tensor).
 * Costs an allocation per op; always on while the kernel captures traces for the inspector.
 * @example
 * ```ts
 * tf.debugging.enableGradientExplanations();
 * const v = new tf.Variable(1.0);
 * const tape = new tf.GradientTape();
 * const y = tape.record(() => tf.stopGradient(v).mul(2));
 * tape.explainGradient(y, v).reason // → stop-gradient
 * ```
 */
export function enableGradientExplanations(): void {
  recording.lineage = true;
}

/**
 * tf.debugging.disableGradientExplanations: ops stop keeping their lineage; explainGradient still answers, with
 * less detail about where a path broke.
 * @example
 * ```ts
 * tf.debugging.disableGradientExplanations();
 * ```
 */
export function disableGradientExplanations(): void {
  recording.lineage = false;
}
