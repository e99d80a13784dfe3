// Matmul throughput (GFLOP/s) at the seed MLP's training shapes (Dense 784→128 and 128→10, batch 128):
// forward A@B and the two backward forms with a transposed operand, Tapescope's kernel vs TF.js and PyTorch.
import type { BenchRow } from '../bench_row';
import { matmul, matmulFloat32Path } from '../../engine/kernels/matmul/matmul';
import { matmulTypeScript } from '../../engine/kernels/matmul/matmul_typescript';
import { medianMsPerCall } from '../measure';
import { PYTORCH_MISSING_NOTE, pytorchVersion, runPytorchScript } from '../peers/pytorch';
import { TFJS_PEER_NAME, useTfjsBackend, type TfjsBackend } from '../peers/tfjs';

interface MatmulCase {
  label: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Also measure the pure-TypeScript fallback (the slow path; only for the headline shapes). */
  withFallback: boolean;
}

const CASES: MatmulCase[] = [
  { label: 'X@W1 [128x784]@[784x128]', m: 128, k: 784, n: 128, transposeA: false, transposeB: false, withFallback: true },
  { label: 'dW1 = Xᵀ@dY [128x784]ᵀ@[128x128]', m: 784, k: 128, n: 128, transposeA: true, transposeB: false, withFallback: true },
  { label: 'dX = dY@W1ᵀ [128x128]@[784x128]ᵀ', m: 128, k: 128, n: 784, transposeA: false, transposeB: true, withFallback: true },
  { label: 'H@W2 [128x128]@[128x10]', m: 128, k: 128, n: 10, transposeA: false, transposeB: false, withFallback: false },
  { label: 'dW2 = Hᵀ@dY [128x128]ᵀ@[128x10]', m: 128, k: 128, n: 10, transposeA: true, transposeB: false, withFallback: false },
  { label: 'dH = dY@W2ᵀ [128x10]@[128x10]ᵀ', m: 128, k: 10, n: 128, transposeA: false, transposeB: true, withFallback: false },
];

const PYTORCH = 'PyTorch 1 thread';

function gflops(c: MatmulCase, msPerCall: number): number {
  return (2 * c.m * c.k * c.n) / (msPerCall * 1e6);
}

function randomArray<T extends Float32Array | Float64Array>(ctor: new (length: number) => T, length: number): T {
  const array = new ctor(length);
  for (let i = 0; i < length; i++) array[i] = Math.random() - 0.5;
  return array;
}

/** Stored shapes of A and B (the transposed operand is stored the other way round). */
function storedShapes(c: MatmulCase): { a: [number, number]; b: [number, number] } {
  return {
    a: c.transposeA ? [c.k, c.m] : [c.m, c.k],
    b: c.transposeB ? [c.n, c.k] : [c.k, c.n],
  };
}

async function tfjsGflops(backend: TfjsBackend, c: MatmulCase): Promise<number> {
  const tf = await useTfjsBackend(backend);
  const shapes = storedShapes(c);
  const a = tf.tensor2d(randomArray(Float32Array, c.m * c.k), shapes.a);
  const b = tf.tensor2d(randomArray(Float32Array, c.k * c.n), shapes.b);
  // dataSync makes the work happen and copies the product out, as our kernel does.
  const ms = medianMsPerCall(() => {
    const product = tf.matMul(a, b, c.transposeA, c.transposeB);
    product.dataSync();
    product.dispose();
  }, { warmupCalls: backend === 'cpu' ? 3 : 20, samples: backend === 'cpu' ? 11 : 31 });
  a.dispose();
  b.dispose();
  return gflops(c, ms);
}

const PYTORCH_SCRIPT = `
import time, statistics
cases = json.load(sys.stdin)
results = []
for c in cases:
    dtype = torch.float64 if c['float64'] else torch.float32
    a = torch.rand(c['a'], dtype=dtype) - 0.5
    b = torch.rand(c['b'], dtype=dtype) - 0.5
    opa = a.t() if c['transposeA'] else a
    opb = b.t() if c['transposeB'] else b
    out = torch.empty((c['m'], c['n']), dtype=dtype)
    for _ in range(50):
        torch.mm(opa, opb, out=out)
    once = time.perf_counter(); torch.mm(opa, opb, out=out); once = max(time.perf_counter() - once, 1e-6)
    calls = max(1, int(0.005 / once) + 1)
    samples = []
    for _ in range(31):
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(opa, opb, out=out)
        samples.append((time.perf_counter() - start) / calls)
    results.append(2 * c['m'] * c['k'] * c['n'] / statistics.median(samples) / 1e9)
print(json.dumps(results))
`;

function pytorchGflops(cases: MatmulCase[], float64: boolean): number[] | null {
  if (pytorchVersion() === null) return null;
  return runPytorchScript<number[]>(PYTORCH_SCRIPT, cases.map((c) => ({ ...storedShapes(c), ...c, float64 })));
}

function oursGflops(c: MatmulCase, path: 'dispatch' | 'typescript', ctor: Float32ArrayConstructor | Float64ArrayConstructor): number {
  const make = ctor as new (length: number) => Float32Array | Float64Array;
  const a = randomArray(make, c.m * c.k);
  const b = randomArray(make, c.k * c.n);
  const out = new ctor(c.m * c.n);
  const kernel = path === 'dispatch' ? matmul : matmulTypeScript;
  const ms = medianMsPerCall(() => kernel(a, b, out, c.m, c.k, c.n, c.transposeA, c.transposeB),
    path === 'typescript' ? { warmupCalls: 5, samples: 15 } : {});
  return gflops(c, ms);
}

export default async function run(): Promise<BenchRow[]> {
  const float32Path = matmulFloat32Path();
  const torch32 = pytorchGflops(CASES, false);
  const torch64 = pytorchGflops(CASES.slice(0, 1), true);
  const rows: BenchRow[] = [];
  for (const [index, c] of CASES.entries()) {
    const peers: Record<string, number | null> = {
      [TFJS_PEER_NAME.wasm]: await tfjsGflops('wasm', c),
      [TFJS_PEER_NAME.cpu]: await tfjsGflops('cpu', c),
      [PYTORCH]: torch32 ? torch32[index] : null,
    };
    const note = torch32 ? undefined : PYTORCH_MISSING_NOTE;
    rows.push({
      suite: 'matmul', case: `${c.label} f32`, unit: 'GFLOP/s', tapescope: oursGflops(c, 'dispatch', Float32Array),
      peers, higherIsBetter: true,
      note: [float32Path === 'wasm-simd' ? 'WASM SIMD' : 'pure TS (no WASM SIMD here)', note].filter(Boolean).join('; '),
    });
    if (c.withFallback) {
      rows.push({
        suite: 'matmul', case: `${c.label} f32, pure-TS fallback`, unit: 'GFLOP/s',
        tapescope: oursGflops(c, 'typescript', Float32Array), peers, higherIsBetter: true,
        note: ['fallback path when WASM SIMD is unavailable; same peer figures', note].filter(Boolean).join('; '),
      });
    }
  }
  const headline = CASES[0];
  rows.push({
    suite: 'matmul', case: `${headline.label} f64`, unit: 'GFLOP/s', tapescope: oursGflops(headline, 'dispatch', Float64Array),
    peers: { [TFJS_PEER_NAME.wasm]: null, [TFJS_PEER_NAME.cpu]: null, [PYTORCH]: torch64 ? torch64[0] : null },
    higherIsBetter: true,
    note: ['float64 runs the pure-TS kernel; TF.js has no float64', torch64 ? '' : PYTORCH_MISSING_NOTE].filter(Boolean).join('; '),
  });
  return rows;
}
