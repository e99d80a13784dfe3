// The CNN layers' numeric kernels on both of their paths — the float32 WASM SIMD kernels (conv_wasm.ts: patches
// packed straight into the micro-kernel's panels) and the im2col products through the matmul kernel (float32
// through WASM matmul, float64 through the TypeScript matmul) — against plain reference loops written here, on
// random shapes, strides, paddings and dilations. Pooling's argmax, bias + ReLU, ReLU's gradient and column sums
// must agree bit for bit between the WASM and TypeScript paths (NaN and ties included).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { convKernelsF32 } from '../../../engine/kernels/conv/conv_wasm';
import {
  conv2dBackpropFilterKernel, conv2dBackpropFilterThroughMatmul, conv2dBackpropInputKernel, conv2dBackpropInputThroughMatmul,
  conv2dKernel, conv2dThroughMatmul,
} from '../../../engine/kernels/conv/conv2d';
import { gatherAtArgmax, maxPoolArgmax, maxPoolKernel } from '../../../engine/kernels/conv/pool2d';
import { activationGradKernel, biasActivationKernel, columnSumKernel } from '../../../engine/kernels/fused';
import type { ConvGeometry } from '../../../engine/kernels/conv/conv_geometry';
import { windowGeometry, type Padding } from '../../../engine/shape/conv_shape';
import { makeRng } from '../../../engine/ops/random';

const rng = makeRng(14);
const randInt = (lo: number, hi: number) => lo + Math.floor(rng() * (hi - lo + 1));
const wasm = convKernelsF32;
const noWasm = wasm === null ? 'this runtime has no WASM SIMD' : false;

function random(length: number): Float64Array {
  return Float64Array.from({ length }, () => rng() * 2 - 1);
}

function imageSize(g: ConvGeometry): number {
  return g.batch * g.inHeight * g.inWidth * g.inChannels;
}

function outputSize(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth * g.outChannels;
}

/** Calls visit(outIndex, inIndex, filterIndex) for every multiply-add of the convolution, in plain nested loops. */
function forEachTap(g: ConvGeometry, visit: (o: number, i: number, f: number) => void): void {
  for (let b = 0; b < g.batch; b++) for (let oy = 0; oy < g.outHeight; oy++) for (let ox = 0; ox < g.outWidth; ox++) {
    for (let ky = 0; ky < g.filterHeight; ky++) for (let kx = 0; kx < g.filterWidth; kx++) {
      const iy = oy * g.strideHeight - g.padTop + ky * g.dilationHeight;
      const ix = ox * g.strideWidth - g.padLeft + kx * g.dilationWidth;
      if (iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth) continue;
      for (let c = 0; c < g.inChannels; c++) for (let n = 0; n < g.outChannels; n++) {
        visit(((b * g.outHeight + oy) * g.outWidth + ox) * g.outChannels + n,
          ((b * g.inHeight + iy) * g.inWidth + ix) * g.inChannels + c,
          ((ky * g.filterWidth + kx) * g.inChannels + c) * g.outChannels + n);
      }
    }
  }
}

function reference(g: ConvGeometry, x: Float64Array, f: Float64Array, dy: Float64Array) {
  const out = new Float64Array(outputSize(g)), dx = new Float64Array(imageSize(g)), df = new Float64Array(f.length);
  forEachTap(g, (o, i, k) => {
    out[o] += x[i] * f[k];
    dx[i] += dy[o] * f[k];
    df[k] += x[i] * dy[o];
  });
  return { out, dx, df };
}

function assertClose(got: ArrayLike<number>, want: Float64Array, what: string): void {
  assert.equal(got.length, want.length, `${what}: length`);
  let scale = 1;
  for (const v of want) scale = Math.max(scale, Math.abs(v));
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 2e-5 * scale)) assert.fail(`${what}: element ${i} is ${got[i]}, the reference says ${want[i]}`);
  }
}

interface Case { g: ConvGeometry; label: string }

/** Random convolutions; the last few cross the WASM kernel's tile and block edges (positions past 256, n not a multiple of 8). */
function randomCases(count: number): Case[] {
  const cases: Case[] = [];
  const fixed: Array<[number[], number[], number | number[], Padding, number | number[]]> = [
    [[2, 13, 13, 32], [3, 3, 32, 64], 1, 'VALID', 1],
    [[3, 12, 11, 1], [3, 3, 1, 12], 1, 'SAME', 1],
    [[1, 20, 19, 6], [3, 2, 6, 9], [2, 1], 'SAME', 1],
    [[2, 9, 9, 8], [3, 3, 8, 5], 1, [[0, 0], [2, 1], [0, 2], [0, 0]], [1, 2]],
  ];
  for (const [xs, fs, strides, padding, dilations] of fixed) {
    const g = windowGeometry('test', xs, { filterHeight: fs[0], filterWidth: fs[1], strides, dilations, padding }, fs[3]);
    cases.push({ g, label: `x ${JSON.stringify(xs)} filter ${JSON.stringify(fs)} strides ${JSON.stringify(strides)} ${JSON.stringify(padding)} dilations ${JSON.stringify(dilations)}` });
  }
  while (cases.length < count + fixed.length) {
    const xs = [randInt(1, 3), randInt(3, 12), randInt(3, 12), [1, 2, 3, 4, 5, 8][randInt(0, 5)]];
    const fs = [randInt(1, 4), randInt(1, 4), xs[3], randInt(1, 17)];
    const strides = [randInt(1, 3), randInt(1, 3)];
    const dilations = strides[0] === 1 && strides[1] === 1 ? [randInt(1, 2), randInt(1, 2)] : [1, 1];
    const padding: Padding = rng() < 0.4 ? 'SAME' : rng() < 0.6 ? 'VALID' : [[0, 0], [randInt(0, 2), randInt(0, 2)], [randInt(0, 2), randInt(0, 2)], [0, 0]];
    let g: ConvGeometry;
    try {
      g = windowGeometry('test', xs, { filterHeight: fs[0], filterWidth: fs[1], strides, dilations, padding }, fs[3]);
    } catch {
      continue;
    }
    if (g.outHeight < 1 || g.outWidth < 1) continue;
    cases.push({ g, label: `x ${JSON.stringify(xs)} filter ${JSON.stringify(fs)} strides ${JSON.stringify(strides)} ${JSON.stringify(padding)} dilations ${JSON.stringify(dilations)}` });
  }
  return cases;
}

test('conv2d forward, input gradient and filter gradient: WASM SIMD kernels, WASM matmul and TypeScript matmul paths all equal the reference loops', { skip: noWasm }, () => {
  for (const { g, label } of randomCases(40)) {
    const x = random(imageSize(g)), f = random(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels), dy = random(outputSize(g));
    const want = reference(g, x, f, dy);
    const x32 = Float32Array.from(x), f32 = Float32Array.from(f), dy32 = Float32Array.from(dy);
    const paths: Array<[string, (out: Float32Array | Float64Array) => void, (dx: Float32Array | Float64Array) => void, (df: Float32Array | Float64Array) => void, () => Float32Array | Float64Array, () => Float32Array | Float64Array, () => Float32Array | Float64Array]> = [
      ['WASM SIMD kernels', (o) => wasm!.conv2d(x32, f32, g, o as Float32Array), (d) => wasm!.conv2dBackpropInput(dy32, f32, g, d as Float32Array), (d) => wasm!.conv2dBackpropFilter(x32, dy32, g, d as Float32Array),
        () => new Float32Array(outputSize(g)), () => new Float32Array(x.length), () => new Float32Array(f.length)],
      ['float32 dispatch', (o) => conv2dKernel(x32, f32, g, o as Float32Array), (d) => conv2dBackpropInputKernel(dy32, f32, g, d as Float32Array), (d) => conv2dBackpropFilterKernel(x32, dy32, g, d as Float32Array),
        () => new Float32Array(outputSize(g)), () => new Float32Array(x.length), () => new Float32Array(f.length)],
      ['im2col through WASM matmul (float32)', (o) => conv2dThroughMatmul(x32, f32, g, o as Float32Array), (d) => conv2dBackpropInputThroughMatmul(dy32, f32, g, d as Float32Array), (d) => conv2dBackpropFilterThroughMatmul(x32, dy32, g, d as Float32Array),
        () => new Float32Array(outputSize(g)), () => new Float32Array(x.length), () => new Float32Array(f.length)],
      ['im2col through TypeScript matmul (float64)', (o) => conv2dThroughMatmul(x, f, g, o as Float64Array), (d) => conv2dBackpropInputThroughMatmul(dy, f, g, d as Float64Array), (d) => conv2dBackpropFilterThroughMatmul(x, dy, g, d as Float64Array),
        () => new Float64Array(outputSize(g)), () => new Float64Array(x.length), () => new Float64Array(f.length)],
    ];
    for (const [path, forward, backpropInput, backpropFilter, newOut, newDx, newDf] of paths) {
      const out = newOut(), dx = newDx().fill(7), df = newDf().fill(7);
      forward(out);
      backpropInput(dx);
      backpropFilter(df);
      assertClose(out, want.out, `${path} forward, ${label}`);
      assertClose(dx, want.dx, `${path} input gradient, ${label}`);
      assertClose(df, want.df, `${path} filter gradient, ${label}`);
    }
  }
});

/** Window maxima and argmax by brute force: the first maximum in row-major window order, NaN winning. */
function referenceMaxPool(x: Float32Array, g: ConvGeometry): { out: Float32Array; argmax: Int32Array } {
  const C = g.inChannels;
  const n = g.batch * g.outHeight * g.outWidth * C;
  const out = new Float32Array(n), argmax = new Int32Array(n);
  for (let b = 0; b < g.batch; b++) for (let oy = 0; oy < g.outHeight; oy++) for (let ox = 0; ox < g.outWidth; ox++) for (let c = 0; c < C; c++) {
    let best = NaN, at = -1;
    for (let ky = 0; ky < g.filterHeight; ky++) for (let kx = 0; kx < g.filterWidth; kx++) {
      const iy = oy * g.strideHeight - g.padTop + ky, ix = ox * g.strideWidth - g.padLeft + kx;
      if (iy < 0 || iy >= g.inHeight || ix < 0 || ix >= g.inWidth) continue;
      const i = ((b * g.inHeight + iy) * g.inWidth + ix) * C + c;
      if (at < 0 || x[i] > best || (Number.isNaN(x[i]) && !Number.isNaN(best))) { best = x[i]; at = i; }
    }
    const o = ((b * g.outHeight + oy) * g.outWidth + ox) * C + c;
    out[o] = best;
    argmax[o] = at;
  }
  return { out, argmax };
}

test('max pooling: the WASM kernel and the TypeScript argmax give the reference maxima and the same first-maximum index (ties, NaN, padding)', { skip: noWasm }, () => {
  for (let t = 0; t < 40; t++) {
    const xs = [randInt(1, 3), randInt(3, 11), randInt(3, 11), [1, 3, 4, 8, 9][randInt(0, 4)]];
    const k = [randInt(1, 3), randInt(1, 3)];
    const strides = [randInt(1, 3), randInt(1, 3)];
    const g = windowGeometry('test', xs, { filterHeight: k[0], filterWidth: k[1], strides, padding: t % 2 ? 'SAME' : 'VALID' }, xs[3]);
    if (g.outHeight < 1 || g.outWidth < 1) continue;
    // values from a few levels, so ties are common, and a NaN now and then
    const x = Float32Array.from({ length: imageSize(g) }, () => (rng() < 0.03 ? NaN : randInt(-2, 2)));
    const want = referenceMaxPool(x, g);
    const out = new Float32Array(want.out.length), argmax = new Int32Array(want.out.length);
    wasm!.maxPool(x, g, out, argmax);
    const label = `x ${JSON.stringify(xs)} window ${JSON.stringify(k)} strides ${JSON.stringify(strides)}`;
    assert.deepEqual(Array.from(argmax), Array.from(want.argmax), `WASM argmax, ${label}`);
    assert.deepEqual(Array.from(out), Array.from(want.out), `WASM maxima, ${label}`);
    const tsArgmax = maxPoolArgmax(x, g);
    const tsOut = new Float32Array(want.out.length);
    gatherAtArgmax(x, tsArgmax, tsOut);
    assert.deepEqual(Array.from(tsArgmax), Array.from(want.argmax), `TypeScript argmax, ${label}`);
    assert.deepEqual(Array.from(tsOut), Array.from(want.out), `TypeScript maxima, ${label}`);
    const dispatched = new Float32Array(want.out.length);
    assert.deepEqual(Array.from(maxPoolKernel(x, g, dispatched)), Array.from(want.argmax), `dispatched argmax, ${label}`);
  }
});

test('bias + ReLU, ReLU gradient and column sums: the WASM kernels equal the TypeScript loops bit for bit (NaN gives 0 through ReLU)', { skip: noWasm }, () => {
  for (const [rows, cols] of [[7, 5], [60, 32], [33, 64], [1, 3]]) {
    // below the WASM threshold the kernels functions run their TypeScript loops on the same float32 data
    const x = Float32Array.from({ length: rows * cols }, (_, i) => (i % 11 === 3 ? NaN : i % 13 === 0 ? -0 : rng() * 2 - 1));
    const bias = Float32Array.from({ length: cols }, () => rng() - 0.5);
    for (const relu of [false, true]) {
      const viaWasm = new Float32Array(x.length), viaTs = new Float32Array(x.length);
      wasm!.biasActivation(x, bias, viaWasm, rows, cols, relu);
      biasActivationKernel(x, bias, viaTs, rows, cols, relu ? 'relu' : 'linear');
      assert.deepEqual(Array.from(viaWasm), Array.from(viaTs), `bias${relu ? ' + ReLU' : ''} [${rows}, ${cols}]`);
    }
    const dy = Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1);
    const gradWasm = new Float32Array(x.length), gradTs = new Float32Array(x.length);
    wasm!.reluGrad(dy, x, gradWasm);
    activationGradKernel(dy, x, gradTs, 'relu');
    assert.deepEqual(Array.from(gradWasm), Array.from(gradTs), `ReLU gradient [${rows}, ${cols}]`);
    const sumWasm = new Float32Array(cols), sumTs = new Float32Array(cols);
    wasm!.columnSum(dy, sumWasm, rows, cols);
    columnSumKernel(dy, sumTs, rows, cols);
    assert.deepEqual(Array.from(sumWasm), Array.from(sumTs), `column sums [${rows}, ${cols}]`);
  }
  // above the threshold the kernel functions dispatch to WASM; the float64 loops agree up to float32 rounding
  const rows = 300, cols = 32;
  const x = Float32Array.from({ length: rows * cols }, () => rng() * 2 - 1), bias = Float32Array.from({ length: cols }, () => rng() - 0.5);
  const out = new Float32Array(x.length), out64 = new Float64Array(x.length);
  biasActivationKernel(x, bias, out, rows, cols, 'relu');
  biasActivationKernel(Float64Array.from(x), Float64Array.from(bias), out64, rows, cols, 'relu');
  assertClose(out, out64, 'dispatched bias + ReLU');
  const sums = new Float32Array(cols), sums64 = new Float64Array(cols);
  columnSumKernel(x, sums, rows, cols);
  columnSumKernel(Float64Array.from(x), sums64, rows, cols);
  assertClose(sums, sums64, 'dispatched column sums');
});
