// @ts-nocheck: AssemblyScript (i32, usize, v128 builtins), compiled by asc, not by tsc.
// AssemblyScript source of the float64 WebAssembly SIMD matmul (compiled by scripts/build_wasm.mjs): the
// float32 kernel's GotoBLAS layout (matmul_f32.as.ts) with f64x2 lanes. op(A) is packed into MR-row panels and
// op(B) into NR-column panels, both p-major, so one register-blocked 4x4 micro-kernel serves all four transpose
// combinations. Memory is owned by the JavaScript loader: it passes byte addresses of regions it laid out.

// Rows of op(A) per micro-tile. 4x4 doubles = 8 f64x2 accumulators + 2 B vectors + 1 broadcast: 11 of 16 xmm.
const MR: i32 = 4;
// Columns of op(B) per micro-tile (two f64x2 vectors).
const NR: i32 = 4;

// Depth per pass over the panels: an A and a B panel slice of KC values of p fit in L1 together.
const KC: i32 = 256;

export function heapBase(): usize {
  return __heap_base;
}

// Packs op(A) (m x k) into ceil(m/MR) panels; panel ip stores op(A)[ip*MR + r, p] at p*MR + r, zero past m.
export function packA(src: usize, dst: usize, m: i32, k: i32, transposeA: bool): void {
  // op(A)[i, p] is at element i*rowStride + p*depthStride.
  const rowStride: usize = transposeA ? 1 : <usize>k;
  const depthStride: usize = transposeA ? <usize>m : 1;
  for (let i0 = 0; i0 < m; i0 += MR) {
    const rows = min(MR, m - i0);
    if (rows == MR && transposeA) {
      // A is [k, m]: the MR values of one p are contiguous.
      let s = src + (<usize>i0 << 3);
      const stride = <usize>m << 3;
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        s += stride;
        dst += 32;
      }
    } else if (rows == MR) {
      // A is [m, k]: four rows read side by side.
      const r0 = src + ((<usize>i0 * rowStride) << 3);
      const rowBytes = rowStride << 3;
      for (let p = 0; p < k; p++) {
        const off = <usize>p << 3;
        store<f64>(dst, load<f64>(r0 + off));
        store<f64>(dst, load<f64>(r0 + rowBytes + off), 8);
        store<f64>(dst, load<f64>(r0 + 2 * rowBytes + off), 16);
        store<f64>(dst, load<f64>(r0 + 3 * rowBytes + off), 24);
        dst += 32;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) {
          store<f64>(dst, r < rows ? load<f64>(src + ((<usize>(i0 + r) * rowStride + <usize>p * depthStride) << 3)) : 0);
          dst += 8;
        }
      }
    }
  }
}

// Packs op(B) (k x n) into ceil(n/NR) panels; panel jp stores op(B)[p, jp*NR + c] at p*NR + c, zero past n.
export function packB(src: usize, dst: usize, k: i32, n: i32, transposeB: bool): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    if (cols == NR && !transposeB) {
      // B is [k, n]: the NR values of one p are contiguous.
      let s = src + (<usize>j0 << 3);
      const stride = <usize>n << 3;
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        s += stride;
        dst += 32;
      }
    } else if (cols == NR) {
      // B is [n, k]: four rows of B become the four columns of the panel.
      const rowBytes = <usize>k << 3;
      const r0 = src + <usize>j0 * rowBytes;
      for (let p = 0; p < k; p++) {
        const off = <usize>p << 3;
        store<f64>(dst, load<f64>(r0 + off));
        store<f64>(dst, load<f64>(r0 + rowBytes + off), 8);
        store<f64>(dst, load<f64>(r0 + 2 * rowBytes + off), 16);
        store<f64>(dst, load<f64>(r0 + 3 * rowBytes + off), 24);
        dst += 32;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let c = 0; c < NR; c++) {
          const j = j0 + c;
          const at = transposeB ? <usize>j * k + p : <usize>p * n + j;
          store<f64>(dst, c < cols ? load<f64>(src + (at << 3)) : 0);
          dst += 8;
        }
      }
    }
  }
}

// c + a * b, fused where the module is built with relaxed SIMD (see matmul_f32.as.ts).
// @ts-ignore: decorator
@inline
function multiplyAdd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f64x2.relaxed_madd(a, b, c);
  return f64x2.add(c, f64x2.mul(a, b));
}

// One MR x NR tile of C = (packed A panel) . (packed B panel) over the full depth k.
// @ts-ignore: decorator
@inline
function microKernel4x4(a: usize, b: usize, c: usize, k: i32, ldcBytes: usize, accumulate: bool): void {
  let c00 = f64x2.splat(0), c01 = f64x2.splat(0);
  let c10 = f64x2.splat(0), c11 = f64x2.splat(0);
  let c20 = f64x2.splat(0), c21 = f64x2.splat(0);
  let c30 = f64x2.splat(0), c31 = f64x2.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldcBytes); c11 = v128.load(c + ldcBytes, 16);
    c20 = v128.load(c + 2 * ldcBytes); c21 = v128.load(c + 2 * ldcBytes, 16);
    c30 = v128.load(c + 3 * ldcBytes); c31 = v128.load(c + 3 * ldcBytes, 16);
  }
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load64_splat(a);
    c00 = multiplyAdd(x, b0, c00);
    c01 = multiplyAdd(x, b1, c01);
    x = v128.load64_splat(a, 8);
    c10 = multiplyAdd(x, b0, c10);
    c11 = multiplyAdd(x, b1, c11);
    x = v128.load64_splat(a, 16);
    c20 = multiplyAdd(x, b0, c20);
    c21 = multiplyAdd(x, b1, c21);
    x = v128.load64_splat(a, 24);
    c30 = multiplyAdd(x, b0, c30);
    c31 = multiplyAdd(x, b1, c31);
    a += 32;
    b += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  c += ldcBytes;
  v128.store(c, c10);
  v128.store(c, c11, 16);
  c += ldcBytes;
  v128.store(c, c20);
  v128.store(c, c21, 16);
  c += ldcBytes;
  v128.store(c, c30);
  v128.store(c, c31, 16);
}

// Rows [ipStart*MR, ipEnd*MR) of C (ceil(m/MR)*MR rows x ldc columns, ldc = ceil(n/NR)*NR) from the packed panels.
export function multiplyPackedRows(aPack: usize, bPack: usize, c: usize, k: i32, n: i32, ipStart: i32, ipEnd: i32): void {
  const bPanels = (n + NR - 1) / NR;
  const ldcBytes = <usize>(bPanels * NR) << 3;
  const aPanelBytes = <usize>k * MR << 3;
  const bPanelBytes = <usize>k * NR << 3;
  // Depth blocks of KC keep one A panel and one B panel slice in L1 together; k = 0 still writes zeros once.
  for (let p0 = 0; p0 < k || p0 == 0; p0 += KC) {
    const depth = min(KC, k - p0);
    const aDepth = <usize>p0 * MR << 3;
    const bDepth = <usize>p0 * NR << 3;
    for (let jp = 0; jp < bPanels; jp++) {
      const b = bPack + <usize>jp * bPanelBytes + bDepth;
      for (let ip = ipStart; ip < ipEnd; ip++) {
        microKernel4x4(aPack + <usize>ip * aPanelBytes + aDepth, b, c + <usize>ip * MR * ldcBytes + (<usize>jp * NR << 3), depth, ldcBytes, p0 > 0);
      }
    }
  }
}

// Row panels claimed one at a time from a shared counter (an i32 at `counter`), as in matmul_f32.as.ts.
export function multiplyClaimedRows(aPack: usize, bPack: usize, c: usize, k: i32, n: i32, rowPanels: i32, counter: usize): i32 {
  let done = 0;
  for (;;) {
    let ip: i32;
    if (ASC_FEATURE_THREADS) {
      ip = atomic.add<i32>(counter, 1);
    } else {
      ip = load<i32>(counter);
      store<i32>(counter, ip + 1);
    }
    if (ip >= rowPanels) break;
    multiplyPackedRows(aPack, bPack, c, k, n, ip, ip + 1);
    done++;
  }
  return done;
}

export function pack(a: usize, b: usize, aPack: usize, bPack: usize,
  m: i32, k: i32, n: i32, transposeA: bool, transposeB: bool): void {
  packA(a, aPack, m, k, transposeA);
  packB(b, bPack, k, n, transposeB);
}

// Whole product on one thread: packs both operands, then multiplies.
export function matmul(a: usize, b: usize, aPack: usize, bPack: usize, c: usize,
  m: i32, k: i32, n: i32, transposeA: bool, transposeB: bool): void {
  pack(a, b, aPack, bPack, m, k, n, transposeA, transposeB);
  multiplyPackedRows(aPack, bPack, c, k, n, 0, (m + MR - 1) / MR);
}

// Matrix-vector products, S stored row-major [rows, cols]. byRows: y[i] = sum_j S[i, j] x[j];
// otherwise y[j] = sum_i S[i, j] x[i], accumulated row by row so every read of S is contiguous.
export function matvec(s: usize, x: usize, y: usize, rows: i32, cols: i32, byRows: bool): void {
  const rowBytes = <usize>cols << 3;
  if (byRows) {
    for (let i = 0; i < rows; i++) {
      const row = s + <usize>i * rowBytes;
      let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const off = <usize>j << 3;
        acc0 = multiplyAdd(v128.load(row + off), v128.load(x + off), acc0);
        acc1 = multiplyAdd(v128.load(row + off, 16), v128.load(x + off, 16), acc1);
      }
      const acc = f64x2.add(acc0, acc1);
      let sum = f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
      for (; j < cols; j++) sum += load<f64>(row + (<usize>j << 3)) * load<f64>(x + (<usize>j << 3));
      store<f64>(y + (<usize>i << 3), sum);
    }
  } else {
    memory.fill(y, 0, rowBytes);
    for (let i = 0; i < rows; i++) {
      const row = s + <usize>i * rowBytes;
      const xi = load<f64>(x + (<usize>i << 3));
      const xs = f64x2.splat(xi);
      let j = 0;
      for (; j + 2 <= cols; j += 2) {
        const off = <usize>j << 3;
        v128.store(y + off, multiplyAdd(xs, v128.load(row + off), v128.load(y + off)));
      }
      for (; j < cols; j++) {
        const off = <usize>j << 3;
        store<f64>(y + off, load<f64>(y + off) + xi * load<f64>(row + off));
      }
    }
  }
}
