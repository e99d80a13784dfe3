// @ts-nocheck: AssemblyScript (i32, usize, v128 builtins), compiled by asc, not by tsc.
// AssemblyScript source of the float32 WebAssembly SIMD matmul (compiled by scripts/build_wasm.mjs).
// GotoBLAS-style: op(A) is packed into MR-row panels and op(B) into NR-column panels, both laid out
// p-major, so one register-blocked micro-kernel serves all four transpose combinations and the
// transposes are absorbed by the packing (never materialised as separate matrices).
// Memory is owned by the JavaScript loader: it passes byte addresses of regions it laid out.

// Rows of op(A) per micro-tile. 4x8 keeps 8 accumulators + 2 B vectors + 1 broadcast in 16 xmm registers.
const MR: i32 = 4;
// Columns of op(B) per micro-tile (two f32x4 vectors).
const NR: i32 = 8;

// Depth per pass over the panels: an A and a B panel slice of KC values of p fit in L1 together.
const KC: i32 = 256;

export function heapBase(): usize {
  return __heap_base;
}

// 4x4 transpose of rows x0..x3 stored at dst as columns (dst[q*16 + r*4] = x_r[q]).
// @ts-ignore: decorator
@inline
function storeTransposed4x4(dst: usize, x0: v128, x1: v128, x2: v128, x3: v128, dstStride: usize): void {
  const t0 = v128.shuffle<f32>(x0, x1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(x0, x1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(x2, x3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(x2, x3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

// Packs rows [i0, i0+MR) of op(A) (m x k) into one panel at dst: op(A)[i0 + r, p] at p*MR + r, zero past m.
function packAPanel(src: usize, dst: usize, m: i32, k: i32, i0: i32, transposeA: bool): void {
  const rows = min(MR, m - i0);
  if (transposeA) {
    // A is [k, m]: the MR values of one p are contiguous.
    if (rows == MR) {
      let s = src + (<usize>i0 << 2);
      const stride = <usize>m << 2;
      for (let p = 0; p < k; p++) {
        v128.store(dst, v128.load(s));
        s += stride;
        dst += 16;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < rows ? load<f32>(src + ((<usize>p * m + i0 + r) << 2)) : 0);
          dst += 4;
        }
      }
    }
  } else {
    // A is [m, k]: MR contiguous rows, transposed four columns at a time.
    const rowBytes = <usize>k << 2;
    if (rows == MR) {
      const r0 = src + <usize>i0 * rowBytes;
      const r1 = r0 + rowBytes;
      const r2 = r1 + rowBytes;
      const r3 = r2 + rowBytes;
      let p = 0;
      for (; p + 4 <= k; p += 4) {
        const off = <usize>p << 2;
        storeTransposed4x4(dst, v128.load(r0 + off), v128.load(r1 + off), v128.load(r2 + off), v128.load(r3 + off), 16);
        dst += 64;
      }
      for (; p < k; p++) {
        const off = <usize>p << 2;
        store<f32>(dst, load<f32>(r0 + off));
        store<f32>(dst, load<f32>(r1 + off), 4);
        store<f32>(dst, load<f32>(r2 + off), 8);
        store<f32>(dst, load<f32>(r3 + off), 12);
        dst += 16;
      }
    } else {
      for (let p = 0; p < k; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(dst, r < rows ? load<f32>(src + ((<usize>(i0 + r) * k + p) << 2)) : 0);
          dst += 4;
        }
      }
    }
  }
}

// Packs op(A) (m x k) into ceil(m/MR) panels, MR*k values each (see packAPanel).
export function packA(src: usize, dst: usize, m: i32, k: i32, transposeA: bool): void {
  const panelBytes = <usize>k * MR << 2;
  for (let i0 = 0; i0 < m; i0 += MR) {
    packAPanel(src, dst, m, k, i0, transposeA);
    dst += panelBytes;
  }
}

// Packs columns [j0, j0+NR) of op(B) (k x n) into one panel at dst: op(B)[p, j0 + c] at p*NR + c, zero past n.
function packBPanel(src: usize, dst: usize, k: i32, n: i32, j0: i32, transposeB: bool): void {
  const cols = min(NR, n - j0);
  if (cols < NR) {
    for (let p = 0; p < k; p++) {
      for (let c = 0; c < NR; c++) {
        const j = j0 + c;
        const at = transposeB ? <usize>j * k + p : <usize>p * n + j;
        store<f32>(dst, c < cols ? load<f32>(src + (at << 2)) : 0);
        dst += 4;
      }
    }
  } else if (!transposeB) {
    // B is [k, n]: the NR values of one p are contiguous.
    let s = src + (<usize>j0 << 2);
    const stride = <usize>n << 2;
    for (let p = 0; p < k; p++) {
      v128.store(dst, v128.load(s));
      v128.store(dst, v128.load(s, 16), 16);
      s += stride;
      dst += 32;
    }
  } else {
    // B is [n, k]: NR contiguous rows, transposed as two 4x4 blocks per four values of p.
    const rowBytes = <usize>k << 2;
    const r0 = src + <usize>j0 * rowBytes;
    const r4 = r0 + 4 * rowBytes;
    let p = 0;
    for (; p + 4 <= k; p += 4) {
      const off = <usize>p << 2;
      storeTransposed4x4(dst, v128.load(r0 + off), v128.load(r0 + rowBytes + off),
        v128.load(r0 + 2 * rowBytes + off), v128.load(r0 + 3 * rowBytes + off), 32);
      storeTransposed4x4(dst + 16, v128.load(r4 + off), v128.load(r4 + rowBytes + off),
        v128.load(r4 + 2 * rowBytes + off), v128.load(r4 + 3 * rowBytes + off), 32);
      dst += 128;
    }
    for (; p < k; p++) {
      const off = <usize>p << 2;
      for (let c = 0; c < NR; c++) {
        store<f32>(dst, load<f32>(r0 + <usize>c * rowBytes + off));
        dst += 4;
      }
    }
  }
}

// Packs op(B) (k x n) into ceil(n/NR) panels, k*NR values each (see packBPanel).
export function packB(src: usize, dst: usize, k: i32, n: i32, transposeB: bool): void {
  const panelBytes = <usize>k * NR << 2;
  for (let j0 = 0; j0 < n; j0 += NR) {
    packBPanel(src, dst, k, n, j0, transposeB);
    dst += panelBytes;
  }
}

// c + a * b. Fused (one rounding, one instruction) when built with relaxed SIMD, which runtimes from V8 11.4
// on (Electron/VS Code, Node 22) accept; the loader falls back to the plain build elsewhere.
// @ts-ignore: decorator
@inline
function multiplyAdd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// One MR x NR tile of C = (packed A panel) . (packed B panel) over the full depth k.
// @ts-ignore: decorator
@inline
function microKernel4x8(a: usize, b: usize, c: usize, k: i32, ldcBytes: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  if (accumulate) {
    c00 = v128.load(c); c01 = v128.load(c, 16);
    c10 = v128.load(c + ldcBytes); c11 = v128.load(c + ldcBytes, 16);
    c20 = v128.load(c + 2 * ldcBytes); c21 = v128.load(c + 2 * ldcBytes, 16);
    c30 = v128.load(c + 3 * ldcBytes); c31 = v128.load(c + 3 * ldcBytes, 16);
  }
  for (let p = 0; p < k; p++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = multiplyAdd(x, b0, c00);
    c01 = multiplyAdd(x, b1, c01);
    x = v128.load32_splat(a, 4);
    c10 = multiplyAdd(x, b0, c10);
    c11 = multiplyAdd(x, b1, c11);
    x = v128.load32_splat(a, 8);
    c20 = multiplyAdd(x, b0, c20);
    c21 = multiplyAdd(x, b1, c21);
    x = v128.load32_splat(a, 12);
    c30 = multiplyAdd(x, b0, c30);
    c31 = multiplyAdd(x, b1, c31);
    a += 16;
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

// The tile rows [ipStart, ipEnd) x tile columns [jpStart, jpEnd) of C (ceil(m/MR)*MR rows x ldc columns,
// ldc = ceil(n/NR)*NR) = op(A) . op(B) from the packed panels. Disjoint blocks let two threads split one product.
function multiplyPackedBlock(aPack: usize, bPack: usize, c: usize, k: i32, n: i32,
  ipStart: i32, ipEnd: i32, jpStart: i32, jpEnd: i32): void {
  const bPanels = (n + NR - 1) / NR;
  const ldcBytes = <usize>(bPanels * NR) << 2;
  const aPanelBytes = <usize>k * MR << 2;
  const bPanelBytes = <usize>k * NR << 2;
  // Depth blocks of KC keep one B panel slice in L1 across the row panels; k = 0 still writes zeros once.
  for (let p0 = 0; p0 < k || p0 == 0; p0 += KC) {
    const depth = min(KC, k - p0);
    const aDepth = <usize>p0 * MR << 2;
    const bDepth = <usize>p0 * NR << 2;
    for (let jp = jpStart; jp < jpEnd; jp++) {
      const b = bPack + <usize>jp * bPanelBytes + bDepth;
      for (let ip = ipStart; ip < ipEnd; ip++) {
        microKernel4x8(aPack + <usize>ip * aPanelBytes + aDepth, b, c + <usize>ip * MR * ldcBytes + (<usize>jp * NR << 2), depth, ldcBytes, p0 > 0);
      }
    }
  }
}

// Rows [ipStart*MR, ipEnd*MR) of C from the packed panels (see multiplyPackedBlock).
export function multiplyPackedRows(aPack: usize, bPack: usize, c: usize, k: i32, n: i32, ipStart: i32, ipEnd: i32): void {
  multiplyPackedBlock(aPack, bPack, c, k, n, ipStart, ipEnd, 0, (n + NR - 1) / NR);
}

// Row panels claimed one at a time from a shared counter (an i32 at `counter`) until all rowPanels are taken.
// Two threads calling this share the work by speed: one that starts late or is preempted simply takes fewer.
// Returns how many panels this caller computed.
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

// An i32 shared by the two threads: atomic in the shared-memory build, plain in the private one (one thread).
// @ts-ignore: decorator
@inline
function claimNext(counter: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.add<i32>(counter, 1);
  const value = load<i32>(counter);
  store<i32>(counter, value + 1);
  return value;
}
// @ts-ignore: decorator
@inline
function stamp(flag: usize, value: i32): void {
  if (ASC_FEATURE_THREADS) atomic.store<i32>(flag, value);
  else store<i32>(flag, value);
}
// @ts-ignore: decorator
@inline
function stamped(flag: usize): i32 {
  if (ASC_FEATURE_THREADS) return atomic.load<i32>(flag);
  return load<i32>(flag);
}

// Waits (briefly: the caller is copying it) until the caller stamps `aStaged` with job (true) or -job (it gave up).
function waitForA(aStaged: usize, job: i32): bool {
  if (!ASC_FEATURE_THREADS) return true;
  for (let spin = 0; ; spin++) {
    const value = atomic.load<i32>(aStaged);
    if (value == job) return true;
    if (value == -job) return false;
    if (spin > 20000) atomic.wait<i32>(aStaged, value, 1000000);
  }
  return false;
}

// Split products, first step, run by both threads: packs the panels claimed from the i32 at `counter` (op(B)'s
// ceil(n/NR) column panels, then op(A)'s ceil(m/MR) row panels, which the caller writes after posting the job),
// stamping each panel's flag (an i32 per panel at `flags`) with `job` once written; then packs every panel still
// unstamped (claimed by the other thread, which may be slow or descheduled) itself, so neither thread ever waits
// for the other. Two threads packing one panel write the same values. Returns false if the caller gave up.
export function packClaimedPanels(a: usize, b: usize, aPack: usize, bPack: usize, m: i32, k: i32, n: i32,
  transposeA: bool, transposeB: bool, counter: usize, flags: usize, aStaged: usize, job: i32): bool {
  const bPanels = (n + NR - 1) / NR;
  const panels = bPanels + (m + MR - 1) / MR;
  let aReady = false;
  for (let pass = 0; pass < 2; pass++) {
    for (let i = 0; ; i++) {
      if (pass == 0) {
        i = claimNext(counter);
      }
      if (i >= panels) break;
      const flag = flags + (<usize>i << 2);
      if (pass == 1 && stamped(flag) == job) continue;
      if (i < bPanels) {
        packBPanel(b, bPack + <usize>i * (<usize>k * NR << 2), k, n, i * NR, transposeB);
      } else {
        if (!aReady && !waitForA(aStaged, job)) return false;
        aReady = true;
        const ip = i - bPanels;
        packAPanel(a, aPack + <usize>ip * (<usize>k * MR << 2), m, k, ip * MR, transposeA);
      }
      stamp(flag, job);
    }
  }
  return true;
}

// Split products, second step: up to maxUnits blocks of C claimed from `counter`, each rowBlock row panels by
// colBlock column panels, row block by row block; each adds one to its row block's i32 at `blockCounts` once
// written, so the caller copies out a row block as soon as all its blocks are in. Blocks at least 16 columns wide
// keep the two threads from writing one cache line of C at once. Returns the blocks computed.
export function multiplyClaimedBlocks(aPack: usize, bPack: usize, c: usize, m: i32, k: i32, n: i32,
  rowBlock: i32, colBlock: i32, counter: usize, blockCounts: usize, maxUnits: i32): i32 {
  const bPanels = (n + NR - 1) / NR;
  const aPanels = (m + MR - 1) / MR;
  const colBlocks = (bPanels + colBlock - 1) / colBlock;
  const units = (aPanels + rowBlock - 1) / rowBlock * colBlocks;
  let done = 0;
  while (done < maxUnits) {
    const unit = claimNext(counter);
    if (unit >= units) break;
    const block = unit / colBlocks;
    const jpStart = (unit - block * colBlocks) * colBlock;
    const ipStart = block * rowBlock;
    multiplyPackedBlock(aPack, bPack, c, k, n, ipStart, min(aPanels, ipStart + rowBlock), jpStart, min(bPanels, jpStart + colBlock));
    if (ASC_FEATURE_THREADS) atomic.add<i32>(blockCounts + (<usize>block << 2), 1);
    else store<i32>(blockCounts + (<usize>block << 2), load<i32>(blockCounts + (<usize>block << 2)) + 1);
    done++;
  }
  return done;
}

export function pack(a: usize, b: usize, aPack: usize, bPack: usize,
  m: i32, k: i32, n: i32, transposeA: bool, transposeB: bool): void {
  packA(a, aPack, m, k, transposeA);
  packB(b, bPack, k, n, transposeB);
}

// Whole product on one thread: packs both operands, then multiplies. Addresses are byte offsets laid out by the loader.
export function matmul(a: usize, b: usize, aPack: usize, bPack: usize, c: usize,
  m: i32, k: i32, n: i32, transposeA: bool, transposeB: bool): void {
  pack(a, b, aPack, bPack, m, k, n, transposeA, transposeB);
  multiplyPackedRows(aPack, bPack, c, k, n, 0, (m + MR - 1) / MR);
}

// Matrix-vector products (one side of the product is a single row or column), memory-bound, so no packing.
// S is stored row-major [rows, cols]. byRows: y[i] = sum_j S[i, j] x[j] (i < rows);
// otherwise y[j] = sum_i S[i, j] x[i] (j < cols), accumulated row by row so every read of S is contiguous.
export function matvec(s: usize, x: usize, y: usize, rows: i32, cols: i32, byRows: bool): void {
  const rowBytes = <usize>cols << 2;
  if (byRows) {
    for (let i = 0; i < rows; i++) {
      const row = s + <usize>i * rowBytes;
      let acc0 = f32x4.splat(0), acc1 = f32x4.splat(0);
      let j = 0;
      for (; j + 8 <= cols; j += 8) {
        const off = <usize>j << 2;
        acc0 = f32x4.add(acc0, f32x4.mul(v128.load(row + off), v128.load(x + off)));
        acc1 = f32x4.add(acc1, f32x4.mul(v128.load(row + off, 16), v128.load(x + off, 16)));
      }
      const acc = f32x4.add(acc0, acc1);
      let sum = f32x4.extract_lane(acc, 0) + f32x4.extract_lane(acc, 1) + f32x4.extract_lane(acc, 2) + f32x4.extract_lane(acc, 3);
      for (; j < cols; j++) sum += load<f32>(row + (<usize>j << 2)) * load<f32>(x + (<usize>j << 2));
      store<f32>(y + (<usize>i << 2), sum);
    }
  } else {
    memory.fill(y, 0, rowBytes);
    for (let i = 0; i < rows; i++) {
      const row = s + <usize>i * rowBytes;
      const xi = load<f32>(x + (<usize>i << 2));
      const xs = f32x4.splat(xi);
      let j = 0;
      for (; j + 4 <= cols; j += 4) {
        const off = <usize>j << 2;
        v128.store(y + off, f32x4.add(v128.load(y + off), f32x4.mul(xs, v128.load(row + off))));
      }
      for (; j < cols; j++) {
        const off = <usize>j << 2;
        store<f32>(y + off, load<f32>(y + off) + xi * load<f32>(row + off));
      }
    }
  }
}
