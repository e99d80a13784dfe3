// Data types and the typed arrays that store them.
import { castKernel } from '../kernels/elementwise';
import { checkAllocation } from '../runtime/memory_budget';
import { DTYPES, type DType } from '../trace/trace_format';

// DType and DTYPES are declared once, in the trace format every part imports
export { DTYPES, type DType };
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type FloatArray = Float32Array | Float64Array;

export function isDType(value: unknown): value is DType {
  return typeof value === 'string' && (DTYPES as readonly string[]).includes(value);
}

export function isFloatDType(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

/**
 * Tiny arrays (scalar graphs make millions) are views into shared 4 KiB chunks: a view costs a fraction of a fresh
 * typed array. A chunk lives while any of its views does, so at most 4 KiB is held per surviving small tensor.
 */
const SMALL = 4;
const CHUNK_BYTES = 4096;
const chunks: Record<DType, { buffer: ArrayBuffer; offset: number }> = {
  float32: { buffer: new ArrayBuffer(CHUNK_BYTES), offset: 0 },
  float64: { buffer: new ArrayBuffer(CHUNK_BYTES), offset: 0 },
  int32: { buffer: new ArrayBuffer(CHUNK_BYTES), offset: 0 },
  bool: { buffer: new ArrayBuffer(CHUNK_BYTES), offset: 0 },
};

function allocateSmall(dtype: DType, size: number): TypedArray {
  const bytes = dtype === 'float64' ? 8 : dtype === 'bool' ? 1 : 4;
  const chunk = chunks[dtype];
  const start = Math.ceil(chunk.offset / bytes) * bytes;
  if (start + size * bytes > CHUNK_BYTES) {
    chunk.buffer = new ArrayBuffer(CHUNK_BYTES);
    chunk.offset = 0;
    return allocateSmall(dtype, size);
  }
  chunk.offset = start + size * bytes;
  switch (dtype) {
    case 'float32': return new Float32Array(chunk.buffer, start, size);
    case 'float64': return new Float64Array(chunk.buffer, start, size);
    case 'int32': return new Int32Array(chunk.buffer, start, size);
    case 'bool': return new Uint8Array(chunk.buffer, start, size);
  }
}

/** Fresh zeroed storage for `size` elements; `op` and `shape` name the request if it exceeds the memory budget. */
export function allocate(dtype: DType, size: number, op?: string, shape?: readonly number[]): TypedArray {
  if (size <= SMALL && size > 0) return allocateSmall(dtype, size);
  checkAllocation(dtype, size, op, shape);
  switch (dtype) {
    case 'float32': return new Float32Array(size);
    case 'float64': return new Float64Array(size);
    case 'int32': return new Int32Array(size);
    case 'bool': return new Uint8Array(size);
  }
}

/** Copies numbers into a fresh array of `dtype`, rounding the way a cast would (int32 truncates, bool is != 0). */
export function arrayFrom(dtype: DType, values: ArrayLike<number>): TypedArray {
  const out = allocate(dtype, values.length);
  castKernel(values, out, dtype);
  return out;
}
