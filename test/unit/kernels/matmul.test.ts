// Every matmul path (WASM SIMD, pure TypeScript, and the public dispatcher) against a plain triple loop.
import { test } from 'node:test';
import v8 from 'node:v8';
import assert from 'node:assert/strict';
import { matmul, matmulFloat32Path, matmulFloat64Path } from '../../../engine/kernels/matmul/matmul';
import { matmulTypeScript } from '../../../engine/kernels/matmul/matmul_typescript';
import {
  FLOAT64_ELEMENT, RESIDENT_MIN_VALUES, WasmMatmulF32, createThreadedWasmMatmul, createThreadedWasmMatmulF32, createWasmMatmul,
  createWasmMatmulF32, wasmMatmulF32, wasmMatmulF64,
} from '../../../engine/kernels/matmul/matmul_wasm';
import {
  matmulF32RelaxedWasmBase64, matmulF32SharedMemoryRelaxedWasmBase64, matmulF32SharedMemoryWasmBase64, matmulF32WasmBase64,
  matmulF64RelaxedWasmBase64, matmulF64SharedMemoryRelaxedWasmBase64, matmulF64SharedMemoryWasmBase64, matmulF64WasmBase64,
} from '../../../engine/kernels/matmul/wasm/matmul_wasm_bytes.generated';

/** Node 20 has relaxed SIMD behind a flag; Node 22+ has it on and no longer knows the flag (it would print an error). */
function enableRelaxedSimd(): void {
  if (!WebAssembly.validate(Buffer.from(matmulF32RelaxedWasmBase64, 'base64'))) v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
}

type FloatArray = Float32Array | Float64Array;
type MatmulPath = (a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean) => void;

/** Seeded generator so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
}

function filled<T extends FloatArray>(ctor: new (length: number) => T, length: number, next: () => number): T {
  const array = new ctor(length);
  for (let i = 0; i < length; i++) array[i] = next();
  return array;
}

/** out = op(A)·op(B) by the definition, in float64, plus Σ|a||b| per element to bound rounding error. */
function reference(a: FloatArray, b: FloatArray, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean) {
  const value = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = 0, abs = 0;
      for (let p = 0; p < k; p++) {
        const x = transposeA ? a[p * m + i] : a[i * k + p];
        const y = transposeB ? b[j * k + p] : b[p * n + j];
        sum += x * y;
        abs += Math.abs(x * y);
      }
      value[i * n + j] = sum;
      magnitude[i * n + j] = abs;
    }
  }
  return { value, magnitude };
}

const SIZES = [1, 3, 17, 33];
const TRANSPOSES: [boolean, boolean][] = [[false, false], [true, false], [false, true], [true, true]];
// Shapes around the 4x8 tile plus the training shapes (784 = depth of the first Dense layer).
const EXTRA_SHAPES: [number, number, number][] = [[4, 8, 8], [5, 9, 7], [8, 1, 16], [31, 64, 9], [128, 784, 128], [128, 128, 10], [2, 0, 3], [200, 300, 1], [1, 300, 200]];

function allShapes(): [number, number, number][] {
  const shapes: [number, number, number][] = [];
  for (const m of SIZES) for (const k of SIZES) for (const n of SIZES) shapes.push([m, k, n]);
  return shapes.concat(EXTRA_SHAPES);
}

function checkPath(name: string, path: MatmulPath, ctor: Float32ArrayConstructor | Float64ArrayConstructor): void {
  const epsilon = ctor === Float32Array ? 2 ** -23 : 2 ** -52;
  const next = random(17);
  const make = ctor as new (length: number) => FloatArray;
  for (const [m, k, n] of allShapes()) {
    for (const [transposeA, transposeB] of TRANSPOSES) {
      const a = filled(make, m * k, next);
      const b = filled(make, k * n, next);
      // Start from garbage so a path that forgets to overwrite `out` fails.
      const out = filled(make, m * n, () => 1e6);
      path(a, b, out, m, k, n, transposeA, transposeB);
      const { value, magnitude } = reference(a, b, m, k, n, transposeA, transposeB);
      for (let e = 0; e < m * n; e++) {
        // Standard dot-product rounding bound: |error| <= k·ε·Σ|a||b| (doubled for slack).
        const tolerance = 2 * (k + 1) * epsilon * magnitude[e] + 1e-30;
        const error = Math.abs(out[e] - value[e]);
        if (!(error <= tolerance)) {
          assert.fail(`${name} ${ctor.name} m=${m} k=${k} n=${n} transposeA=${transposeA} transposeB=${transposeB}: ` +
            `out[${e}] = ${out[e]}, reference ${value[e]} (tolerance ${tolerance})`);
        }
      }
    }
  }
}

test('the WASM SIMD kernel is available in this runtime (Node 20 has WebAssembly SIMD)', () => {
  assert.notEqual(wasmMatmulF32, null, 'run `npm run build:wasm`; the module failed to load');
  assert.match(matmulFloat32Path(), /^wasm-(relaxed-)?simd$/);
});

test('WASM SIMD float32 path (one thread, private memory) matches the triple loop on odd shapes and all transposes', () => {
  const kernel = createWasmMatmulF32(matmulF32WasmBase64);
  assert.ok(kernel !== null);
  assert.equal(kernel.threading, 'one thread');
  checkPath('wasm', (a, b, out, m, k, n, tA, tB) =>
    kernel.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB), Float32Array);
});

test('two-thread WASM path (shared memory + helper thread) matches the triple loop, every product split', async () => {
  const kernel = createThreadedWasmMatmulF32(matmulF32SharedMemoryWasmBase64, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
  assert.ok(kernel !== null, 'Node 20 has SharedArrayBuffer and WASM threads');
  assert.equal(await kernel.startHelperThread(), true);
  assert.equal(kernel.threading, 'two threads');
  try {
    checkPath('wasm two threads', (a, b, out, m, k, n, tA, tB) =>
      kernel.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB), Float32Array);
    assert.equal(kernel.threading, 'two threads', 'the helper stayed alive through every product');
    // Make sure the helper really computed part of the output, so its rows were checked above too.
    const big = filled(Float32Array, 256 * 784, random(1));
    const product = new Float32Array(256 * 256);
    for (let round = 0; round < 50 && kernel.helperRowPanels === 0; round++) kernel.run(big, big, product, 256, 784, 256, false, true);
    assert.ok(kernel.helperRowPanels > 0, 'the helper thread computed some row panels');
  } finally {
    kernel.stopHelperThread();
  }
  assert.equal(kernel.threading, 'one thread');
});

test('fused multiply-add (relaxed SIMD) builds, one and two threads, match the triple loop', async () => {
  // Node 20 has relaxed SIMD behind a flag (on by default from V8 11.4: Node 22, Electron/VS Code).
  enableRelaxedSimd();
  const oneThread = createWasmMatmulF32(matmulF32RelaxedWasmBase64);
  assert.ok(oneThread !== null, 'relaxed SIMD build loads once the runtime accepts relaxed SIMD');
  checkPath('wasm relaxed', (a, b, out, m, k, n, tA, tB) =>
    oneThread.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB), Float32Array);
  const twoThreads = createThreadedWasmMatmulF32(matmulF32SharedMemoryRelaxedWasmBase64, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
  assert.ok(twoThreads !== null);
  assert.equal(await twoThreads.startHelperThread(), true);
  try {
    checkPath('wasm relaxed two threads', (a, b, out, m, k, n, tA, tB) =>
      twoThreads.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB), Float32Array);
    assert.equal(twoThreads.threading, 'two threads');
  } finally {
    twoThreads.stopHelperThread();
  }
});

test('a helper thread whose job fails is dropped and the product is still right (one thread from then on)', async () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 32768, shared: true });
  const sharedBuild = new WebAssembly.Module(Buffer.from(matmulF32SharedMemoryWasmBase64, 'base64'));
  const exports = new WebAssembly.Instance(sharedBuild, { env: { memory, abort: () => {} } }).exports;
  // The helper gets a module with no exports, so the first job it picks up throws inside the worker.
  const emptyModule = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));
  const kernel = new WasmMatmulF32(exports as never, memory, emptyModule, 0, 'always');
  assert.equal(await kernel.startHelperThread(), true);
  const next = random(11);
  const [m, k, n] = [256, 300, 64];
  const a = filled(Float32Array, m * k, next);
  const b = filled(Float32Array, k * n, next);
  const { value } = reference(a, b, m, k, n, false, false);
  // The caller cancels jobs the helper is too slow to pick up, so repeat until the helper has taken one.
  for (let round = 0; round < 200 && kernel.threading === 'two threads'; round++) {
    const out = new Float32Array(m * n);
    kernel.run(a, b, out, m, k, n, false, false);
    for (let e = 0; e < m * n; e++) assert.ok(Math.abs(out[e] - value[e]) < 1e-3, `round ${round} out[${e}]`);
  }
  assert.equal(kernel.threading, 'one thread');
});

test('float64 WASM SIMD (f64x2) builds match the triple loop: one thread, two threads, fused multiply-add', async () => {
  assert.notEqual(wasmMatmulF64, null, 'the float64 module loads wherever WASM SIMD does');
  assert.equal(matmulFloat64Path(), 'wasm-simd');
  const oneThread = createWasmMatmul(matmulF64WasmBase64, FLOAT64_ELEMENT);
  assert.ok(oneThread !== null);
  checkPath('wasm f64', (a, b, out, m, k, n, tA, tB) =>
    oneThread.run(a as Float64Array, b as Float64Array, out as Float64Array, m, k, n, tA, tB), Float64Array);
  enableRelaxedSimd();
  const fused = createWasmMatmul(matmulF64RelaxedWasmBase64, FLOAT64_ELEMENT);
  assert.ok(fused !== null);
  checkPath('wasm f64 relaxed', (a, b, out, m, k, n, tA, tB) =>
    fused.run(a as Float64Array, b as Float64Array, out as Float64Array, m, k, n, tA, tB), Float64Array);
  for (const build of [matmulF64SharedMemoryWasmBase64, matmulF64SharedMemoryRelaxedWasmBase64]) {
    const twoThreads = createThreadedWasmMatmul(build, FLOAT64_ELEMENT, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
    assert.ok(twoThreads !== null);
    assert.equal(await twoThreads.startHelperThread(), true);
    try {
      checkPath('wasm f64 two threads', (a, b, out, m, k, n, tA, tB) =>
        twoThreads.run(a as Float64Array, b as Float64Array, out as Float64Array, m, k, n, tA, tB), Float64Array);
      const big = filled(Float64Array, 256 * 300, random(2));
      const product = new Float64Array(256 * 256);
      for (let round = 0; round < 50 && twoThreads.helperRowPanels === 0; round++) twoThreads.run(big, big, product, 256, 300, 256, false, true);
      assert.ok(twoThreads.helperRowPanels > 0, 'the helper thread computed some float64 row panels');
      assert.equal(twoThreads.threading, 'two threads');
    } finally {
      twoThreads.stopHelperThread();
    }
  }
});

test('a large immutable matrix stays resident across matrix-vector products; other matrices and mutable calls are still read fresh', () => {
  for (const [kernel, ctor] of [[createWasmMatmulF32(matmulF32WasmBase64)!, Float32Array], [createWasmMatmul(matmulF64WasmBase64, FLOAT64_ELEMENT)!, Float64Array]] as const) {
    const next = random(21);
    const [rows, cols] = [300, 250];
    assert.ok(rows * cols >= RESIDENT_MIN_VALUES);
    const make = ctor as new (length: number) => FloatArray;
    const w = filled(make, rows * cols, next);
    const other = filled(make, rows * cols, next);
    const check = (s: FloatArray, x: FloatArray, transposeA: boolean, immutable: boolean) => {
      const out = filled(make, transposeA ? cols : rows, () => 1e6);
      const [m, k] = transposeA ? [cols, rows] : [rows, cols];
      kernel.run(s as never, x as never, out as never, m, k, 1, transposeA, false, immutable);
      const { value, magnitude } = reference(s, x, m, k, 1, transposeA, false);
      for (let e = 0; e < out.length; e++) assert.ok(Math.abs(out[e] - value[e]) <= 4 * (k + 1) * 2 ** -23 * magnitude[e] + 1e-30, `${ctor.name} out[${e}]`);
    };
    check(w, filled(make, cols, next), false, true);
    assert.equal(kernel.residentValues, rows * cols, 'the matrix was kept');
    // Both product directions read the resident copy, and a general product in between does not disturb it.
    check(w, filled(make, rows, next), true, true);
    kernel.run(filled(make, 64 * 64, next) as never, filled(make, 64 * 64, next) as never, new ctor(64 * 64) as never, 64, 64, 64, false, false);
    check(w, filled(make, cols, next), false, true);
    // A call that does not promise immutability never trusts the resident copy: w changed in place is read afresh.
    for (let i = 0; i < w.length; i += 7) w[i] = next();
    check(w, filled(make, cols, next), false, false);
    // Another array of the same size replaces it.
    check(other, filled(make, cols, next), false, true);
    check(other, filled(make, rows, next), true, true);
    assert.equal(kernel.residentValues, rows * cols);
  }
});

test('pure TypeScript path matches the triple loop in float32 and float64', () => {
  checkPath('typescript', matmulTypeScript, Float32Array);
  checkPath('typescript', matmulTypeScript, Float64Array);
});

test('public matmul matches the triple loop in float32 and float64', () => {
  checkPath('matmul', matmul, Float32Array);
  checkPath('matmul', matmul, Float64Array);
});

test('operands given as subarray views (batched matmul) use only their own window', () => {
  const next = random(5);
  const [m, k, n] = [17, 33, 9];
  const backingA = filled(Float32Array, 3 * m * k, next);
  const backingB = filled(Float32Array, 3 * k * n, next);
  const a = backingA.subarray(m * k, 2 * m * k);
  const b = backingB.subarray(k * n, 2 * k * n);
  const backingOut = new Float32Array(3 * m * n).fill(7);
  const out = backingOut.subarray(m * n, 2 * m * n);
  matmul(a, b, out, m, k, n, false, false);
  const { value } = reference(a, b, m, k, n, false, false);
  for (let e = 0; e < m * n; e++) assert.ok(Math.abs(out[e] - value[e]) < 1e-4, `out[${e}]`);
  assert.equal(backingOut[0], 7);
  assert.equal(backingOut[2 * m * n], 7);
});

test('a small product after a large one is not polluted by the large one\'s leftovers in WASM memory', () => {
  const kernel = wasmMatmulF32!;
  const next = random(9);
  const big = filled(Float32Array, 128 * 784, next);
  kernel.run(big, filled(Float32Array, 784 * 128, next), new Float32Array(128 * 128), 128, 784, 128, false, false);
  const a = filled(Float32Array, 3 * 5, next);
  const b = filled(Float32Array, 5 * 7, next);
  const out = new Float32Array(3 * 7);
  kernel.run(a, b, out, 3, 5, 7, true, true);
  const { value } = reference(a, b, 3, 5, 7, true, true);
  for (let e = 0; e < out.length; e++) assert.ok(Math.abs(out[e] - value[e]) < 1e-5, `out[${e}]`);
});

test('10,000 repeated products reuse the same WASM memory (no growth)', () => {
  const kernel = wasmMatmulF32!;
  const next = random(3);
  const a = filled(Float32Array, 16 * 40, next);
  const b = filled(Float32Array, 40 * 10, next);
  const out = new Float32Array(16 * 10);
  kernel.run(a, b, out, 16, 40, 10, false, true);
  const bytesAfterFirst = kernel.memoryBytes;
  for (let step = 0; step < 10_000; step++) kernel.run(a, b, out, 16, 40, 10, step % 2 === 0, true);
  assert.equal(kernel.memoryBytes, bytesAfterFirst);
});

test('NaN in one row of A reaches only that row of the output, on both paths', () => {
  for (const path of [matmulTypeScript, (a: FloatArray, b: FloatArray, out: FloatArray, m: number, k: number, n: number) =>
    wasmMatmulF32!.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, false, false)]) {
    const a = new Float32Array([1, 2, NaN, 4, 0, 0]);
    const b = new Float32Array([1, 0, 0, 1, 0, 0]);
    const out = new Float32Array(6);
    path(a, b, out, 3, 2, 2, false, false);
    assert.deepEqual(Array.from(out.subarray(0, 2)), [1, 2]);
    assert.ok(Number.isNaN(out[2]));
    assert.deepEqual(Array.from(out.subarray(4)), [0, 0]);
  }
});

test('the loader falls back (returns null) when the module bytes are missing or invalid', () => {
  assert.equal(createWasmMatmulF32(undefined), null);
  assert.equal(createWasmMatmulF32(''), null);
  assert.equal(createWasmMatmulF32(btoa('not a wasm module')), null);
  const truncated = matmulF32WasmBase64.slice(0, 400);
  assert.equal(createWasmMatmulF32(truncated), null);
  assert.notEqual(createWasmMatmulF32(matmulF32WasmBase64), null);
});

test('bad operands give an Error naming the op and shapes', () => {
  const f32 = new Float32Array(6);
  assert.throws(() => matmul(f32, new Float64Array(6), new Float32Array(4), 2, 3, 2, false, false),
    /matmul \[2,3\] @ \[3,2\]: operands and output must share one dtype/);
  assert.throws(() => matmul(f32, f32, new Float32Array(4), 2, 4, 2, false, true),
    /matmul \[2,4\] @ \[2,4\]ᵀ: A holds 6 values, needs 8/);
  assert.throws(() => matmul(f32, f32, new Float32Array(3), 2, 3, 2, false, false), /out holds 3 values, needs 4/);
  assert.throws(() => matmul(f32, f32, f32, -1, 3, 2, false, false), /sizes must be non-negative integers/);
});

// The float32 split in which both threads pack (packClaimedPanels), multiply blocks of row panels by column panels
// (multiplyClaimedBlocks) and the caller copies C out block by block: shapes with several row blocks, a partial
// last block and narrow padded rows, under every policy and both builds.
const SPLIT_SHAPES: [number, number, number][] = [[200, 37, 10], [130, 50, 70], [65, 9, 17], [256, 3, 33], [67, 129, 8], [8, 5, 3]];

function checkShapes(name: string, shapes: [number, number, number][], path: MatmulPath): void {
  const next = random(29);
  for (let round = 0; round < 3; round++) {
    for (const [m, k, n] of shapes) {
      for (const [transposeA, transposeB] of TRANSPOSES) {
        const a = filled(Float32Array, m * k, next);
        const b = filled(Float32Array, k * n, next);
        const out = filled(Float32Array, m * n, () => 1e6);
        path(a, b, out, m, k, n, transposeA, transposeB);
        const { value, magnitude } = reference(a, b, m, k, n, transposeA, transposeB);
        for (let e = 0; e < m * n; e++) {
          const tolerance = 2 * (k + 1) * 2 ** -23 * magnitude[e] + 1e-30;
          if (!(Math.abs(out[e] - value[e]) <= tolerance)) {
            assert.fail(`${name} round ${round} m=${m} k=${k} n=${n} transposeA=${transposeA} transposeB=${transposeB}: out[${e}] = ${out[e]}, reference ${value[e]}`);
          }
        }
      }
    }
  }
}

test('float32 split products packed on both threads match the triple loop: plain and FMA builds, always-split and adaptive', async () => {
  enableRelaxedSimd();
  for (const build of [matmulF32SharedMemoryWasmBase64, matmulF32SharedMemoryRelaxedWasmBase64]) {
    for (const splitPolicy of ['always', 'adaptive'] as const) {
      const kernel = createThreadedWasmMatmulF32(build, { minMultiplyAddsToSplit: 0, splitPolicy });
      assert.ok(kernel !== null);
      assert.equal(await kernel.startHelperThread(), true);
      try {
        const before = kernel.helperRowPanels;
        checkShapes(`split ${splitPolicy}`, SPLIT_SHAPES, (a, b, out, m, k, n, tA, tB) =>
          kernel.run(a as Float32Array, b as Float32Array, out as Float32Array, m, k, n, tA, tB));
        // Staged products (conv) hand C back in one piece after the same split.
        checkShapes(`staged split ${splitPolicy}`, SPLIT_SHAPES, (a, b, out, m, k, n, tA, tB) =>
          kernel.runStaged(m, k, n, tA, tB, (dst) => dst.set(a as Float32Array), (dst) => dst.set(b as Float32Array),
            (c, rowStride) => { for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[i * n + j] = c[i * rowStride + j]; }));
        assert.equal(kernel.threading, 'two threads', 'the helper stayed alive');
        if (splitPolicy === 'always') assert.ok(kernel.helperRowPanels > before, 'the helper computed some blocks');
      } finally {
        kernel.stopHelperThread();
      }
    }
  }
});

test('a split product whose A cannot be written throws, and the helper neither hangs nor spoils the next product', async () => {
  const kernel = createThreadedWasmMatmulF32(matmulF32SharedMemoryWasmBase64, { minMultiplyAddsToSplit: 0, splitPolicy: 'always' });
  assert.ok(kernel !== null);
  assert.equal(await kernel.startHelperThread(), true);
  try {
    const [m, k, n] = [96, 40, 24];
    const next = random(31);
    const b = filled(Float32Array, k * n, next);
    for (let round = 0; round < 20; round++) {
      assert.throws(() => kernel.runStaged(m, k, n, false, false, () => { throw new Error('im2col failed'); }, (dst) => dst.set(b), () => {}),
        /im2col failed/);
      const a = filled(Float32Array, m * k, next);
      const out = new Float32Array(m * n);
      kernel.run(a, b, out, m, k, n, false, false);
      const { value } = reference(a, b, m, k, n, false, false);
      for (let e = 0; e < m * n; e++) assert.ok(Math.abs(out[e] - value[e]) < 1e-4, `round ${round} out[${e}]`);
    }
    assert.equal(kernel.threading, 'two threads');
  } finally {
    kernel.stopHelperThread();
  }
});
