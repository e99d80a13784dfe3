// Loader for the float32 WebAssembly SIMD kernels of the CNN layers (wasm/conv_f32.as.ts, compiled by
// scripts/build_wasm.mjs and embedded as base64). One private linear memory, laid out per call as the operands
// followed by the kernel's small packing buffers; it only grows, so a training loop reuses the same pages.
// Each call copies its operands in and its result out (two memcpy passes): the packing, the products and
// the scatters all run inside. Null where the runtime lacks WASM SIMD (or refuses to compile the module
// synchronously, as a browser's main thread does above 4 KB): callers then use the TypeScript kernels.
import type { ConvGeometry } from './conv_geometry';
import { convF32RelaxedWasmBase64, convF32WasmBase64 } from './wasm/conv_wasm_bytes.generated';

interface ConvExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  setGeometry(b: number, h: number, w: number, c: number, oh: number, ow: number, n: number, kh: number, kw: number,
    sh: number, sw: number, dh: number, dw: number, pt: number, pl: number): void;
  conv2dForward(x: number, filter: number, out: number, bPack: number, aPanel: number): void;
  conv2dBackpropInput(dy: number, filter: number, dx: number, bPack: number, aPanel: number, patchRows: number): void;
  conv2dBackpropFilter(x: number, dy: number, dfilter: number, aPack: number, bPack: number, acc: number): void;
  maxPool(x: number, out: number, argmax: number): void;
  biasActivation(x: number, bias: number, out: number, rows: number, cols: number, relu: number): void;
  reluGrad(dy: number, y: number, out: number, length: number): void;
  columnSum(x: number, out: number, rows: number, cols: number): void;
}

/** The kernel's tile (wasm/conv_f32.as.ts: MR rows × NR columns) and the filter gradient's depth block. */
const MR = 4;
const NR = 8;
const FILTER_GRADIENT_BLOCK = 256;
const WASM_PAGE_BYTES = 65536;

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

function patchLength(g: ConvGeometry): number {
  return g.filterHeight * g.filterWidth * g.inChannels;
}

function imageLength(g: ConvGeometry): number {
  return g.batch * g.inHeight * g.inWidth * g.inChannels;
}

function outputLength(g: ConvGeometry): number {
  return g.batch * g.outHeight * g.outWidth * g.outChannels;
}

export class ConvKernelsF32 {
  private floats: Float32Array;
  private readonly firstFreeByte: number;

  constructor(private readonly kernel: ConvExports) {
    this.floats = new Float32Array(kernel.memory.buffer);
    this.firstFreeByte = roundUp(kernel.heapBase(), 16);
  }

  /** Bytes of linear memory reserved (grows to the largest call seen). */
  get memoryBytes(): number {
    return this.kernel.memory.buffer.byteLength;
  }

  /** out [b, oh, ow, n] = conv2d(x [b, h, w, c], filter [kh, kw, c, n]). */
  conv2d(x: Float32Array, filter: Float32Array, g: ConvGeometry, out: Float32Array): void {
    const k = patchLength(g);
    const [xAt, fAt, outAt, bPackAt, aPanelAt] = this.layout([imageLength(g), k * g.outChannels, outputLength(g),
      k * roundUp(g.outChannels, NR), k * MR]);
    this.put(x, xAt, imageLength(g));
    this.put(filter, fAt, k * g.outChannels);
    this.setGeometry(g);
    this.kernel.conv2dForward(xAt, fAt, outAt, bPackAt, aPanelAt);
    this.take(outAt, out, outputLength(g));
  }

  /** dx [b, h, w, c] = conv2d's input gradient for dy [b, oh, ow, n]. */
  conv2dBackpropInput(dy: Float32Array, filter: Float32Array, g: ConvGeometry, dx: Float32Array): void {
    const k = patchLength(g);
    const n = g.outChannels;
    const [dyAt, fAt, dxAt, bPackAt, aPanelAt, rowsAt] = this.layout([outputLength(g), k * n, imageLength(g),
      n * roundUp(k, NR), n * MR, MR * roundUp(k, NR)]);
    this.put(dy, dyAt, outputLength(g));
    this.put(filter, fAt, k * n);
    this.setGeometry(g);
    this.kernel.conv2dBackpropInput(dyAt, fAt, dxAt, bPackAt, aPanelAt, rowsAt);
    this.take(dxAt, dx, imageLength(g));
  }

  /** dfilter [kh, kw, c, n] = conv2d's filter gradient for input x and output gradient dy. */
  conv2dBackpropFilter(x: Float32Array, dy: Float32Array, g: ConvGeometry, dfilter: Float32Array): void {
    const k = patchLength(g);
    const n = g.outChannels;
    const [xAt, dyAt, dfAt, aPackAt, bPackAt, accAt] = this.layout([imageLength(g), outputLength(g), k * n,
      roundUp(k, MR) * FILTER_GRADIENT_BLOCK, FILTER_GRADIENT_BLOCK * roundUp(n, NR), roundUp(k, MR) * roundUp(n, NR)]);
    this.put(x, xAt, imageLength(g));
    this.put(dy, dyAt, outputLength(g));
    this.setGeometry(g);
    this.kernel.conv2dBackpropFilter(xAt, dyAt, dfAt, aPackAt, bPackAt, accAt);
    this.take(dfAt, dfilter, k * n);
  }

  /** Max pooling's values and, for each, the flat index into x of its window's first maximum. */
  maxPool(x: Float32Array, g: ConvGeometry, out: Float32Array, argmax: Int32Array): void {
    const length = outputLength(g);
    const [xAt, outAt, argmaxAt] = this.layout([imageLength(g), length, length]);
    this.put(x, xAt, imageLength(g));
    this.setGeometry(g);
    this.kernel.maxPool(xAt, outAt, argmaxAt);
    this.take(outAt, out, length);
    argmax.set(new Int32Array(this.kernel.memory.buffer, argmaxAt, length));
  }

  /** out[r, c] = x[r, c] + bias[c], through ReLU when `relu`. */
  biasActivation(x: Float32Array, bias: Float32Array, out: Float32Array, rows: number, cols: number, relu: boolean): void {
    const [xAt, biasAt] = this.layout([rows * cols, cols]);
    this.put(x, xAt, rows * cols);
    this.put(bias, biasAt, cols);
    this.kernel.biasActivation(xAt, biasAt, xAt, rows, cols, relu ? 1 : 0);
    this.take(xAt, out, rows * cols);
  }

  /** out[i] = y[i] > 0 ? dy[i] : 0. */
  reluGrad(dy: Float32Array, y: Float32Array, out: Float32Array): void {
    const length = out.length;
    const [dyAt, yAt] = this.layout([length, length]);
    this.put(dy, dyAt, length);
    this.put(y, yAt, length);
    this.kernel.reluGrad(dyAt, yAt, dyAt, length);
    this.take(dyAt, out, length);
  }

  /** out[c] = Σ_r x[r, c]. */
  columnSum(x: Float32Array, out: Float32Array, rows: number, cols: number): void {
    const [xAt, outAt] = this.layout([rows * cols, cols]);
    this.put(x, xAt, rows * cols);
    this.kernel.columnSum(xAt, outAt, rows, cols);
    this.take(outAt, out, cols);
  }

  private setGeometry(g: ConvGeometry): void {
    this.kernel.setGeometry(g.batch, g.inHeight, g.inWidth, g.inChannels, g.outHeight, g.outWidth, g.outChannels,
      g.filterHeight, g.filterWidth, g.strideHeight, g.strideWidth, g.dilationHeight, g.dilationWidth, g.padTop, g.padLeft);
  }

  /** Byte addresses of consecutive 16-byte-aligned regions of the given float counts; grows the memory to fit. */
  private layout(floatCounts: number[]): number[] {
    const addresses: number[] = [];
    let at = this.firstFreeByte;
    for (const count of floatCounts) {
      addresses.push(at);
      at += roundUp(count * 4, 16);
    }
    const memory = this.kernel.memory;
    if (memory.buffer.byteLength < at) memory.grow(Math.ceil((at - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    if (this.floats.buffer !== memory.buffer) this.floats = new Float32Array(memory.buffer);
    return addresses;
  }

  private put(source: Float32Array, byteAddress: number, length: number): void {
    this.floats.set(source.length === length ? source : source.subarray(0, length), byteAddress / 4);
  }

  private take(byteAddress: number, target: Float32Array, length: number): void {
    target.set(this.floats.subarray(byteAddress / 4, byteAddress / 4 + length));
  }
}

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Instantiates one build of the kernels; null when the runtime cannot (no WASM SIMD, no synchronous compile). */
export function createConvKernelsF32(base64: string | undefined): ConvKernelsF32 | null {
  if (!base64 || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { abort: () => { throw new Error('conv WASM kernel aborted'); } },
    });
    return new ConvKernelsF32(instance.exports as unknown as ConvExports);
  } catch {
    return null;
  }
}

const relaxed = createConvKernelsF32(convF32RelaxedWasmBase64);

/** The instance the conv, pooling and fused kernels use for float32: fused multiply-add where validated; null → TypeScript. */
export const convKernelsF32: ConvKernelsF32 | null = relaxed ?? createConvKernelsF32(convF32WasmBase64);

/** Whether the kernels in use fuse multiply-adds (the relaxed-SIMD build; V8 from 11.4, not Node 20's 11.3). */
export function fusedMultiplyAdd(): boolean {
  return relaxed !== null;
}

/** The WASM kernels when every operand is float32 and the runtime has them, else null (use the TypeScript ones). */
export function float32Kernels(...operands: ArrayLike<number>[]): ConvKernelsF32 | null {
  if (convKernelsF32 === null) return null;
  for (const a of operands) if (!(a instanceof Float32Array)) return null;
  return convKernelsF32;
}
