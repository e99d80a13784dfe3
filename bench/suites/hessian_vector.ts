// Second order: the Hessian-vector product of f(x) = sum(tanh(W x)), W 1000×1000, by differentiating the
// gradient's dot product with v on an outer tape (nested tapes). Tapescope vs PyTorch (double backward, one
// thread) and TF.js CPU, which fails here: tanh has no second derivative there (the error is quoted in the note).
import type { BenchRow } from '../bench_row';
import { tf } from '../../engine';
import type { Tensor } from '../../engine';
import { medianMsPerCall } from '../measure';
import { PYTORCH_MISSING_NOTE, pytorchVersion, runPytorchScript } from '../peers/pytorch';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { TFJS_PEER_NAME, useTfjsBackend } from '../peers/tfjs';

const N = 1000;
const PYTORCH = 'PyTorch 1 thread';

/** H·v for f(x) = sum(tanh(W x)) at x, with two nested GradientTapes. */
export function hessianVectorProduct(w: Tensor, x: Tensor, v: Tensor): Tensor {
  const outer = new tf.GradientTape();
  const product = outer.record(() => {
    outer.watch(x);
    const inner = new tf.GradientTape();
    const f = inner.record(() => {
      inner.watch(x);
      return tf.reduceSum(tf.tanh(tf.matmul(w, x)));
    });
    const g = inner.gradient(f, x) as Tensor;
    return tf.reduceSum(tf.mul(g, v));
  });
  return outer.gradient(product, x) as Tensor;
}

const PYTORCH_SCRIPT = `
import time, statistics
n = 1000
W = torch.randn(n, n) / n ** 0.5
x = torch.randn(n, 1, requires_grad=True)
v = torch.randn(n, 1)
def hvp():
    f = torch.tanh(W @ x).sum()
    g, = torch.autograd.grad(f, x, create_graph=True)
    h, = torch.autograd.grad((g * v).sum(), x)
    return h
for _ in range(20): hvp()
samples = []
for _ in range(21):
    start = time.perf_counter()
    for _ in range(5): hvp()
    samples.append((time.perf_counter() - start) / 5 * 1000)
print(json.dumps(statistics.median(samples)))
`;

/** Tries the same HVP in TF.js (CPU); returns its ms or the error it raises. */
async function tfjsAttempt(): Promise<{ ms: number | null; error: string }> {
  const tfjs = await useTfjsBackend('cpu');
  const w = tfjs.randomNormal([N, N], 0, 1 / Math.sqrt(N));
  const x = tfjs.randomNormal([N, 1]);
  const v = tfjs.randomNormal([N, 1]);
  const gradOf = (xx: ReturnType<typeof tfjs.randomNormal>) => tfjs.grad((z: typeof xx) => tfjs.sum(tfjs.tanh(tfjs.matMul(w, z))))(xx);
  const hvp = tfjs.grad((xx: ReturnType<typeof tfjs.randomNormal>) => tfjs.sum(tfjs.mul(gradOf(xx), v)));
  try {
    hvp(x).dataSync();
    return { ms: medianMsPerCall(() => { hvp(x).dataSync(); }, { warmupCalls: 2, samples: 5 }), error: '' };
  } catch (e) {
    return { ms: null, error: (e as Error).message.split('\n')[0] };
  } finally {
    tfjs.dispose([w, x, v]);
  }
}

export default async function run(): Promise<BenchRow[]> {
  const w = tf.random.normal([N, N], { stddev: 1 / Math.sqrt(N), seed: 1 });
  const x = tf.random.normal([N, 1], { seed: 2 });
  const v = tf.random.normal([N, 1], { seed: 3 });
  const ours = medianMsPerCall(() => { hessianVectorProduct(w, x, v).dataSync(); }, { warmupCalls: 10, samples: 21 });
  const torch = pytorchVersion() === null ? null : runPytorchScript<number>(PYTORCH_SCRIPT, null);
  const tfjs = await tfjsAttempt();
  return [{
    suite: 'hessian-vector',
    case: 'HVP of sum(tanh(W x)), W 1000×1000, nested tapes',
    unit: 'ms',
    tapescope: ours,
    peers: { [TFJS_PEER_NAME.cpu]: tfjs.ms, [PYTORCH]: torch },
    higherIsBetter: false,
    note: [tfjs.ms === null ? `TF.js cannot take tanh's second derivative: "${tfjs.error}"` : '',
      torch === null ? PYTORCH_MISSING_NOTE : ''].filter(Boolean).join('; '),
  }];
}
