// CPU time of one CNN training step with a BatchNormalization layer after the first Conv2D (batch 64, Adam),
// through the layer's fused op against the composite path it took before (tf.nn.moments + tf.nn.batchNormalization
// with the same γ and β), and without the layer. CPU time (process.cpuUsage), median of the steps, one process:
// `node --import tsx bench/batch_norm_probe.ts [steps]`.
import { loadavg } from 'node:os';
import { tf, type Tensor } from '../engine';

const BATCH = 64;
const steps = Number(process.argv[2] ?? 15);
const images = tf.random.uniform([BATCH, 28, 28, 1]);
const labels = tf.oneHot(tf.cast(tf.floor(tf.random.uniform([BATCH], { maxval: 10 })), 'int32'), 10);

type Variant = 'fused' | 'composite' | 'none';

function stepOf(variant: Variant): () => void {
  const conv = tf.keras.Sequential([tf.keras.Input({ shape: [28, 28, 1] }), tf.keras.layers.Conv2D(32, 3, { activation: 'relu' })]);
  const bn = tf.keras.layers.BatchNormalization();
  const rest = tf.keras.Sequential([
    tf.keras.Input({ shape: [26, 26, 32] }), tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Conv2D(64, 3, { activation: 'relu' }), tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Flatten(), tf.keras.layers.Dense(10),
  ]);
  bn.apply(conv(images) as Tensor, { training: false });
  const normalize = (h: Tensor): Tensor => {
    if (variant === 'none') return h;
    if (variant === 'fused') return bn.apply(h, { training: true }) as Tensor;
    const { mean, variance } = tf.nn.moments(h, [0, 1, 2]);
    return tf.nn.batchNormalization(h, mean, variance, bn.beta, bn.gamma, bn.epsilon);
  };
  const optimizer = tf.keras.optimizers.Adam();
  const variables = [...conv.trainableVariables, ...(variant === 'none' ? [] : [bn.gamma!, bn.beta!]), ...rest.trainableVariables];
  return () => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, rest(normalize(conv(images, { training: true }) as Tensor), { training: true }) as Tensor, { fromLogits: true })));
    optimizer.applyGradients(tape.gradient(loss, variables), variables);
    loss.item();
  };
}

function medianCpuMs(step: () => void): number {
  step();
  const times: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = process.cpuUsage();
    step();
    const t = process.cpuUsage(t0);
    times.push((t.user + t.system) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

const results = (['none', 'fused', 'composite'] as const).map((v) => [v, medianCpuMs(stepOf(v))] as const);
const load = loadavg()[0].toFixed(1);
for (const [v, ms] of results) console.log(`${v.padEnd(10)} ${ms.toFixed(1)} ms CPU/step`);
console.log(`load average ${load}`);
