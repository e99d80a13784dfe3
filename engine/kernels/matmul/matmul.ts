// Public matmul kernel: out[m×n] = op(A)·op(B). A is row-major [m,k] ([k,m] when transposeA), B is [k,n]
// ([n,k] when transposeB). `out` is overwritten. All three arrays share one dtype. Synchronous.
// float32 and float64 go to their WebAssembly SIMD kernels (f32x4 / f64x2 lanes) when the runtime has WASM
// SIMD; without it the pure-TypeScript kernel runs, which gives the same results up to rounding.
import { matmulTypeScript, type FloatArray } from './matmul_typescript';
import { wasmMatmulF32, wasmMatmulF64, wasmMatmulUsesFusedMultiplyAdd } from './matmul_wasm';

/** Whether float64 products may use the WASM kernel (the bench turns it off to time the TypeScript path alone). */
let float64Wasm = true;

/** Routes float64 products to the WASM SIMD kernel (default) or to the TypeScript kernel, for benchmarks and diagnostics. */
export function setFloat64MatmulPath(path: 'wasm-simd' | 'typescript'): void {
  float64Wasm = path === 'wasm-simd';
}

/** Below this many multiply-adds the call and copies into WASM memory cost more than they save (~0.2 µs). */
const WASM_MIN_MULTIPLY_ADDS = 256;

/**
 * `immutableOperands` promises that a and b are never written again (tensor storage, which ops never mutate):
 * the WASM kernel may then keep a large matrix of a matrix-vector product resident for the next product.
 */
export function matmul(
  a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, immutableOperands = false,
): void {
  checkOperands(a, b, out, m, k, n, transposeA, transposeB);
  if (m * k * n >= WASM_MIN_MULTIPLY_ADDS) {
    if (wasmMatmulF32 !== null && a instanceof Float32Array && b instanceof Float32Array && out instanceof Float32Array) {
      wasmMatmulF32.run(a, b, out, m, k, n, transposeA, transposeB, immutableOperands);
      return;
    }
    if (float64Wasm && wasmMatmulF64 !== null && a instanceof Float64Array && b instanceof Float64Array && out instanceof Float64Array) {
      wasmMatmulF64.run(a, b, out, m, k, n, transposeA, transposeB, immutableOperands);
      return;
    }
  }
  matmulTypeScript(a, b, out, m, k, n, transposeA, transposeB);
}

/** Writes one operand of a staged product into `dst` (exactly the operand's length). */
export type StageOperand<T extends FloatArray> = (dst: T) => void;

/**
 * out = op(A)·op(B) where the caller writes A and B into the buffers the kernel multiplies from and reads C
 * (rows `rowStride` apart) where the kernel left it: on the WASM path those are the kernel's own memory, so an
 * operand built on the fly (im2col) or a result scattered elsewhere (col2im) is never copied a second time.
 */
export function matmulStaged<T extends FloatArray>(
  like: T, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
  writeA: StageOperand<T>, writeB: StageOperand<T>, readC: (c: T, rowStride: number) => void,
): void {
  if (m > 1 && n > 1 && m * k * n >= WASM_MIN_MULTIPLY_ADDS) {
    if (wasmMatmulF32 !== null && like instanceof Float32Array) {
      wasmMatmulF32.runStaged(m, k, n, transposeA, transposeB,
        writeA as StageOperand<Float32Array>, writeB as StageOperand<Float32Array>, readC as (c: Float32Array, rowStride: number) => void);
      return;
    }
    if (float64Wasm && wasmMatmulF64 !== null && like instanceof Float64Array) {
      wasmMatmulF64.runStaged(m, k, n, transposeA, transposeB,
        writeA as StageOperand<Float64Array>, writeB as StageOperand<Float64Array>, readC as (c: Float64Array, rowStride: number) => void);
      return;
    }
  }
  const ctor = like.constructor as { new(length: number): T };
  const a = new ctor(m * k);
  const b = new ctor(k * n);
  const out = new ctor(m * n);
  writeA(a);
  writeB(b);
  matmulTypeScript(a, b, out, m, k, n, transposeA, transposeB);
  readC(out, n);
}

/** Which path float64 products take in this runtime (for the bench and diagnostics). */
export function matmulFloat64Path(): 'wasm-simd' | 'typescript' {
  return wasmMatmulF64 === null || !float64Wasm ? 'typescript' : 'wasm-simd';
}

/** Which path float32 products take in this runtime (for the bench and diagnostics). */
export function matmulFloat32Path(): 'wasm-relaxed-simd' | 'wasm-simd' | 'typescript' {
  if (wasmMatmulF32 === null) return 'typescript';
  return wasmMatmulUsesFusedMultiplyAdd ? 'wasm-relaxed-simd' : 'wasm-simd';
}

function checkOperands(a: FloatArray, b: FloatArray, out: FloatArray,
  m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): void {
  const shape = (rows: number, cols: number, t: boolean) => t ? `[${cols},${rows}]ᵀ` : `[${rows},${cols}]`;
  const what = () => `matmul ${shape(m, k, transposeA)} @ ${shape(k, n, transposeB)}`;
  if (!(Number.isInteger(m) && Number.isInteger(k) && Number.isInteger(n) && m >= 0 && k >= 0 && n >= 0)) {
    throw new Error(`${what()}: sizes must be non-negative integers (m=${m}, k=${k}, n=${n})`);
  }
  if (a.constructor !== b.constructor || a.constructor !== out.constructor) {
    throw new Error(`${what()}: operands and output must share one dtype (got ${a.constructor.name}, ${b.constructor.name}, ${out.constructor.name})`);
  }
  if (a.length < m * k) throw new Error(`${what()}: A holds ${a.length} values, needs ${m * k}`);
  if (b.length < k * n) throw new Error(`${what()}: B holds ${b.length} values, needs ${k * n}`);
  if (out.length < m * n) throw new Error(`${what()}: out holds ${out.length} values, needs ${m * n}`);
}
