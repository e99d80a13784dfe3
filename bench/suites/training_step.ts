// The seed 002 training step — Dense 784→128 relu → Dense 10 softmax, categorical cross-entropy, Adam,
// batch 128 — in ms/step (median), Tapescope's GradientTape loop vs TF.js (WASM and CPU backends, the same
// model with tf.variableGrads-style optimizer.minimize) and PyTorch (one thread) when `import torch` works.
import type { BenchRow } from '../bench_row';
// tfjs-core's slim entry registers no gradients by itself
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf } from '../../engine';
import type { Tensor } from '../../engine';
import { medianMsPerCall } from '../measure';
import { matmul } from '../../engine/kernels/matmul/matmul';
import { PYTORCH_MISSING_NOTE, pytorchVersion, runPytorchScript } from '../peers/pytorch';
import { TFJS_PEER_NAME, useTfjsBackend, type TfjsBackend } from '../peers/tfjs';

const BATCH = 128;
const PYTORCH = 'PyTorch 1 thread';

function randomBatch(): { images: Float32Array; labels: Float32Array } {
  const images = new Float32Array(BATCH * 784);
  for (let i = 0; i < images.length; i++) images[i] = Math.random();
  const labels = new Float32Array(BATCH * 10);
  for (let r = 0; r < BATCH; r++) labels[r * 10 + Math.floor(Math.random() * 10)] = 1;
  return { images, labels };
}

/** One step exactly as a user writes it (seed 002), returning a function that runs it. */
export function tapescopeStep(images: Tensor, labels: Tensor): () => void {
  const input = tf.keras.Input({ shape: [784] });
  const hidden = tf.keras.layers.Dense(128, { activation: 'relu' })(input);
  const out = tf.keras.layers.Dense(10, { activation: 'softmax' })(hidden);
  const model = tf.keras.Model({ inputs: input, outputs: out });
  const optimizer = tf.keras.optimizers.Adam();
  const variables = model.trainableVariables;
  return () => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images))));
    optimizer.applyGradients(tape.gradient(loss, variables), variables);
    loss.item();
  };
}

async function tfjsMsPerStep(backend: TfjsBackend, batch: { images: Float32Array; labels: Float32Array }): Promise<number> {
  const tfjs = await useTfjsBackend(backend);
  const limit1 = Math.sqrt(6 / (784 + 128));
  const limit2 = Math.sqrt(6 / (128 + 10));
  const w1 = tfjs.variable(tfjs.randomUniform([784, 128], -limit1, limit1));
  const b1 = tfjs.variable(tfjs.zeros([128]));
  const w2 = tfjs.variable(tfjs.randomUniform([128, 10], -limit2, limit2));
  const b2 = tfjs.variable(tfjs.zeros([10]));
  const x = tfjs.tensor2d(batch.images, [BATCH, 784]);
  const y = tfjs.tensor2d(batch.labels, [BATCH, 10]);
  const optimizer = tfjs.train.adam(0.001, 0.9, 0.999, 1e-7);
  const ms = medianMsPerCall(() => {
    const loss = optimizer.minimize(() => {
      const hidden = tfjs.relu(tfjs.add(tfjs.matMul(x, w1), b1));
      const logits = tfjs.add(tfjs.matMul(hidden, w2), b2);
      // TF.js's fused, stable softmax cross-entropy: its fastest equivalent of the seed's loss
      return tfjs.losses.softmaxCrossEntropy(y, logits) as ReturnType<typeof tfjs.scalar>;
    }, true, [w1, b1, w2, b2]);
    loss?.dataSync();
    loss?.dispose();
  }, { warmupCalls: backend === 'cpu' ? 3 : 10, samples: backend === 'cpu' ? 7 : 21, minSampleMs: 1 });
  for (const t of [w1, b1, w2, b2, x, y]) t.dispose();
  optimizer.dispose();
  return ms;
}

const PYTORCH_SCRIPT = `
import time, statistics
nn = torch.nn
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
x = torch.rand(128, 784)
y = torch.nn.functional.one_hot(torch.randint(0, 10, (128,)), 10).float()
def step():
    opt.zero_grad()
    logp = torch.log_softmax(model(x), dim=1)
    loss = -(y * logp).sum(dim=1).mean()
    loss.backward()
    opt.step()
    loss.item()
for _ in range(50): step()
samples = []
for _ in range(31):
    start = time.perf_counter()
    for _ in range(10): step()
    samples.append((time.perf_counter() - start) / 10 * 1000)
print(json.dumps(statistics.median(samples)))
`;

/** The step's five products (dX of the first layer is skipped: no source needs it), as the backward pass runs them. */
const STEP_MATMULS: [m: number, k: number, n: number, transposeA: boolean, transposeB: boolean][] = [
  [BATCH, 784, 128, false, false], // X@W1
  [BATCH, 128, 10, false, false], // H@W2
  [BATCH, 10, 128, false, true], // dH = dY@W2ᵀ
  [128, BATCH, 10, true, false], // dW2 = Hᵀ@dY
  [784, BATCH, 128, true, false], // dW1 = Xᵀ@dZ
];

/** Milliseconds one Adam update of the model's 101,770 weights takes alone (applyGradients with fixed gradients). */
function adamAloneMs(): number {
  const input = tf.keras.Input({ shape: [784] });
  const out = tf.keras.layers.Dense(10)(tf.keras.layers.Dense(128, { activation: 'relu' })(input));
  const variables = tf.keras.Model({ inputs: input, outputs: out }).trainableVariables;
  const grads = variables.map((v) => tf.constant(new Float32Array(v.size).map(() => (Math.random() - 0.5) * 1e-2), 'float32', [...v.shape]));
  const optimizer = tf.keras.optimizers.Adam();
  return medianMsPerCall(() => optimizer.applyGradients(grads, variables), { warmupCalls: 30, samples: 31 });
}

/** Milliseconds the step's matmuls alone take through the same kernel, and the GFLOP/s that is. */
function stepMatmulsAlone(): { ms: number; gflops: number } {
  let ms = 0;
  let flops = 0;
  for (const [m, k, n, tA, tB] of STEP_MATMULS) {
    const a = new Float32Array(m * k).map(() => Math.random() - 0.5);
    const b = new Float32Array(k * n).map(() => Math.random() - 0.5);
    const out = new Float32Array(m * n);
    ms += medianMsPerCall(() => matmul(a, b, out, m, k, n, tA, tB), { warmupCalls: 30, samples: 31 });
    flops += 2 * m * k * n;
  }
  return { ms, gflops: flops / (ms * 1e6) };
}

export default async function run(): Promise<BenchRow[]> {
  const batch = randomBatch();
  const ours = medianMsPerCall(tapescopeStep(tf.constant(batch.images, 'float32', [BATCH, 784]), tf.constant(batch.labels, 'float32', [BATCH, 10])),
    { warmupCalls: 30, samples: 51, minSampleMs: 1 }); // sampled as the matmuls below are (a step is ~2 ms)
  const alone = stepMatmulsAlone();
  const adam = adamAloneMs();
  const torch = pytorchVersion() === null ? null : runPytorchScript<number>(PYTORCH_SCRIPT, null);
  const peers = {
    [TFJS_PEER_NAME.wasm]: await tfjsMsPerStep('wasm', batch),
    [TFJS_PEER_NAME.cpu]: await tfjsMsPerStep('cpu', batch),
    [PYTORCH]: torch,
  };
  return [{
    suite: 'training step',
    case: 'seed 002: Dense 784→128 relu → 10 softmax, CCE, Adam, batch 128',
    unit: 'ms/step',
    tapescope: ours,
    peers,
    higherIsBetter: false,
    note: ['forward + backward + Adam update on a fixed batch; TF.js uses optimizer.minimize with its fused softmaxCrossEntropy',
      torch === null ? PYTORCH_MISSING_NOTE : ''].filter(Boolean).join('; '),
  }, {
    suite: 'training step',
    case: 'seed 002 step against its five matmuls alone (same kernel, same run)',
    unit: 'ms/step',
    tapescope: ours,
    peers: { 'its matmuls alone': alone.ms },
    higherIsBetter: false,
    note: `step / matmuls = ${(ours / alone.ms).toFixed(2)} (target ≤ 1.5); the matmuls ran at ${alone.gflops.toFixed(1)} GFLOP/s; ` +
      `everything else (bias + activation, softmax cross-entropy, Adam, the tape) is the difference, ${(ours - alone.ms).toFixed(2)} ms, ` +
      `of which the Adam update alone takes ${adam.toFixed(3)} ms`,
  }];
}
