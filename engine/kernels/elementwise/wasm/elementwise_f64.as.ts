// @ts-nocheck: AssemblyScript (i32, usize, v128 builtins), compiled by asc, not by tsc.
// AssemblyScript source of the float64 elementwise kernels (compiled by scripts/build_wasm.mjs), two values per
// f64x2 instruction: tanh and its gradient from the output, the hot elementwise steps of a float64 gradient
// check. Each works in place on a region the JavaScript loader copied in (byte addresses, n values).

export function heapBase(): usize {
  return __heap_base;
}

// tanh(z) = z + z·s·P(s)/Q(s), s = z², on |z| < 0.625 (Cephes tanh.c: peak relative error 2.5e-16).
const SMALL_LIMIT: f64 = 0.625;
const P0: f64 = -9.64399179425052238628e-1;
const P1: f64 = -9.92877231001918586564e1;
const P2: f64 = -1.61468768441708447952e3;
const Q0: f64 = 1.12811678491632931402e2;
const Q1: f64 = 2.23548839060100448583e3;
const Q2: f64 = 4.84406305325125486048e3;
// Above this |z|, 1 - 2/(e^{2z} + 1) rounds to 1; clamping there keeps e^{2z} far from overflow.
const ONE_LIMIT: f64 = 22;
// e^t = 2^n · e^r, n = round(t / ln 2), r = t - n·ln 2 (ln 2 in two parts, C1 exact in few bits), with e^r from
// Cephes exp.c's rational form.
const LOG2E: f64 = 1.4426950408889634073599;
const C1: f64 = 6.93145751953125e-1;
const C2: f64 = 1.42860682030941723212e-6;
const EP0: f64 = 1.26177193074810590878e-4;
const EP1: f64 = 3.02994407707441961300e-2;
const EP2: f64 = 9.99999999999999999910e-1;
const EQ0: f64 = 3.00198505138664455042e-6;
const EQ1: f64 = 2.52448340349684104192e-3;
const EQ2: f64 = 2.27265548208155028766e-1;
const EQ3: f64 = 2.00000000000000000009e0;
const ROUND_SHIFT: f64 = 6755399441055744; // 1.5·2^52
const SIGN_BIT: u64 = 0x8000000000000000;

// x[i] = tanh(x[i]) for i < n, two values per step (the loader pads the region to an even count, so the last
// step may compute one value past n). Below SMALL_LIMIT tanh(z) = z + z·s·(P/Q); above, with
// e^{2z} = 2^k·(q + p)/(q - p) (exp's rational form), 1 - 2/(e^{2z} + 1) = 1 - 2(q - p) / (2^k·(q + p) + (q - p)):
// one division serves both. ±0 and NaN pass through, ±Infinity gives ±1. The constants are hoisted into locals
// (registers) because V8 otherwise rebuilds every v128 constant on each step.
export function tanh(x: usize, n: i32): void {
  const smallLimit = f64x2.splat(SMALL_LIMIT), oneLimit = f64x2.splat(ONE_LIMIT), one = f64x2.splat(1);
  const p0 = f64x2.splat(P0), p1 = f64x2.splat(P1), p2 = f64x2.splat(P2);
  const q0 = f64x2.splat(Q0), q1 = f64x2.splat(Q1), q2 = f64x2.splat(Q2);
  const log2e = f64x2.splat(LOG2E), roundShift = f64x2.splat(ROUND_SHIFT), c1 = f64x2.splat(C1), c2 = f64x2.splat(C2);
  const ep0 = f64x2.splat(EP0), ep1 = f64x2.splat(EP1), ep2 = f64x2.splat(EP2);
  const eq0 = f64x2.splat(EQ0), eq1 = f64x2.splat(EQ1), eq2 = f64x2.splat(EQ2), eq3 = f64x2.splat(EQ3);
  const bias = i64x2.splat(1023), signBit = i64x2.splat(SIGN_BIT);
  const end = x + (<usize>n << 3);
  for (let at = x; at < end; at += 16) {
    const v = v128.load(at);
    const z = f64x2.abs(v);
    const isSmall = f64x2.lt(z, smallLimit);
    const s = f64x2.mul(z, z);
    const p = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(p0, s), p1), s), p2);
    const q = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(s, q0), s), q1), s), q2);
    // e^t, t = 2·min(z, ONE_LIMIT): k = round(t / ln 2), r = t - k·ln 2
    const zc = f64x2.min(z, oneLimit);
    const t = f64x2.add(zc, zc);
    // adding 1.5·2^52 rounds t/ln 2 to the integer k and leaves k in the low bits of the sum
    const shifted = f64x2.add(f64x2.mul(t, log2e), roundShift);
    const k = f64x2.sub(shifted, roundShift);
    const r = f64x2.sub(f64x2.sub(t, f64x2.mul(k, c1)), f64x2.mul(k, c2));
    const rr = f64x2.mul(r, r);
    const px = f64x2.mul(r, f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(ep0, rr), ep1), rr), ep2));
    const qx = f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(f64x2.add(f64x2.mul(eq0, rr), eq1), rr), eq2), rr), eq3);
    const twoToK = i64x2.shl(i64x2.add(shifted, bias), 52);
    const below = f64x2.sub(qx, px);
    const numerator = v128.bitselect(p, f64x2.add(below, below), isSmall);
    const denominator = v128.bitselect(q, f64x2.add(f64x2.mul(twoToK, f64x2.add(qx, px)), below), isSmall);
    const quotient = f64x2.div(numerator, denominator);
    const magnitude = v128.bitselect(f64x2.add(z, f64x2.mul(f64x2.mul(z, s), quotient)), f64x2.sub(one, quotient), isSmall);
    const signed = v128.or(magnitude, v128.and(v, signBit));
    v128.store(at, v128.bitselect(v, signed, f64x2.ne(v, v)));
  }
}

// dy[i] = dy[i] · (1 - y[i]²) for i < n (padded to pairs like tanh): tanh's gradient from its output, rounded
// as the TypeScript loop rounds.
export function tanhGrad(dy: usize, y: usize, n: i32): void {
  const one = f64x2.splat(1);
  const bytes = <usize>n << 3;
  for (let at: usize = 0; at < bytes; at += 16) {
    const yi = v128.load(y + at);
    v128.store(dy + at, f64x2.mul(v128.load(dy + at), f64x2.sub(one, f64x2.mul(yi, yi))));
  }
}
