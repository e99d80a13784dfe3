// Matmul throughput (GFLOP/s) at the seed MLP's training shapes (Dense 784→128 and 128→10, batch 128):
// forward A@B and the two backward forms with a transposed operand, Tapescope's kernel vs TF.js and PyTorch.
import type { BenchRow } from '../bench_row';
import { matmul, matmulFloat32Path, setFloat64MatmulPath } from '../../engine/kernels/matmul/matmul';
import { setFloat64ElementwisePath } from '../../engine/kernels/elementwise/elementwise_f64_wasm';
import { tf } from '../../engine';
import { matmulTypeScript } from '../../engine/kernels/matmul/matmul_typescript';
import { createThreadedWasmMatmulF32, createWasmMatmulF32, type WasmMatmulF32 } from '../../engine/kernels/matmul/matmul_wasm';
import {
  matmulF32RelaxedWasmBase64, matmulF32SharedMemoryRelaxedWasmBase64, matmulF32SharedMemoryWasmBase64, matmulF32WasmBase64,
} from '../../engine/kernels/matmul/wasm/matmul_wasm_bytes.generated';
import v8 from 'node:v8';
import { median, medianMsPerCall } from '../measure';
import { float64GradientCheck } from '../float64_gradient_check';
import { PYTORCH_MISSING_NOTE, pytorchVersion, runPytorchScript } from '../peers/pytorch';
import { TFJS_PEER_NAME, useTfjsBackend, type TfjsBackend } from '../peers/tfjs';

interface MatmulCase {
  label: string;
  m: number;
  k: number;
  n: number;
  transposeA: boolean;
  transposeB: boolean;
  /** Also measure two threads and the pure-TypeScript fallback (only for the headline shapes). */
  headline: boolean;
}

const CASES: MatmulCase[] = [
  { label: 'X@W1 [128x784]@[784x128]', m: 128, k: 784, n: 128, transposeA: false, transposeB: false, headline: true },
  { label: 'dW1 = Xᵀ@dY [128x784]ᵀ@[128x128]', m: 784, k: 128, n: 128, transposeA: true, transposeB: false, headline: true },
  { label: 'dX = dY@W1ᵀ [128x128]@[784x128]ᵀ', m: 128, k: 128, n: 784, transposeA: false, transposeB: true, headline: true },
  { label: 'H@W2 [128x128]@[128x10]', m: 128, k: 128, n: 10, transposeA: false, transposeB: false, headline: false },
  { label: 'dW2 = Hᵀ@dY [128x128]ᵀ@[128x10]', m: 128, k: 128, n: 10, transposeA: true, transposeB: false, headline: false },
  { label: 'dH = dY@W2ᵀ [128x10]@[128x10]ᵀ', m: 128, k: 10, n: 128, transposeA: false, transposeB: true, headline: false },
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
    calls = max(1, int(0.001 / once) + 1)
    samples = []
    for _ in range(51):
        start = time.perf_counter()
        for _ in range(calls):
            torch.mm(opa, opb, out=out)
        samples.append((time.perf_counter() - start) / calls)
    results.append(2 * c['m'] * c['k'] * c['n'] / statistics.median(samples) / 1e9)
print(json.dumps(results))
`;

/** Node 20 has relaxed SIMD behind a flag; Node 22+ has it on and no longer knows the flag (it would print an error). */
function enableRelaxedSimd(): void {
  if (!WebAssembly.validate(Buffer.from(matmulF32RelaxedWasmBase64, 'base64'))) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

function pytorchGflops(cases: MatmulCase[], float64: boolean): number[] | null {
  if (pytorchVersion() === null) return null;
  return runPytorchScript<number[]>(PYTORCH_SCRIPT, cases.map((c) => ({ ...storedShapes(c), ...c, float64 })));
}

type OurPath = (a: Float32Array | Float64Array, b: Float32Array | Float64Array, out: Float32Array | Float64Array,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean) => void;

function oursGflops(c: MatmulCase, path: OurPath, ctor: Float32ArrayConstructor | Float64ArrayConstructor, slow = false): number {
  const make = ctor as new (length: number) => Float32Array | Float64Array;
  const a = randomArray(make, c.m * c.k);
  const b = randomArray(make, c.k * c.n);
  const out = new ctor(c.m * c.n);
  const ms = medianMsPerCall(() => path(a, b, out, c.m, c.k, c.n, c.transposeA, c.transposeB),
    slow ? { warmupCalls: 5, samples: 15 } : {});
  return gflops(c, ms);
}

function wasmPath(kernel: WasmMatmulF32): OurPath {
  return (a, b, out, m, k, n, tA, tB) => kernel.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB);
}

/**
 * ms per float64 checkTape of the seed MLP's shapes with every float64 kernel that has a WASM path on it (the
 * default) and with all of them on their TypeScript loops (products and tanh: the float64 path before #17).
 * The two alternate call by call, so a change in the machine's load falls on both; medians of each.
 */
function gradientCheckMs(): { wasm: number; typescript: number } {
  const check = float64GradientCheck(tf);
  const timed = (path: 'wasm-simd' | 'typescript'): number => {
    setFloat64MatmulPath(path);
    setFloat64ElementwisePath(path);
    try {
      const start = performance.now();
      check();
      return performance.now() - start;
    } finally {
      setFloat64MatmulPath('wasm-simd');
      setFloat64ElementwisePath('wasm-simd');
    }
  };
  const samples = { wasm: [] as number[], typescript: [] as number[] };
  for (let round = 0; round < 18; round++) {
    const typescript = timed('typescript');
    const wasm = timed('wasm-simd');
    if (round < 3) continue;   // warm-up: JIT tiers, WASM memory growth
    samples.typescript.push(typescript);
    samples.wasm.push(wasm);
  }
  return { wasm: median(samples.wasm), typescript: median(samples.typescript) };
}

export default async function run(): Promise<BenchRow[]> {
  const oneThread = createWasmMatmulF32(matmulF32WasmBase64);
  const twoThreads = createThreadedWasmMatmulF32(matmulF32SharedMemoryWasmBase64, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
  const twoThreadsReady = twoThreads !== null && await twoThreads.startHelperThread();
  // The fused multiply-add build needs relaxed SIMD: default in V8 >= 11.4 (VS Code's Electron, Node 22), behind
  // a flag in Node 20. Enabling it here affects only the instances created below.
  enableRelaxedSimd();
  const fusedOneThread = createWasmMatmulF32(matmulF32RelaxedWasmBase64);
  const fusedTwoThreads = createThreadedWasmMatmulF32(matmulF32SharedMemoryRelaxedWasmBase64, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
  const fusedTwoThreadsReady = fusedTwoThreads !== null && await fusedTwoThreads.startHelperThread();
  const torch32 = pytorchGflops(CASES, false);
  const headlines = CASES.filter((c) => c.headline);
  const torch64 = pytorchGflops(headlines, true);
  const pytorchNote = torch32 ? '' : PYTORCH_MISSING_NOTE;
  const join = (...parts: string[]) => parts.filter(Boolean).join('; ');
  const rows: BenchRow[] = [];
  for (const [index, c] of CASES.entries()) {
    const peers: Record<string, number | null> = {
      [TFJS_PEER_NAME.wasm]: await tfjsGflops('wasm', c),
      [TFJS_PEER_NAME.cpu]: await tfjsGflops('cpu', c),
      [PYTORCH]: torch32 ? torch32[index] : null,
    };
    const row = (variant: string, tapescope: number, note: string): BenchRow =>
      ({ suite: 'matmul', case: `${c.label} f32, ${variant}`, unit: 'GFLOP/s', tapescope, peers, higherIsBetter: true, note: join(note, pytorchNote) });
    if (oneThread !== null) {
      rows.push(row('WASM 1 thread', oursGflops(c, wasmPath(oneThread), Float32Array),
        'WASM SIMD, copies in/out included; TF.js WASM is single-threaded SIMD in Node'));
    } else {
      rows.push(row('default', oursGflops(c, matmul, Float32Array), 'no WASM SIMD in this runtime: pure TS'));
    }
    if (c.headline && twoThreadsReady) {
      rows.push(row('WASM 2 threads', oursGflops(c, wasmPath(twoThreads!), Float32Array),
        'every call split with the helper thread; the default policy splits only while that measures faster'));
    }
    if (fusedOneThread !== null) {
      rows.push(row('WASM+FMA 1 thread', oursGflops(c, wasmPath(fusedOneThread), Float32Array),
        'relaxed-SIMD fused multiply-add build (default where V8 >= 11.4, e.g. VS Code; flag in Node 20)'));
    }
    if (c.headline && fusedTwoThreadsReady) {
      rows.push(row('WASM+FMA 2 threads', oursGflops(c, wasmPath(fusedTwoThreads!), Float32Array),
        'fused multiply-add build, every call split with the helper thread'));
    }
    if (c.headline) {
      rows.push(row(`default (${matmulFloat32Path()}, adaptive threads)`, oursGflops(c, matmul, Float32Array),
        'what tf.matmul runs: the best build this runtime takes, split with the helper only while that measures faster for this shape'));
      rows.push(row('pure-TS fallback', oursGflops(c, matmulTypeScript, Float32Array, true),
        'used only without WASM SIMD; peer figures repeated'));
    }
  }
  twoThreads?.stopHelperThread();
  fusedTwoThreads?.stopHelperThread();
  for (const [index, c] of headlines.entries()) {
    const peers = { [TFJS_PEER_NAME.wasm]: null, [TFJS_PEER_NAME.cpu]: null, [PYTORCH]: torch64 ? torch64[index] : null };
    const row = (variant: string, tapescope: number, note: string): BenchRow =>
      ({ suite: 'matmul', case: `${c.label} f64, ${variant}`, unit: 'GFLOP/s', tapescope, peers, higherIsBetter: true, note: join(note, torch64 ? '' : PYTORCH_MISSING_NOTE) });
    rows.push(row('WASM SIMD (default)', oursGflops(c, matmul, Float64Array),
      'f64x2 lanes, its own module (matmul_f64.as.ts), same threading policy as float32; TF.js has no float64'));
    rows.push(row('pure-TS (before)', oursGflops(c, matmulTypeScript, Float64Array, true), 'the float64 path before #17'));
  }
  const check = gradientCheckMs();
  rows.push({
    suite: 'matmul', case: 'float64 checkTape of a Dense 784→128 tanh → 10 MLP, batch 128', unit: 'ms',
    tapescope: check.wasm, peers: { 'float64 kernels in TypeScript': check.typescript }, higherIsBetter: false,
    note: 'tf.test.checkTape over W1, W2 and every node between (central differences along random sign directions); the peer column reruns it with float64 products and tanh on their TypeScript loops, alternating call by call',
  });
  return rows;
}
