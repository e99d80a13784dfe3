// @ts-nocheck: AssemblyScript (i32, usize, v128 builtins), compiled by asc, not by tsc.
// Float32 WebAssembly SIMD kernels of a CNN's layers (compiled by scripts/build_wasm.mjs). Convolution runs as a
// register-blocked product whose patch operand is packed straight from the image into the micro-kernel's
// panels, one panel at a time, so no im2col matrix is ever written: forward (patches · filter), input gradient
// (dy · filterᵀ, scattered back onto the image four positions at a time) and filter gradient (patchesᵀ · dy,
// accumulated over blocks of positions). Also max pooling with its argmax, bias + ReLU, ReLU's gradient and
// column sums. Memory is owned by the JavaScript loader (conv_wasm.ts): it copies operands in and passes byte
// addresses; the sizes of the sliding window come once per call through setGeometry.

// Micro-tile: MR output rows × NR output columns (two f32x4), 8 accumulators + 2 B vectors + 1 broadcast.
const MR: i32 = 4;
const NR: i32 = 8;
// Output positions per depth block of the filter gradient: its packed operands (K·256 and 256·N floats) stay in L2.
const FILTER_GRADIENT_BLOCK: i32 = 256;

// Per row of a panel: byte address of the row's image in the operand (0 = no such row), first input row and column.
const ORIGINS: usize = memory.data(64, 16);
// One partial MR × NR tile, written whole by the micro-kernel and copied out row by row.
const TILE: usize = memory.data(MR * NR * 4, 16);
// Per position of a filter-gradient block: the byte address of one tap's input channels (0 = padding).
const SOURCES: usize = memory.data(FILTER_GRADIENT_BLOCK * 4, 16);

let batch: i32 = 0;
let inHeight: i32 = 0;
let inWidth: i32 = 0;
let inChannels: i32 = 0;
let outHeight: i32 = 0;
let outWidth: i32 = 0;
let outChannels: i32 = 0;
let filterHeight: i32 = 0;
let filterWidth: i32 = 0;
let strideHeight: i32 = 0;
let strideWidth: i32 = 0;
let dilationHeight: i32 = 0;
let dilationWidth: i32 = 0;
let padTop: i32 = 0;
let padLeft: i32 = 0;

export function heapBase(): usize {
  return __heap_base;
}

// The window every following kernel slides (the fields of engine/kernels/conv/conv_geometry.ts).
export function setGeometry(b: i32, h: i32, w: i32, c: i32, oh: i32, ow: i32, n: i32, kh: i32, kw: i32,
  sh: i32, sw: i32, dh: i32, dw: i32, pt: i32, pl: i32): void {
  batch = b; inHeight = h; inWidth = w; inChannels = c; outHeight = oh; outWidth = ow; outChannels = n;
  filterHeight = kh; filterWidth = kw; strideHeight = sh; strideWidth = sw; dilationHeight = dh; dilationWidth = dw;
  padTop = pt; padLeft = pl;
}

// c + a * b, fused where the runtime validates relaxed SIMD (the loader picks that build then).
// @ts-ignore: decorator
@inline
function multiplyAdd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

// Rows x0..x3 (4 floats each) stored as columns: dst[q * stride + r * 4] = x_r[q].
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

// One MR × NR tile of C (rows ldcBytes apart) = packed A panel (k × MR, p-major) · packed B panel (k × NR),
// added to what C holds when accumulate.
// @ts-ignore: decorator
@inline
function microKernel(a: usize, b: usize, k: i32, c: usize, ldcBytes: usize, accumulate: bool): void {
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

// A tile of `rows` × `cols` (at most MR × NR) computed into TILE and copied into C (rows ldcBytes apart).
function partialTile(a: usize, b: usize, k: i32, c: usize, ldcBytes: usize, rows: i32, cols: i32): void {
  microKernel(a, b, k, TILE, NR * 4, false);
  for (let r = 0; r < rows; r++) memory.copy(c + <usize>r * ldcBytes, TILE + <usize>(r * NR * 4), <usize>cols << 2);
}

// Packs B (depth × n, row-major with rows rowBytes apart, or the transpose of an n × depth matrix) into
// ceil(n / NR) panels: panel jp holds B[p, jp·NR + q] at p·NR + q, zero past n.
function packB(src: usize, dst: usize, depth: i32, n: i32, rowBytes: usize, transposed: bool): void {
  for (let j0 = 0; j0 < n; j0 += NR) {
    const cols = min(NR, n - j0);
    if (!transposed && cols == NR) {
      let s = src + (<usize>j0 << 2);
      for (let p = 0; p < depth; p++) {
        v128.store(dst, v128.load(s));
        v128.store(dst, v128.load(s, 16), 16);
        s += rowBytes;
        dst += 32;
      }
      continue;
    }
    for (let p = 0; p < depth; p++) {
      for (let q = 0; q < NR; q++) {
        const j = j0 + q;
        const at = transposed ? src + <usize>j * rowBytes + (<usize>p << 2) : src + <usize>p * rowBytes + (<usize>j << 2);
        store<f32>(dst, q < cols ? load<f32>(at) : 0);
        dst += 4;
      }
    }
  }
}

// Records where output positions row0 .. row0 + rows - 1 (of up to MR) start in the image operand at `image`.
function setRowOrigins(image: usize, row0: i32, rows: i32): void {
  const perImage = outHeight * outWidth;
  const imageBytes = <usize>inHeight * inWidth * inChannels << 2;
  for (let r = 0; r < MR; r++) {
    const o = ORIGINS + <usize>(r * 12);
    if (r >= rows) {
      store<usize>(o, 0);
      continue;
    }
    const row = row0 + r;
    const b = row / perImage;
    const rest = row - b * perImage;
    const oy = rest / outWidth;
    const ox = rest - oy * outWidth;
    store<usize>(o, image + <usize>b * imageBytes);
    store<i32>(o, oy * strideHeight - padTop, 4);
    store<i32>(o, ox * strideWidth - padLeft, 8);
  }
}

// Byte address of the input channels under filter tap (ky, kx) for panel row r, or 0 where it is padding.
// @ts-ignore: decorator
@inline
function tapSource(r: i32, ky: i32, kx: i32): usize {
  const o = ORIGINS + <usize>(r * 12);
  const image = load<usize>(o);
  if (image == 0) return 0;
  const iy = load<i32>(o, 4) + ky * dilationHeight;
  if (<u32>iy >= <u32>inHeight) return 0;
  const ix = load<i32>(o, 8) + kx * dilationWidth;
  if (<u32>ix >= <u32>inWidth) return 0;
  return image + (<usize>(iy * inWidth + ix) * inChannels << 2);
}

// @ts-ignore: decorator
@inline
function loadOrZero(at: usize, offset: usize): v128 {
  return at != 0 ? v128.load(at + offset) : f32x4.splat(0);
}

// @ts-ignore: decorator
@inline
function loadScalarOrZero(at: usize, offset: usize): f32 {
  return at != 0 ? load<f32>(at + offset) : 0;
}

// The patch rows of output positions row0 .. row0 + rows - 1 packed as one A panel: dst[p·MR + r] is the input
// value under patch column p = (ky·kw + kx)·C + c for row r, zero in the padding and past `rows`.
function packPatchPanel(x: usize, dst: usize, row0: i32, rows: i32): void {
  setRowOrigins(x, row0, rows);
  const C = inChannels;
  for (let ky = 0; ky < filterHeight; ky++) {
    for (let kx = 0; kx < filterWidth; kx++) {
      const s0 = tapSource(0, ky, kx), s1 = tapSource(1, ky, kx), s2 = tapSource(2, ky, kx), s3 = tapSource(3, ky, kx);
      let c = 0;
      for (; c + 4 <= C; c += 4) {
        const off = <usize>c << 2;
        storeTransposed4x4(dst, loadOrZero(s0, off), loadOrZero(s1, off), loadOrZero(s2, off), loadOrZero(s3, off), 16);
        dst += 64;
      }
      for (; c < C; c++) {
        const off = <usize>c << 2;
        store<f32>(dst, loadScalarOrZero(s0, off));
        store<f32>(dst, loadScalarOrZero(s1, off), 4);
        store<f32>(dst, loadScalarOrZero(s2, off), 8);
        store<f32>(dst, loadScalarOrZero(s3, off), 12);
        dst += 16;
      }
    }
  }
}

// out [positions, n] = patches(x) · filter [K, n]. bPack holds K · ceil(n/NR)·NR floats, aPanel K · MR.
export function conv2dForward(x: usize, filter: usize, out: usize, bPack: usize, aPanel: usize): void {
  const K = filterHeight * filterWidth * inChannels;
  const n = outChannels;
  const positions = batch * outHeight * outWidth;
  packB(filter, bPack, K, n, <usize>n << 2, false);
  const ldcBytes = <usize>n << 2;
  const bPanelBytes = <usize>K * NR << 2;
  for (let row0 = 0; row0 < positions; row0 += MR) {
    const rows = min(MR, positions - row0);
    packPatchPanel(x, aPanel, row0, rows);
    const c = out + <usize>row0 * ldcBytes;
    for (let j0 = 0; j0 < n; j0 += NR) {
      const b = bPack + <usize>(j0 / NR) * bPanelBytes;
      const cols = min(NR, n - j0);
      if (rows == MR && cols == NR) microKernel(aPanel, b, K, c + (<usize>j0 << 2), ldcBytes, false);
      else partialTile(aPanel, b, K, c + (<usize>j0 << 2), ldcBytes, rows, cols);
    }
  }
}

// Rows row0 .. row0 + rows - 1 of a [positions, n] matrix packed as one A panel (dst[p·MR + r], zero past rows).
function packRowPanel(src: usize, dst: usize, row0: i32, rows: i32, n: i32): void {
  const rowBytes = <usize>n << 2;
  const r0 = src + <usize>row0 * rowBytes;
  let p = 0;
  if (rows == MR) {
    for (; p + 4 <= n; p += 4) {
      const off = <usize>p << 2;
      storeTransposed4x4(dst, v128.load(r0 + off), v128.load(r0 + rowBytes + off),
        v128.load(r0 + 2 * rowBytes + off), v128.load(r0 + 3 * rowBytes + off), 16);
      dst += 64;
    }
  }
  for (; p < n; p++) {
    for (let r = 0; r < MR; r++) store<f32>(dst + (<usize>r << 2), r < rows ? load<f32>(r0 + <usize>r * rowBytes + (<usize>p << 2)) : 0);
    dst += 16;
  }
}

// dx [image] += col2im(rows): each of `rows` patch rows (rows ldcBytes apart) added back onto the input values
// it was read from.
function scatterPatchRows(dx: usize, patches: usize, ldcBytes: usize, row0: i32, rows: i32): void {
  setRowOrigins(dx, row0, rows);
  const C = inChannels;
  for (let r = 0; r < rows; r++) {
    let src = patches + <usize>r * ldcBytes;
    for (let ky = 0; ky < filterHeight; ky++) {
      for (let kx = 0; kx < filterWidth; kx++) {
        const to = tapSource(r, ky, kx);
        if (to != 0) {
          let c = 0;
          for (; c + 4 <= C; c += 4) {
            const off = <usize>c << 2;
            v128.store(to + off, f32x4.add(v128.load(to + off), v128.load(src + off)));
          }
          for (; c < C; c++) {
            const off = <usize>c << 2;
            store<f32>(to + off, load<f32>(to + off) + load<f32>(src + off));
          }
        }
        src += <usize>C << 2;
      }
    }
  }
}

// dx [image] = the input gradient of conv2d: (dy [positions, n] · filterᵀ) scattered back by col2im, MR
// positions at a time. bPack holds n · ceil(K/NR)·NR floats, aPanel n · MR, patchRows MR · ceil(K/NR)·NR.
export function conv2dBackpropInput(dy: usize, filter: usize, dx: usize, bPack: usize, aPanel: usize, patchRows: usize): void {
  const K = filterHeight * filterWidth * inChannels;
  const n = outChannels;
  const positions = batch * outHeight * outWidth;
  memory.fill(dx, 0, <usize>batch * inHeight * inWidth * inChannels << 2);
  packB(filter, bPack, n, K, <usize>n << 2, true);
  const kPanels = (K + NR - 1) / NR;
  const ldcBytes = <usize>(kPanels * NR) << 2;
  const bPanelBytes = <usize>n * NR << 2;
  for (let row0 = 0; row0 < positions; row0 += MR) {
    const rows = min(MR, positions - row0);
    packRowPanel(dy, aPanel, row0, rows, n);
    for (let jp = 0; jp < kPanels; jp++) {
      microKernel(aPanel, bPack + <usize>jp * bPanelBytes, n, patchRows + (<usize>(jp * NR) << 2), ldcBytes, false);
    }
    scatterPatchRows(dx, patchRows, ldcBytes, row0, rows);
  }
}

// Byte address (in x) of the input channels under tap (ky, kx) for each position p0 .. p0 + count - 1, or 0
// in the padding, into SOURCES.
function setTapSources(x: usize, p0: i32, count: i32, ky: i32, kx: i32): void {
  const imageBytes = <usize>inHeight * inWidth * inChannels << 2;
  const perImage = outHeight * outWidth;
  let b = p0 / perImage;
  let oy = (p0 - b * perImage) / outWidth;
  let ox = p0 - b * perImage - oy * outWidth;
  let image = x + <usize>b * imageBytes;
  const dy = ky * dilationHeight - padTop;
  const dx = kx * dilationWidth - padLeft;
  for (let p = 0; p < count; p++) {
    const iy = oy * strideHeight + dy;
    const ix = ox * strideWidth + dx;
    const inside = <u32>iy < <u32>inHeight && <u32>ix < <u32>inWidth;
    store<usize>(SOURCES + (<usize>p << 2), inside ? image + (<usize>(iy * inWidth + ix) * inChannels << 2) : 0);
    if (++ox == outWidth) {
      ox = 0;
      if (++oy == outHeight) {
        oy = 0;
        image += imageBytes;
      }
    }
  }
}

// The patch rows of positions p0 .. p0 + count - 1 packed as the A panels of patchesᵀ: patch column kk of
// position p goes to panel kk / MR at p·MR + kk % MR (zero in the padding and past K). Written one tap and
// one panel at a time, so every store is sequential.
function packTransposedPatches(x: usize, dst: usize, p0: i32, count: i32, kPanels: i32): void {
  const C = inChannels;
  const K = filterHeight * filterWidth * C;
  const panelBytes = <usize>count * MR << 2;
  if (K < kPanels * MR) memory.fill(dst + <usize>(kPanels - 1) * panelBytes, 0, panelBytes);
  for (let ky = 0; ky < filterHeight; ky++) {
    for (let kx = 0; kx < filterWidth; kx++) {
      setTapSources(x, p0, count, ky, kx);
      const kk0 = (ky * filterWidth + kx) * C;
      if ((C & 3) == 0) {
        // a tap's four channels are one panel's four lanes
        for (let c = 0; c < C; c += 4) {
          let to = dst + <usize>((kk0 + c) / MR) * panelBytes;
          const off = <usize>c << 2;
          for (let p = 0; p < count; p++, to += 16) v128.store(to, loadOrZero(load<usize>(SOURCES + (<usize>p << 2)), off));
        }
      } else {
        for (let c = 0; c < C; c++) {
          const kk = kk0 + c;
          let to = dst + <usize>(kk / MR) * panelBytes + (<usize>(kk % MR) << 2);
          const off = <usize>c << 2;
          for (let p = 0; p < count; p++, to += 16) store<f32>(to, loadScalarOrZero(load<usize>(SOURCES + (<usize>p << 2)), off));
        }
      }
    }
  }
}

// dfilter [K, n] = patches(x)ᵀ · dy [positions, n], accumulated over blocks of positions into acc
// (ceil(K/MR)·MR × ceil(n/NR)·NR floats), then copied compact. aPack holds ceil(K/MR)·MR · 256 floats,
// bPack 256 · ceil(n/NR)·NR.
export function conv2dBackpropFilter(x: usize, dy: usize, dfilter: usize, aPack: usize, bPack: usize, acc: usize): void {
  const K = filterHeight * filterWidth * inChannels;
  const n = outChannels;
  const positions = batch * outHeight * outWidth;
  const kPanels = (K + MR - 1) / MR;
  const nPanels = (n + NR - 1) / NR;
  const ldcBytes = <usize>(nPanels * NR) << 2;
  memory.fill(acc, 0, <usize>kPanels * MR * ldcBytes);
  for (let p0 = 0; p0 < positions; p0 += FILTER_GRADIENT_BLOCK) {
    const count = min(FILTER_GRADIENT_BLOCK, positions - p0);
    packTransposedPatches(x, aPack, p0, count, kPanels);
    packB(dy + (<usize>p0 * n << 2), bPack, count, n, <usize>n << 2, false);
    const aPanelBytes = <usize>count * MR << 2;
    const bPanelBytes = <usize>count * NR << 2;
    for (let ip = 0; ip < kPanels; ip++) {
      const a = aPack + <usize>ip * aPanelBytes;
      const c = acc + <usize>(ip * MR) * ldcBytes;
      for (let jp = 0; jp < nPanels; jp++) microKernel(a, bPack + <usize>jp * bPanelBytes, count, c + (<usize>(jp * NR) << 2), ldcBytes, true);
    }
  }
  for (let r = 0; r < K; r++) memory.copy(dfilter + (<usize>r * n << 2), acc + <usize>r * ldcBytes, <usize>n << 2);
}

// Max pooling: out[i] = the window's maximum and argmax[i] its flat index into x (the first maximum in
// row-major window order; a NaN wins, as it propagates in TF). Channels four at a time.
export function maxPool(x: usize, out: usize, argmax: usize): void {
  const C = inChannels;
  const W = inWidth;
  let outAt: i32 = 0;
  for (let b = 0; b < batch; b++) {
    const image = b * inHeight * W * C;
    for (let oy = 0; oy < outHeight; oy++) {
      const top = oy * strideHeight - padTop;
      const y0 = max(top, 0), y1 = min(top + filterHeight, inHeight);
      for (let ox = 0; ox < outWidth; ox++, outAt += C) {
        const left = ox * strideWidth - padLeft;
        const x0 = max(left, 0), x1 = min(left + filterWidth, W);
        const first = image + (y0 * W + x0) * C;
        let c = 0;
        for (; c + 4 <= C; c += 4) {
          let best = v128.load(x + (<usize>(first + c) << 2));
          let index = i32x4.add(i32x4.splat(first + c), i32x4(0, 1, 2, 3));
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
              const at = image + (iy * W + ix) * C + c;
              const v = v128.load(x + (<usize>at << 2));
              const take = v128.or(f32x4.gt(v, best), v128.and(f32x4.ne(v, v), f32x4.eq(best, best)));
              best = v128.bitselect(v, best, take);
              index = v128.bitselect(i32x4.add(i32x4.splat(at), i32x4(0, 1, 2, 3)), index, take);
            }
          }
          v128.store(out + (<usize>(outAt + c) << 2), best);
          v128.store(argmax + (<usize>(outAt + c) << 2), index);
        }
        for (; c < C; c++) {
          let best = load<f32>(x + (<usize>(first + c) << 2));
          let index = first + c;
          for (let iy = y0; iy < y1; iy++) {
            for (let ix = iy == y0 ? x0 + 1 : x0; ix < x1; ix++) {
              const at = image + (iy * W + ix) * C + c;
              const v = load<f32>(x + (<usize>at << 2));
              if (v > best || (v != v && best == best)) { best = v; index = at; }
            }
          }
          store<f32>(out + (<usize>(outAt + c) << 2), best);
          store<i32>(argmax + (<usize>(outAt + c) << 2), index);
        }
      }
    }
  }
}

// out[r, c] = x[r, c] + bias[c], then max(·, 0) when relu (a NaN gives 0, as `v > 0 ? v : 0`).
export function biasActivation(x: usize, bias: usize, out: usize, rows: i32, cols: i32, relu: bool): void {
  const zero = f32x4.splat(0);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const off = <usize>c << 2;
      const v = f32x4.add(v128.load(x + off), v128.load(bias + off));
      v128.store(out + off, relu ? v128.and(v, f32x4.gt(v, zero)) : v);
    }
    for (; c < cols; c++) {
      const off = <usize>c << 2;
      const v = load<f32>(x + off) + load<f32>(bias + off);
      store<f32>(out + off, relu ? (v > 0 ? v : 0) : v);
    }
    x += rowBytes;
    out += rowBytes;
  }
}

// out[i] = y[i] > 0 ? dy[i] : 0 (ReLU's gradient from its output).
export function reluGrad(dy: usize, y: usize, out: usize, length: i32): void {
  const zero = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= length; i += 4) {
    const off = <usize>i << 2;
    v128.store(out + off, v128.and(v128.load(dy + off), f32x4.gt(v128.load(y + off), zero)));
  }
  for (; i < length; i++) {
    const off = <usize>i << 2;
    store<f32>(out + off, load<f32>(y + off) > 0 ? load<f32>(dy + off) : 0);
  }
}

// out[c] = Σ_r x[r, c], row by row (the same order, so the same float32 sums, as the TypeScript kernel).
export function columnSum(x: usize, out: usize, rows: i32, cols: i32): void {
  memory.fill(out, 0, <usize>cols << 2);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    let c = 0;
    for (; c + 4 <= cols; c += 4) {
      const off = <usize>c << 2;
      v128.store(out + off, f32x4.add(v128.load(out + off), v128.load(x + off)));
    }
    for (; c < cols; c++) {
      const off = <usize>c << 2;
      store<f32>(out + off, load<f32>(out + off) + load<f32>(x + off));
    }
    x += rowBytes;
  }
}
