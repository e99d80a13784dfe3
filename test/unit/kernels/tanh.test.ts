// float64 tanh and its gradient: the WASM SIMD kernel against tanh to 200 bits (mpmath, tanh_reference.json)
// and against Math.tanh over wide ranges and special values; both paths of tanhKernel / tanhGradKernel (WASM
// above WASM_MIN_LENGTH, the loop below it or when switched off) against the plain loop on random sizes; the
// fused bias + tanh and the ops on top.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf } from '../../../engine';
import { elementwiseFloat64Path, setFloat64ElementwisePath, tanhF64Wasm, tanhGradF64Wasm } from '../../../engine/kernels/elementwise/elementwise_f64_wasm';
import { tanhGradKernel, tanhKernel, WASM_MIN_LENGTH } from '../../../engine/kernels/elementwise/tanh';
import { activationGradKernel, biasActivationKernel } from '../../../engine/kernels/fused';

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function filled(n: number, value: () => number): Float64Array {
  const a = new Float64Array(n);
  for (let i = 0; i < n; i++) a[i] = value();
  return a;
}

/** Distance in representable doubles between a and b (0 when both are NaN). */
function ulpsApart(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  const bits = new BigInt64Array(new Float64Array([a, b]).buffer);
  const ordered = (v: bigint) => (v < 0n ? -(v & 0x7fffffffffffffffn) : v);
  const d = ordered(bits[0]) - ordered(bits[1]);
  return Number(d < 0n ? -d : d);
}

function wasmTanh(x: Float64Array): Float64Array {
  const out = new Float64Array(x.length);
  assert.ok(tanhF64Wasm(x, out), 'the WASM kernel ran');
  return out;
}

test('this runtime runs the float64 elementwise kernels in WASM SIMD', () => {
  assert.equal(elementwiseFloat64Path(), 'wasm-simd');
});

test('WASM tanh is within 1.5 ulp of tanh to 200 bits (Math.tanh: within 2)', () => {
  const { rows } = JSON.parse(readFileSync(new URL('./tanh_reference.json', import.meta.url), 'utf8')) as { rows: [number, number, number][] };
  assert.ok(rows.length > 1000);
  const out = wasmTanh(new Float64Array(rows.map((r) => r[0])));
  /** |got - exact| in ulps of the exact value's nearest double (got - hi is exact: the two are close). */
  const error = (got: number, hi: number, lo: number) => Math.abs(got - hi - lo) / (hi === 0 ? Number.MIN_VALUE : ulpOf(hi));
  let worst = 0;
  let worstMath = 0;
  rows.forEach(([x, hi, lo], i) => {
    worst = Math.max(worst, error(out[i], hi, lo));
    worstMath = Math.max(worstMath, error(Math.tanh(x), hi, lo));
  });
  assert.ok(worst <= 1.5, `WASM tanh is ${worst} ulp from the exact value at worst`);
  assert.ok(worstMath <= 2, `Math.tanh is ${worstMath} ulp from the exact value at worst (for scale)`);
});

function ulpOf(v: number): number {
  const a = Math.abs(v);
  const bits = new BigUint64Array(new Float64Array([a]).buffer);
  const next = new Float64Array(new BigUint64Array([bits[0] + 1n]).buffer)[0];
  return next - a;
}

test('WASM tanh is within 2 ulp of Math.tanh from tiny to huge arguments, both signs', () => {
  const next = random(7);
  const ranges: [string, () => number][] = [
    ['[-1, 1]', () => next() * 2 - 1],
    ['around the switch at 0.625', () => (0.6 + next() * 0.05) * (next() < 0.5 ? -1 : 1)],
    ['[-25, 25]', () => next() * 50 - 25],
    ['log-uniform 1e-300 .. 1e300', () => (next() < 0.5 ? -1 : 1) * Math.exp((next() * 2 - 1) * 690)],
  ];
  for (const [name, value] of ranges) {
    const x = filled(20001, value);
    const out = wasmTanh(x);
    let worst = 0;
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, ulpsApart(out[i], Math.tanh(x[i])));
    assert.ok(worst <= 2, `${name}: ${worst} ulp from Math.tanh`);
  }
});

test('WASM tanh keeps ±0, passes NaN, gives ±1 from 22 on and at ±Infinity, and x for tiny x', () => {
  const special = [0, -0, NaN, Infinity, -Infinity, 5e-324, -5e-324, 1e-310, -2.2250738585072014e-308, 1e-20, -3e-17,
    19.1, -21.99, 22, -22, 22.5, 710, -1000, Number.MAX_VALUE, -Number.MAX_VALUE];
  const out = wasmTanh(new Float64Array(special));
  special.forEach((x, i) => assert.ok(Object.is(out[i], Math.tanh(x)), `tanh(${x}) = ${out[i]}, Math.tanh gives ${Math.tanh(x)}`));
});

test('tanhKernel: both paths agree with the plain loop on random sizes (odd, empty, 1, around the threshold)', () => {
  const next = random(11);
  const sizes = [0, 1, 2, 3, 17, WASM_MIN_LENGTH - 1, WASM_MIN_LENGTH, WASM_MIN_LENGTH + 1, 1001, 4097, 16384];
  for (const path of ['wasm-simd', 'typescript'] as const) {
    setFloat64ElementwisePath(path);
    try {
      for (const n of sizes) {
        const x = filled(n, () => (next() * 2 - 1) * 6);
        const out = new Float64Array(n).fill(NaN);
        tanhKernel(x, out);
        const wasm = path === 'wasm-simd' && n >= WASM_MIN_LENGTH;
        for (let i = 0; i < n; i++) {
          const apart = ulpsApart(out[i], Math.tanh(x[i]));
          assert.ok(wasm ? apart <= 2 : apart === 0, `${path}, n=${n}, i=${i}: ${out[i]} vs ${Math.tanh(x[i])}`);
        }
      }
    } finally {
      setFloat64ElementwisePath('wasm-simd');
    }
  }
});

test('tanhKernel: the WASM path is the one taken above the threshold (its results differ from Math.tanh somewhere)', () => {
  const x = filled(4096, random(3));
  const out = new Float64Array(x.length);
  tanhKernel(x, out);
  assert.ok(x.some((v, i) => out[i] !== Math.tanh(v)), 'some value rounds differently from Math.tanh');
  assert.deepEqual(out, wasmTanh(x));
});

test('switched off, the WASM kernels do nothing and say so', () => {
  setFloat64ElementwisePath('typescript');
  try {
    assert.equal(elementwiseFloat64Path(), 'typescript');
    const out = new Float64Array(4);
    assert.equal(tanhF64Wasm(new Float64Array([1, 2, 3, 4]), out), false);
    assert.equal(tanhGradF64Wasm(new Float64Array(4), new Float64Array(4), out), false);
  } finally {
    setFloat64ElementwisePath('wasm-simd');
  }
});

test('tanhGradKernel: dy·(1 - y²) on both paths, rounded exactly as the plain loop', () => {
  const next = random(5);
  for (const path of ['wasm-simd', 'typescript'] as const) {
    setFloat64ElementwisePath(path);
    try {
      for (const n of [0, 1, 3, WASM_MIN_LENGTH - 1, WASM_MIN_LENGTH, 999, 5000]) {
        const dy = filled(n, () => next() * 4 - 2);
        const y = filled(n, () => Math.tanh((next() * 2 - 1) * 5));
        const out = new Float64Array(n).fill(NaN);
        tanhGradKernel(dy, y, out);
        const want = dy.map((d, i) => d * (1 - y[i] * y[i]));
        assert.deepEqual(out, want, `${path}, n=${n}`);
        const viaActivation = new Float64Array(n);
        activationGradKernel(dy, y, viaActivation, 'tanh');
        assert.deepEqual(viaActivation, want);
      }
    } finally {
      setFloat64ElementwisePath('wasm-simd');
    }
  }
  // float32 keeps TF's float32 rounding
  const dy = new Float32Array([0.5, -1.25, 2]);
  const y = new Float32Array([0.9999, -0.3, 0.1]);
  const out = new Float32Array(3);
  tanhGradKernel(dy, y, out);
  assert.deepEqual(out, dy.map((d, i) => Math.fround(d * Math.fround(1 - Math.fround(y[i] * y[i])))));
});

test('bias + tanh (float64): tanh of the sums, on both paths', () => {
  const next = random(9);
  for (const [rows, cols] of [[1, 1], [3, 5], [33, 17], [128, 128]]) {
    const x = filled(rows * cols, () => next() * 4 - 2);
    const bias = filled(cols, () => next() - 0.5);
    const out = new Float64Array(rows * cols);
    biasActivationKernel(x, bias, out, rows, cols, 'tanh');
    for (let i = 0; i < out.length; i++) {
      assert.ok(ulpsApart(out[i], Math.tanh(x[i] + bias[i % cols])) <= 2, `[${rows}, ${cols}] at ${i}`);
    }
  }
});

test('tf.tanh and its gradient in float64 over a large tensor', () => {
  const values = filled(3000, random(13)).map((v) => v * 8 - 4);
  const x = tf.reshape(tf.constant(Array.from(values), 'float64'), [30, 100]);
  const tape = new tf.GradientTape();
  tape.watch(x);
  const y = tape.record(() => tf.tanh(x));
  const dx = tape.gradient(y, x) as ReturnType<typeof tf.tanh>;
  const yv = y.dataSync();
  const dxv = dx.dataSync();
  assert.equal(y.dtype, 'float64');
  for (let i = 0; i < values.length; i++) {
    assert.ok(ulpsApart(yv[i], Math.tanh(values[i])) <= 2);
    assert.equal(dxv[i], 1 - yv[i] * yv[i]);
  }
});
