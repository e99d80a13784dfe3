// Telemetry the real engine measures while it trains, for the Gradients view's tests and bench.
import { tf, runtime, Tensor } from '../../engine';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';

/** Steps of a 10-layer sigmoid MLP whose saturated sigmoids (bias +5) make its first layers' gradients vanish. */
export function vanishingRunTelemetry(steps = 40): StepTelemetry[] {
  const records: StepTelemetry[] = [];
  runtime.setTelemetrySink((s) => records.push(s));
  runtime.configureTelemetry({ detailEvery: 1, distributionEvery: 4 });
  try {
    tf.random.setSeed(11);
    const saturating = (shape: readonly number[]): Tensor => tf.fill(shape as number[], 5);
    const hidden = Array.from({ length: 9 }, () => tf.keras.layers.Dense(16, { activation: 'sigmoid', biasInitializer: saturating }));
    const model = tf.keras.Sequential([tf.keras.Input({ shape: [8] }), ...hidden, tf.keras.layers.Dense(1)]);
    model.compile({ optimizer: tf.keras.optimizers.Adam(0.01), loss: 'mse' });
    model.fit(tf.random.normal([64, 8]), tf.random.normal([64, 1]), { epochs: steps / 2, batchSize: 32, verbose: 0 });
  } finally {
    runtime.setTelemetrySink(null);
    runtime.configureTelemetry({ detailEvery: 'auto', distributionEvery: 'auto' });
  }
  return records;
}

/** `steps` synthetic steps of `variables` variables (for the redraw bench): decaying norms, one NaN late on. */
export function syntheticTelemetry(steps: number, variables: number): StepTelemetry[] {
  const out: StepTelemetry[] = [];
  for (let step = 1; step <= steps; step++) {
    out.push({
      optimizer: 'Adam', step, wallTime: 1_700_000_000_000 + step, learningRate: 1e-3, effectiveStepSize: 1e-3,
      variables: Array.from({ length: variables }, (_, v) => {
        const gradNorm = step === Math.floor(steps * 0.9) && v === 0 ? NaN : Math.exp(-v * 2 - step / steps) * (1 + 0.3 * Math.sin(step / 5 + v));
        const name = `dense_${Math.floor(v / 2) + 1}/${v % 2 === 0 ? 'kernel' : 'bias'}`;
        return {
          variable: name, layer: name.split('/')[0], size: 1000, gradNorm, zeroFraction: 0, nanCount: Number.isNaN(gradNorm) ? 1 : 0, infCount: 0,
          weightNorm: 10, updateNorm: 1e-2 * gradNorm, updateRatio: 1e-3 * gradNorm, slots: { m: gradNorm / 10, v: gradNorm / 100 },
          ...(Number.isNaN(gradNorm) ? { flag: 'nan' as const } : {}),
          ...(step % 64 === 0 ? { gradPercentiles: [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3].map((p) => p * gradNorm), weightPercentiles: [-3, -2, -1, -0.5, 0, 0.5, 1, 2, 3] } : {}),
        };
      }),
    });
  }
  return out;
}
