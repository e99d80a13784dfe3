// Loader for the float32 WebAssembly SIMD matmul. The modules (compiled by scripts/build_wasm.mjs and
// embedded as base64) are compiled synchronously at import so ops stay synchronous; each is under 3 KB, below
// the 4 KB limit browsers put on synchronous compilation on a main thread.
// One linear memory is laid out per call as [A | B | packed A | packed B | C] and only grows, so a
// training loop reuses the same pages on every step.
import { MatmulHelperThread } from './matmul_helper_thread';
import { SplitChooser } from './split_chooser';
import {
  matmulF32RelaxedWasmBase64, matmulF32SharedMemoryRelaxedWasmBase64, matmulF32SharedMemoryWasmBase64, matmulF32WasmBase64,
} from './wasm/matmul_wasm_bytes.generated';

interface MatmulExports {
  heapBase(): number;
  matmul(a: number, b: number, aPack: number, bPack: number, c: number,
    m: number, k: number, n: number, transposeA: number, transposeB: number): void;
  pack(a: number, b: number, aPack: number, bPack: number,
    m: number, k: number, n: number, transposeA: number, transposeB: number): void;
  multiplyPackedRows(aPack: number, bPack: number, c: number, k: number, n: number, ipStart: number, ipEnd: number): void;
  multiplyClaimedRows(aPack: number, bPack: number, c: number, k: number, n: number, rowPanels: number, counter: number): number;
  matvec(s: number, x: number, y: number, rows: number, cols: number, byRows: number): void;
}

/** Micro-tile shape of the WASM kernel (rows of op(A), columns of op(B)); operands are padded to it. */
const TILE_ROWS = 4;
const TILE_COLS = 8;
const WASM_PAGE_BYTES = 65536;
/** Pages the shared-memory build may grow to (its declared maximum). */
const SHARED_MEMORY_MAX_PAGES = 32768;
/**
 * Products with fewer multiply-adds stay on one thread. On the 2-core bench machine 64³ (2^18) gained nothing
 * from a second thread and 128³ (2^21) ran ~1.4x faster when the helper had a core to itself.
 */
export const DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT = 1 << 20;

function roundUp(value: number, multiple: number): number {
  return Math.ceil(value / multiple) * multiple;
}

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface ThreadOptions {
  /** Products with at least this many multiply-adds may be split with the helper thread. */
  minMultiplyAddsToSplit?: number;
  /**
   * 'adaptive' (default) times both ways and keeps splitting only while it is faster, because the second
   * core may be busy (the editor, the inspector, other programs); 'always' splits every large product.
   */
  splitPolicy?: 'adaptive' | 'always';
}

export class WasmMatmulF32 {
  private floats: Float32Array;
  private readonly firstFreeFloat: number;
  private readonly counterByte: number;
  private helper: MatmulHelperThread | null = null;
  private helperSpawnTried = false;
  private readonly chooser: SplitChooser;

  constructor(
    private readonly kernel: MatmulExports,
    private readonly memory: WebAssembly.Memory,
    /** Set for the shared-memory build: the module to hand to a helper thread. */
    private readonly sharedModule: WebAssembly.Module | null = null,
    private readonly minMultiplyAddsToSplit = DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT,
    splitPolicy: 'adaptive' | 'always' = 'adaptive',
  ) {
    this.chooser = new SplitChooser(splitPolicy);
    this.floats = new Float32Array(memory.buffer);
    // The first 16 bytes hold the row-panel counter the two threads claim work from.
    this.counterByte = roundUp(kernel.heapBase(), 16);
    this.firstFreeFloat = this.counterByte / 4 + 4;
  }

  /** Bytes of linear memory currently reserved (grows to the largest product seen, never per call). */
  get memoryBytes(): number {
    return this.memory.buffer.byteLength;
  }

  /** 'two threads' once the helper is running, else 'one thread'. */
  get threading(): 'one thread' | 'two threads' {
    return this.helper?.ready ? 'two threads' : 'one thread';
  }

  /** Row panels (4 output rows each) the helper thread has computed so far. */
  get helperRowPanels(): number {
    return this.helper?.rowPanelsComputed ?? 0;
  }

  /** Starts the helper thread now (normally it starts on the first product big enough to split). */
  async startHelperThread(): Promise<boolean> {
    const helper = this.ensureHelper();
    if (helper === null) return false;
    await helper.whenReady();
    return true;
  }

  /** Stops the helper thread; later products run on one thread. */
  stopHelperThread(): void {
    this.helper?.dispose();
    this.helper = null;
  }

  run(a: Float32Array, b: Float32Array, out: Float32Array,
    m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): void {
    if (n === 1) {
      // out[m] = op(A)·b: A stored [m,k] gives dot products by rows, stored [k,m] sums of scaled rows.
      this.matvec(a, b, out, transposeA ? k : m, transposeA ? m : k, !transposeA);
      return;
    }
    if (m === 1) {
      // out[n] = a·op(B): B stored [k,n] is summed by rows scaled by a, stored [n,k] gives dot products.
      this.matvec(b, a, out, transposeB ? n : k, transposeB ? k : n, transposeB);
      return;
    }
    this.runStaged(m, k, n, transposeA, transposeB,
      (dst) => dst.set(a.length === m * k ? a : a.subarray(0, m * k)),
      (dst) => dst.set(b.length === k * n ? b : b.subarray(0, k * n)),
      (c, rowStride) => {
        if (rowStride === n) {
          out.set(c.subarray(0, m * n));
        } else {
          for (let i = 0; i < m; i++) out.set(c.subarray(i * rowStride, i * rowStride + n), i * n);
        }
      });
  }

  /**
   * The general product with the caller staging the operands: `writeA`/`writeB` fill A ([m,k], or [k,m] when
   * transposeA) and B straight into the kernel's memory, and `readC` reads C there (rows `rowStride` floats apart),
   * so a caller that builds an operand (im2col) or consumes the result (col2im) makes no copy of its own.
   */
  runStaged(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
    writeA: (dst: Float32Array) => void, writeB: (dst: Float32Array) => void,
    readC: (c: Float32Array, rowStride: number) => void): void {
    const mPadded = roundUp(m, TILE_ROWS);
    const nPadded = roundUp(n, TILE_COLS);
    // Float offsets of each region, 16-byte aligned for the SIMD loads.
    const aAt = this.firstFreeFloat;
    const bAt = aAt + roundUp(m * k, 4);
    const aPackAt = bAt + roundUp(k * n, 4);
    const bPackAt = aPackAt + mPadded * k;
    const cAt = bPackAt + k * nPadded;
    this.ensureBytes((cAt + mPadded * nPadded) * 4);
    const floats = this.floats;
    writeA(floats.subarray(aAt, aAt + m * k));
    writeB(floats.subarray(bAt, bAt + k * n));
    const kernel = this.kernel;
    const rowPanels = mPadded / TILE_ROWS;
    const large = m * k * n >= this.minMultiplyAddsToSplit && rowPanels >= 2;
    const helper = large ? this.ensureHelper() : null;
    const split = helper !== null && helper.ready && this.chooser.shouldSplit();
    const started = large ? performance.now() : 0;
    if (split) {
      kernel.pack(aAt * 4, bAt * 4, aPackAt * 4, bPackAt * 4, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
      const counter = this.counterByte;
      Atomics.store(new Int32Array(this.memory.buffer, counter, 1), 0, 0);
      helper!.start(aPackAt * 4, bPackAt * 4, cAt * 4, k, n, rowPanels, counter);
      kernel.multiplyClaimedRows(aPackAt * 4, bPackAt * 4, cAt * 4, k, n, rowPanels, counter);
      if (!helper!.finish()) {
        // The helper died or hung: recompute everything here (its writes, if any, are the same values).
        this.stopHelperThread();
        kernel.multiplyPackedRows(aPackAt * 4, bPackAt * 4, cAt * 4, k, n, 0, rowPanels);
      }
    } else {
      kernel.matmul(aAt * 4, bAt * 4, aPackAt * 4, bPackAt * 4, cAt * 4,
        m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
    }
    if (large && helper !== null && helper.ready) this.chooser.record(split, performance.now() - started, m * k * n);
    readC(this.floats.subarray(cAt, cAt + mPadded * nPadded), nPadded);
  }

  /** y = S·x (byRows) or Sᵀ·x, S stored row-major [rows, cols]; no packing, the product is memory-bound. */
  private matvec(s: Float32Array, x: Float32Array, y: Float32Array, rows: number, cols: number, byRows: boolean): void {
    const xLength = byRows ? cols : rows;
    const yLength = byRows ? rows : cols;
    const sAt = this.firstFreeFloat;
    const xAt = sAt + roundUp(rows * cols, 4);
    const yAt = xAt + roundUp(xLength, 4);
    this.ensureBytes((yAt + yLength) * 4);
    const floats = this.floats;
    floats.set(s.length === rows * cols ? s : s.subarray(0, rows * cols), sAt);
    floats.set(x.length === xLength ? x : x.subarray(0, xLength), xAt);
    this.kernel.matvec(sAt * 4, xAt * 4, yAt * 4, rows, cols, byRows ? 1 : 0);
    y.set(floats.subarray(yAt, yAt + yLength));
  }

  private ensureHelper(): MatmulHelperThread | null {
    if (!this.helperSpawnTried && this.sharedModule !== null) {
      this.helperSpawnTried = true;
      this.helper = MatmulHelperThread.spawn(this.sharedModule, this.memory);
    }
    return this.helper;
  }

  private ensureBytes(bytes: number): void {
    const memory = this.memory;
    if (memory.buffer.byteLength < bytes) {
      memory.grow(Math.ceil((bytes - memory.buffer.byteLength) / WASM_PAGE_BYTES));
    }
    // A grown memory has a new, longer buffer; refresh the view.
    if (this.floats.byteLength !== memory.buffer.byteLength) this.floats = new Float32Array(memory.buffer);
  }
}

function abortImport() {
  return { abort: () => { throw new Error('matmul WASM kernel aborted'); } };
}

/** Instantiates the one-thread kernel; null when the bytes are missing or the engine lacks WASM SIMD. */
export function createWasmMatmulF32(base64: string | undefined): WasmMatmulF32 | null {
  if (!base64 || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: abortImport() });
    const exports = instance.exports as unknown as MatmulExports & { memory: WebAssembly.Memory };
    return new WasmMatmulF32(exports, exports.memory);
  } catch {
    return null;
  }
}

/**
 * Instantiates the shared-memory kernel that splits large products with a helper thread (started on first
 * use); null when the runtime lacks WASM SIMD, WASM threads or SharedArrayBuffer.
 */
export function createThreadedWasmMatmulF32(base64: string | undefined, options: ThreadOptions = {}): WasmMatmulF32 | null {
  if (!base64 || typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MEMORY_MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory, ...abortImport() } });
    return new WasmMatmulF32(instance.exports as unknown as MatmulExports, memory, module,
      options.minMultiplyAddsToSplit ?? DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT, options.splitPolicy ?? 'adaptive');
  } catch {
    return null;
  }
}

/**
 * The instance used by `matmul`: the fused multiply-add build where the runtime has relaxed SIMD, two threads
 * where it has SharedArrayBuffer, falling back step by step; null means the TypeScript fallback.
 */
export const wasmMatmulF32: WasmMatmulF32 | null =
  createThreadedWasmMatmulF32(matmulF32SharedMemoryRelaxedWasmBase64)
  ?? createThreadedWasmMatmulF32(matmulF32SharedMemoryWasmBase64)
  ?? createWasmMatmulF32(matmulF32RelaxedWasmBase64)
  ?? createWasmMatmulF32(matmulF32WasmBase64);

/** Whether the instance in use fuses multiply-adds (relaxed SIMD build). */
export const wasmMatmulUsesFusedMultiplyAdd: boolean = wasmMatmulF32 !== null && runtimeAccepts(matmulF32RelaxedWasmBase64);

function runtimeAccepts(base64: string): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(decodeBase64(base64));
  } catch {
    return false;
  }
}
