// TensorFlow.js (CPU backend) as an independent reference: the same function of the same values, in float32,
// must give the same value and gradients as ours.
import assert from 'node:assert/strict';
import * as tfjs from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
// tfjs-core's slim entry needs its chained methods and gradients registered
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf, Tensor } from '../../../engine';

export { tfjs };

export async function useTfjsCpu(): Promise<void> {
  await tfjs.setBackend('cpu');
}

export function assertCloseToTfjs(ours: Tensor, theirs: tfjs.Tensor, what: string, tol = 1e-4): void {
  assert.deepEqual(ours.shape, theirs.shape, `${what}: shape`);
  const a = ours.dataSync();
  const b = theirs.dataSync();
  for (let i = 0; i < a.length; i++) {
    const ok = Math.abs(Number(a[i]) - Number(b[i])) <= tol * Math.max(1, Math.abs(Number(b[i]))) || (Number.isNaN(Number(a[i])) && Number.isNaN(Number(b[i])));
    assert.ok(ok, `${what}[${i}]: ours ${a[i]} vs tfjs ${b[i]}`);
  }
}

/** Value and (when `gradients`) the gradient of the sum with respect to every input, ours against TF.js's. */
export function assertAgreesWithTfjs(name: string, inputs: Tensor[], ours: (...x: Tensor[]) => Tensor, theirs: (...x: tfjs.Tensor[]) => tfjs.Tensor, gradients = true): void {
  const mine = inputs.map((x) => tf.cast(x, 'float32'));
  const their = inputs.map((x) => tfjs.tensor(Array.from(x.dataSync()), x.shape, 'float32'));
  assertCloseToTfjs(ours(...mine), theirs(...their), `${name} vs tfjs: value`);
  if (!gradients) return;
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(mine); return ours(...mine); });
  const grads = tape.gradient(y, mine);
  const theirGrads = tfjs.grads((...xs: tfjs.Tensor[]) => theirs(...xs))(their);
  grads.forEach((g, i) => assertCloseToTfjs(g ?? tf.zerosLike(mine[i]), theirGrads[i], `${name} vs tfjs: gradient ${i}`, 1e-3));
}
