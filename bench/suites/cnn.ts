// The tutorial CNN — Conv2D 32 3×3 relu → MaxPool 2 → Conv2D 64 3×3 relu → MaxPool 2 → Flatten → Dense 10,
// softmax cross-entropy from logits, Adam, batch 64 — in ms/step (median), Tapescope's GradientTape loop vs
// TF.js WASM (optimizer.minimize) and PyTorch (one thread); then conv2d forward, input gradient and filter
// gradient throughput (GFLOP/s) on that network's layer shapes, our kernels vs the same kernels of both peers.
import type { BenchRow } from '../bench_row';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { tf } from '../../engine';
import type { Tensor } from '../../engine';
import { windowGeometry } from '../../engine/shape/conv_shape';
import { conv2dBackpropFilterKernel, conv2dBackpropInputKernel, conv2dKernel } from '../../engine/kernels/conv/conv2d';
import { convKernelsF32, fusedMultiplyAdd } from '../../engine/kernels/conv/conv_wasm';
import { medianMsPerCall } from '../measure';
import { PYTORCH_MISSING_NOTE, pytorchVersion, runPytorchScript } from '../peers/pytorch';
import { TFJS_PEER_NAME, useTfjsBackend } from '../peers/tfjs';

const BATCH = 64;
const OUR_KERNELS = convKernelsF32 === null
  ? 'im2col through the matmul kernel (no WASM SIMD here)'
  : `WASM SIMD conv kernels, patches packed into the micro-kernel's panels, one thread${fusedMultiplyAdd() ? ', fused multiply-add' : ', no fused multiply-add (relaxed SIMD off in this runtime)'}`;
const PYTORCH = 'PyTorch 1 thread';

function random(length: number): Float32Array {
  const a = new Float32Array(length);
  for (let i = 0; i < length; i++) a[i] = Math.random() - 0.5;
  return a;
}

function randomBatch(): { images: Float32Array; labels: Float32Array } {
  const images = new Float32Array(BATCH * 784);
  for (let i = 0; i < images.length; i++) images[i] = Math.random();
  const labels = new Float32Array(BATCH * 10);
  for (let r = 0; r < BATCH; r++) labels[r * 10 + Math.floor(Math.random() * 10)] = 1;
  return { images, labels };
}

/** One training step as the example writes it. */
function tapescopeStep(images: Tensor, labels: Tensor): () => void {
  const model = tf.keras.Sequential([
    tf.keras.Input({ shape: [28, 28, 1] }),
    tf.keras.layers.Conv2D(32, 3, { activation: 'relu' }), tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Conv2D(64, 3, { activation: 'relu' }), tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Flatten(), tf.keras.layers.Dense(10),
  ]);
  const optimizer = tf.keras.optimizers.Adam();
  const variables = model.trainableVariables;
  return () => {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images, { training: true }), { fromLogits: true })));
    optimizer.applyGradients(tape.gradient(loss, variables), variables);
    loss.item();
  };
}

async function tfjsWasmMsPerStep(batch: { images: Float32Array; labels: Float32Array }): Promise<number> {
  const tfjs = await useTfjsBackend('wasm');
  const glorot = (shape: number[], fanIn: number, fanOut: number) => tfjs.variable(tfjs.randomUniform(shape, -Math.sqrt(6 / (fanIn + fanOut)), Math.sqrt(6 / (fanIn + fanOut))));
  // TF.js WASM has no Conv2DBackpropFilter kernel (conv2d cannot be trained there), but it has Conv3D's: each
  // layer runs as a depth-1 conv3d, the same arithmetic through TF.js WASM's own kernels
  const k1 = glorot([1, 3, 3, 1, 32], 9, 288), b1 = tfjs.variable(tfjs.zeros([32]));
  const k2 = glorot([1, 3, 3, 32, 64], 288, 576), b2 = tfjs.variable(tfjs.zeros([64]));
  const conv = (h: ReturnType<typeof tfjs.tensor4d>, k: typeof k1) =>
    tfjs.reshape(tfjs.conv3d(tfjs.expandDims(h, 1) as never, k as never, 1, 'valid'), [BATCH, h.shape[1] - 2, h.shape[2] - 2, k.shape[4]!]) as typeof h;
  const w = glorot([1600, 10], 1600, 10), b = tfjs.variable(tfjs.zeros([10]));
  const x = tfjs.tensor4d(batch.images, [BATCH, 28, 28, 1]);
  const y = tfjs.tensor2d(batch.labels, [BATCH, 10]);
  const optimizer = tfjs.train.adam(0.001, 0.9, 0.999, 1e-7);
  const ms = medianMsPerCall(() => {
    const loss = optimizer.minimize(() => {
      const h1: typeof x = tfjs.maxPool(tfjs.relu(tfjs.add(conv(x, k1), b1)) as typeof x, 2, 2, 'valid');
      const h2: typeof x = tfjs.maxPool(tfjs.relu(tfjs.add(conv(h1, k2), b2)) as typeof x, 2, 2, 'valid');
      const logits = tfjs.add(tfjs.matMul(tfjs.reshape(h2, [BATCH, 1600]), w), b);
      return tfjs.losses.softmaxCrossEntropy(y, logits) as ReturnType<typeof tfjs.scalar>;
    }, true, [k1, b1, k2, b2, w, b]);
    loss?.dataSync();
    loss?.dispose();
  }, { warmupCalls: 5, samples: 11, minSampleMs: 1 });
  for (const t of [k1, b1, k2, b2, w, b, x, y]) t.dispose();
  optimizer.dispose();
  return ms;
}

const PYTORCH_STEP = `
import time, statistics
nn = torch.nn
model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(1600, 10))
opt = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
x = torch.rand(64, 1, 28, 28)
y = torch.randint(0, 10, (64,))
def step():
    opt.zero_grad()
    loss = torch.nn.functional.cross_entropy(model(x), y)
    loss.backward()
    opt.step()
    loss.item()
for _ in range(10): step()
samples = []
for _ in range(15):
    start = time.perf_counter()
    for _ in range(3): step()
    samples.append((time.perf_counter() - start) / 3 * 1000)
print(json.dumps(statistics.median(samples)))
`;

interface ConvCase {
  label: string;
  x: [number, number, number, number];
  filter: [number, number, number, number];
  pass: 'forward' | 'input gradient' | 'filter gradient';
}

const LAYER1 = { x: [BATCH, 28, 28, 1], filter: [3, 3, 1, 32] } as const;
const LAYER2 = { x: [BATCH, 13, 13, 32], filter: [3, 3, 32, 64] } as const;
const CASES: ConvCase[] = ([
  ['conv2d 1 forward [64,28,28,1]*[3,3,1,32]', LAYER1, 'forward'],
  ['conv2d 1 filter gradient', LAYER1, 'filter gradient'],
  ['conv2d 2 forward [64,13,13,32]*[3,3,32,64]', LAYER2, 'forward'],
  ['conv2d 2 input gradient', LAYER2, 'input gradient'],
  ['conv2d 2 filter gradient', LAYER2, 'filter gradient'],
] as const).map(([label, layer, pass]) => ({ label, pass, x: [...layer.x], filter: [...layer.filter] }));

/** Multiply-adds ×2 of a VALID stride-1 convolution (each of the three passes does the same work). */
function flops(c: ConvCase): number {
  const [n, h, w] = c.x;
  const [kh, kw, inC, outC] = c.filter;
  return 2 * n * (h - kh + 1) * (w - kw + 1) * outC * kh * kw * inC;
}

function ourGflops(c: ConvCase): number {
  const g = windowGeometry('bench', c.x, { filterHeight: c.filter[0], filterWidth: c.filter[1], strides: 1, padding: 'VALID' }, c.filter[3]);
  const x = random(c.x.reduce((a, b) => a * b));
  const f = random(c.filter.reduce((a, b) => a * b));
  const dy = random(g.batch * g.outHeight * g.outWidth * g.outChannels);
  const run = c.pass === 'forward' ? () => conv2dKernel(x, f, g, new Float32Array(dy.length))
    : c.pass === 'input gradient' ? () => conv2dBackpropInputKernel(dy, f, g, new Float32Array(x.length))
      : () => conv2dBackpropFilterKernel(x, dy, g, new Float32Array(f.length));
  return flops(c) / (medianMsPerCall(run, { warmupCalls: 3, samples: 15, minSampleMs: 5 }) * 1e6);
}

async function tfjsWasmGflops(c: ConvCase): Promise<number> {
  const tfjs = await useTfjsBackend('wasm');
  const x = tfjs.tensor4d(random(c.x.reduce((a, b) => a * b)), c.x);
  const f = tfjs.tensor4d(random(c.filter.reduce((a, b) => a * b)), c.filter);
  const outShape: [number, number, number, number] = [c.x[0], c.x[1] - c.filter[0] + 1, c.x[2] - c.filter[1] + 1, c.filter[3]];
  const dy = tfjs.tensor4d(random(outShape.reduce((a, b) => a * b)), outShape);
  const attrs = { strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dimRoundingMode: undefined };
  // no Conv2DBackpropFilter in TF.js WASM: its Conv3D filter gradient on depth-1 volumes does the same work
  const x5 = tfjs.expandDims(x, 1), dy5 = tfjs.expandDims(dy, 1);
  const run = () => {
    const out = c.pass === 'forward' ? tfjs.conv2d(x, f, 1, 'valid')
      : c.pass === 'input gradient' ? tfjs.engine().runKernel('Conv2DBackpropInput', { dy, filter: f }, { ...attrs, inputShape: c.x } as never) as typeof x
        : tfjs.engine().runKernel('Conv3DBackpropFilterV2', { x: x5, dy: dy5 }, { strides: [1, 1, 1], pad: 'valid', filterShape: [1, ...c.filter] } as never) as typeof x;
    out.dataSync();
    out.dispose();
  };
  const ms = medianMsPerCall(run, { warmupCalls: 3, samples: 15, minSampleMs: 5 });
  for (const t of [x, f, dy, x5, dy5]) t.dispose();
  return flops(c) / (ms * 1e6);
}

const PYTORCH_CONV = `
import time, statistics
cases = json.load(sys.stdin)
out = []
for c in cases:
    n, h, w, cin = c['x']; kh, kw, _, cout = c['filter']
    x = torch.rand(n, cin, h, w); f = torch.rand(cout, cin, kh, kw)
    dy = torch.rand(n, cout, h - kh + 1, w - kw + 1)
    if c['pass'] == 'forward':
        run = lambda: torch.nn.functional.conv2d(x, f)
    else:
        mask = [c['pass'] == 'input gradient', c['pass'] == 'filter gradient', False]
        run = lambda: torch.ops.aten.convolution_backward(dy, x, f, None, [1, 1], [0, 0], [1, 1], False, [0, 0], 1, mask)
    with torch.no_grad():
        for _ in range(3): run()
        samples = []
        for _ in range(15):
            start = time.perf_counter(); run(); samples.append((time.perf_counter() - start) * 1000)
    out.append(statistics.median(samples))
print(json.dumps(out))
`;

export default async function run(): Promise<BenchRow[]> {
  const batch = randomBatch();
  const torch = pytorchVersion() !== null;
  const ours = medianMsPerCall(tapescopeStep(tf.constant(batch.images, 'float32', [BATCH, 28, 28, 1]), tf.constant(batch.labels, 'float32', [BATCH, 10])),
    { warmupCalls: 5, samples: 11, minSampleMs: 1 });
  const rows: BenchRow[] = [{
    suite: 'cnn',
    case: 'training step: Conv2D 32 3×3 → MaxPool → Conv2D 64 3×3 → MaxPool → Dense 10, Adam, batch 64',
    unit: 'ms/step',
    tapescope: ours,
    peers: {
      [TFJS_PEER_NAME.wasm]: await tfjsWasmMsPerStep(batch),
      [PYTORCH]: torch ? runPytorchScript<number>(PYTORCH_STEP, null) : null,
    },
    higherIsBetter: false,
    note: ['forward + backward + Adam on a fixed batch; TF.js uses optimizer.minimize with its fused softmaxCrossEntropy and conv3d of depth 1 (WASM has no conv2d filter gradient)',
      torch ? '' : PYTORCH_MISSING_NOTE].filter(Boolean).join('; '),
  }];
  const torchMs = torch ? runPytorchScript<number[]>(PYTORCH_CONV, CASES) : null;
  for (const [i, c] of CASES.entries()) {
    rows.push({
      suite: 'cnn',
      case: c.label,
      unit: 'GFLOP/s',
      tapescope: ourGflops(c),
      peers: { [TFJS_PEER_NAME.wasm]: await tfjsWasmGflops(c), [PYTORCH]: torchMs ? flops(c) / (torchMs[i] * 1e6) : null },
      higherIsBetter: true,
      note: c.pass === 'filter gradient'
        ? `float32 kernels (ours: ${OUR_KERNELS}); TF.js WASM: its Conv3D filter gradient at depth 1 (no Conv2D one); PyTorch NCHW aten.convolution_backward`
        : `float32 kernels (ours: ${OUR_KERNELS}); PyTorch NCHW, aten.convolution_backward for the gradient`,
    });
  }
  return rows;
}
