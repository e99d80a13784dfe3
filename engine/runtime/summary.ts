// tf.summary.scalar(name, value, step?): points for the inspector's live training curves.
import { Tensor } from '../tensor/tensor';
import { hooks } from './hooks';

const nextStep = new Map<string, number>();

/**
 * tf.summary.scalar: logs one point of the curve `name` to the inspector's training chart (TF writes it to
 * TensorBoard). `step` defaults to the next step of that curve, from 0 in each cell run.
 * @throws Error when name is empty or value is not a number or one-element tensor.
 * @example
 * ```ts
 * for (let step = 0; step < 3; step++) tf.summary.scalar('loss', 1 / (step + 1));
 * ```
 */
export function scalar(name: string, value: number | Tensor, step?: number): void {
  if (typeof name !== 'string' || name === '') throw new Error('summary.scalar: name must be a non-empty string');
  const v = value instanceof Tensor ? value.dataSync()[0] : value;
  if (typeof v !== 'number') throw new Error(`summary.scalar: value must be a number or a scalar tensor, got ${typeof value}`);
  if (value instanceof Tensor && value.size !== 1) throw new Error(`summary.scalar: '${name}' needs a scalar, got a tensor of ${value.size} elements`);
  const s = step ?? nextStep.get(name) ?? 0;
  nextStep.set(name, s + 1);
  hooks.metricSink?.({ name, step: s, value: v, wallTime: Date.now() });
}

/** Forgets automatic step counters (a new cell run starts its curves at step 0). */
export function resetSteps(): void {
  nextStep.clear();
}
