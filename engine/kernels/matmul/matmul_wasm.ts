// Loader for the float32 WebAssembly SIMD matmul. The module (compiled by scripts/build_wasm.mjs and
// embedded as base64) is compiled synchronously at import so ops stay synchronous; it is ~2 KB, below
// the 4 KB limit browsers put on synchronous compilation on a main thread.
// One linear memory is laid out per call as [A | B | packed A | packed B | C] and only grows, so a
// training loop reuses the same pages on every step.
import { matmulF32WasmBase64 } from './wasm/matmul_wasm_bytes.generated';

interface MatmulExports {
  memory: WebAssembly.Memory;
  heapBase(): number;
  matmul(a: number, b: number, aPack: number, bPack: number, c: number,
    m: number, k: number, n: number, transposeA: number, transposeB: number): void;
}

/** Micro-tile shape of the WASM kernel (rows of op(A), columns of op(B)); operands are padded to it. */
const TILE_ROWS = 4;
const TILE_COLS = 8;
const WASM_PAGE_BYTES = 65536;

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export class WasmMatmulF32 {
  private floats: Float32Array;
  private readonly firstFreeFloat: number;

  constructor(private readonly kernel: MatmulExports) {
    this.floats = new Float32Array(kernel.memory.buffer);
    this.firstFreeFloat = roundUp(kernel.heapBase(), 16) / 4;
  }

  /** Bytes of linear memory currently reserved (grows to the largest product seen, never per call). */
  get memoryBytes(): number {
    return this.kernel.memory.buffer.byteLength;
  }

  run(a: Float32Array, b: Float32Array, out: Float32Array,
    m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): void {
    const mPadded = roundUp(m, TILE_ROWS);
    const nPadded = roundUp(n, TILE_COLS);
    // Float offsets of each region, 16-byte aligned for the SIMD loads.
    const aAt = this.firstFreeFloat;
    const bAt = aAt + roundUp(m * k, 4);
    const aPackAt = bAt + roundUp(k * n, 4);
    const bPackAt = aPackAt + mPadded * k;
    const cAt = bPackAt + k * nPadded;
    const endByte = (cAt + mPadded * nPadded) * 4;
    this.ensureBytes(endByte);
    const floats = this.floats;
    floats.set(a.length === m * k ? a : a.subarray(0, m * k), aAt);
    floats.set(b.length === k * n ? b : b.subarray(0, k * n), bAt);
    this.kernel.matmul(aAt * 4, bAt * 4, aPackAt * 4, bPackAt * 4, cAt * 4,
      m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
    if (nPadded === n) {
      out.set(floats.subarray(cAt, cAt + m * n));
    } else {
      for (let i = 0; i < m; i++) {
        const from = cAt + i * nPadded;
        out.set(floats.subarray(from, from + n), i * n);
      }
    }
  }

  private ensureBytes(bytes: number): void {
    const memory = this.kernel.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    }
    if (this.floats.buffer !== memory.buffer) this.floats = new Float32Array(memory.buffer);
  }
}

/** Instantiates the kernel from base64 bytes; null when the bytes are missing or the engine lacks WASM SIMD. */
export function createWasmMatmulF32(base64: string | undefined): WasmMatmulF32 | null {
  if (!base64 || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), {
      env: { abort: () => { throw new Error('matmul WASM kernel aborted'); } },
    });
    return new WasmMatmulF32(instance.exports as unknown as MatmulExports);
  } catch {
    return null;
  }
}

/** The shared instance used by `matmul`, or null when this runtime falls back to TypeScript. */
export const wasmMatmulF32: WasmMatmulF32 | null = createWasmMatmulF32(matmulF32WasmBase64);
