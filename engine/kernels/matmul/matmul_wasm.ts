// Loader for the float32 and float64 WebAssembly SIMD matmuls. The modules (compiled by scripts/build_wasm.mjs
// and embedded as base64) are compiled synchronously at import so ops stay synchronous; each is 2-3.2 KB,
// below the 4 KB limit browsers put on synchronous compilation on a main thread.
// One linear memory is laid out as [counter | resident matrix | A | B | packed A | packed B | C] and only grows,
// so a training loop reuses the same pages on every step. The resident region keeps the last large matrix of a
// matrix-vector product, so repeated products with one matrix (a Hessian-vector product) copy it in once.
import { MatmulHelperThread } from './matmul_helper_thread';
import { SplitChoosersByShape } from './split_chooser';
import {
  matmulF32RelaxedWasmBase64, matmulF32SharedMemoryRelaxedWasmBase64, matmulF32SharedMemoryWasmBase64, matmulF32WasmBase64,
  matmulF64RelaxedWasmBase64, matmulF64SharedMemoryRelaxedWasmBase64, matmulF64SharedMemoryWasmBase64, matmulF64WasmBase64,
} from './wasm/matmul_wasm_bytes.generated';

interface MatmulExports {
  heapBase(): number;
  matmul(a: number, b: number, aPack: number, bPack: number, c: number,
    m: number, k: number, n: number, transposeA: number, transposeB: number): void;
  pack(a: number, b: number, aPack: number, bPack: number,
    m: number, k: number, n: number, transposeA: number, transposeB: number): void;
  multiplyPackedRows(aPack: number, bPack: number, c: number, k: number, n: number, ipStart: number, ipEnd: number): void;
  multiplyClaimedRows(aPack: number, bPack: number, c: number, k: number, n: number, rowPanels: number, counter: number): number;
  /** Split products that both threads pack (float32 module only; float64 packs on the caller's thread first). */
  packClaimedPanels?(a: number, b: number, aPack: number, bPack: number, m: number, k: number, n: number,
    transposeA: number, transposeB: number, counter: number, flags: number, aStaged: number, job: number): number;
  multiplyClaimedBlocks?(aPack: number, bPack: number, c: number, m: number, k: number, n: number,
    rowBlock: number, colBlock: number, counter: number, blockCounts: number, maxUnits: number): number;
  matvec(s: number, x: number, y: number, rows: number, cols: number, byRows: number): void;
}

type WasmFloatArray = Float32Array | Float64Array;

/** What the loader needs to know of a kernel's element type: its view, its width and the micro-tile it pads to. */
export interface WasmElement<T extends WasmFloatArray> {
  view: new (buffer: ArrayBufferLike) => T;
  bytes: 4 | 8;
  /** Micro-tile shape of the kernel (rows of op(A), columns of op(B)); operands are padded to it. */
  tileRows: number;
  tileCols: number;
}
export const FLOAT32_ELEMENT: WasmElement<Float32Array> = { view: Float32Array, bytes: 4, tileRows: 4, tileCols: 8 };
export const FLOAT64_ELEMENT: WasmElement<Float64Array> = { view: Float64Array, bytes: 8, tileRows: 4, tileCols: 4 };
/**
 * Matrices of at least this many values stay in WASM memory after a matrix-vector product marked immutable:
 * there the copy in costs as much as the product itself (both stream the matrix once).
 */
export const RESIDENT_MIN_VALUES = 1 << 16;
const WASM_PAGE_BYTES = 65536;
/** Pages the shared-memory build may grow to (its declared maximum). */
const SHARED_MEMORY_MAX_PAGES = 32768;
/**
 * Products with fewer multiply-adds stay on one thread. On the 2-core bench machine 64³ (2^18) gained nothing
 * from a second thread and 128³ (2^21) ran ~1.4x faster when the helper had a core to itself.
 */
export const DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT = 1 << 20;
/** Rows of C shorter than this are copied out element by element rather than with a subarray per row. */
const NARROW_ROW_COPY = 64;
/**
 * A split product's work comes in blocks of SPLIT_ROW_BLOCK row panels by SPLIT_COL_BLOCK column panels (32 rows
 * by 16 columns): one B panel slice in L1 serves all the block's A panels, the 128-row products get 32 blocks
 * (enough to balance two threads), and a block's rows of C are whole 64-byte cache lines, so the two threads
 * never write one line at once.
 */
const SPLIT_ROW_BLOCK = 8;
const SPLIT_COL_BLOCK = 2;

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

export class WasmMatmul<T extends WasmFloatArray = Float32Array> {
  private floats: T;
  /** Element offset of the resident matrix region, and of the per-call regions after it. */
  private readonly residentAt: number;
  private firstFree: number;
  /** The matrix now held at residentAt (weakly: it may be collected), and its length. */
  private resident: WeakRef<T> | null = null;
  private residentLength = 0;
  private readonly counterByte: number;
  private helper: MatmulHelperThread | null = null;
  private helperSpawnTried = false;
  private readonly choosers: SplitChoosersByShape;
  private ints: Int32Array;

  constructor(
    private readonly kernel: MatmulExports,
    private readonly memory: WebAssembly.Memory,
    /** Set for the shared-memory build: the module to hand to a helper thread. */
    private readonly sharedModule: WebAssembly.Module | null = null,
    private readonly minMultiplyAddsToSplit = DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT,
    splitPolicy: 'adaptive' | 'always' = 'adaptive',
    private readonly element: WasmElement<T> = FLOAT32_ELEMENT as unknown as WasmElement<T>,
  ) {
    this.choosers = new SplitChoosersByShape(splitPolicy);
    this.floats = new element.view(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
    // The first 16 bytes hold what the two threads share: i32 counters they claim work from, and the A-staged stamp.
    this.counterByte = roundUp(kernel.heapBase(), 16);
    this.residentAt = (this.counterByte + 16) / element.bytes;
    this.firstFree = this.residentAt;
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

  /**
   * out = op(A)·op(B). `immutableOperands` promises that neither array is ever written again (tensor storage):
   * then the matrix of a large matrix-vector product may stay resident in WASM memory for the next product.
   */
  run(a: T, b: T, out: T,
    m: number, k: number, n: number, transposeA: boolean, transposeB: boolean, immutableOperands = false): void {
    if (n === 1) {
      // out[m] = op(A)·b: A stored [m,k] gives dot products by rows, stored [k,m] sums of scaled rows.
      this.matvec(a, b, out, transposeA ? k : m, transposeA ? m : k, !transposeA, immutableOperands);
      return;
    }
    if (m === 1) {
      // out[n] = a·op(B): B stored [k,n] is summed by rows scaled by a, stored [n,k] gives dot products.
      this.matvec(b, a, out, transposeB ? n : k, transposeB ? k : n, transposeB, immutableOperands);
      return;
    }
    this.product(m, k, n, transposeA, transposeB,
      (dst) => dst.set(a.length === m * k ? a : a.subarray(0, m * k)),
      (dst) => dst.set(b.length === k * n ? b : b.subarray(0, k * n)),
      (c, rowStride, rowStart, rowEnd) => {
        if (rowStride === n) {
          out.set(c.subarray(rowStart * n, rowEnd * n), rowStart * n);
        } else if (n < NARROW_ROW_COPY) {
          // Short rows (n = 10 pads to 16): element by element beats a subarray object per row.
          for (let i = rowStart; i < rowEnd; i++) {
            for (let j = 0, from = i * rowStride, to = i * n; j < n; j++) out[to + j] = c[from + j];
          }
        } else {
          for (let i = rowStart; i < rowEnd; i++) out.set(c.subarray(i * rowStride, i * rowStride + n), i * n);
        }
      }, true);
  }

  /**
   * The general product with the caller staging the operands: `writeA`/`writeB` fill A ([m,k], or [k,m] when
   * transposeA) and B straight into the kernel's memory, and `readC` reads C there (rows `rowStride` floats apart),
   * so a caller that builds an operand (im2col) or consumes the result (col2im) makes no copy of its own.
   */
  runStaged(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
    writeA: (dst: T) => void, writeB: (dst: T) => void,
    readC: (c: T, rowStride: number) => void): void {
    this.product(m, k, n, transposeA, transposeB, writeA, writeB, (c, rowStride) => readC(c, rowStride), false);
  }

  /**
   * Stages, multiplies and hands back C through `readRows` (rows [rowStart, rowEnd) of C, `rowStride` apart):
   * once for all rows, or, when `rowsAsTheyFinish` and the product is split, panel by panel while the helper
   * still computes others, so copying C out overlaps the multiply.
   */
  private product(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
    writeA: (dst: T) => void, writeB: (dst: T) => void,
    readRows: (c: T, rowStride: number, rowStart: number, rowEnd: number) => void, rowsAsTheyFinish: boolean): void {
    const { tileRows, tileCols, bytes } = this.element;
    const align = 16 / bytes;
    const mPadded = roundUp(m, tileRows);
    const nPadded = roundUp(n, tileCols);
    const rowPanels = mPadded / tileRows;
    const colPanels = nPadded / tileCols;
    // Element offsets of each region, 16-byte aligned for the SIMD loads; the split's panel flags (i32) last.
    const aAt = this.firstFree;
    const bAt = aAt + roundUp(m * k, align);
    const aPackAt = bAt + roundUp(k * n, align);
    const bPackAt = aPackAt + mPadded * k;
    const cAt = roundUp(bPackAt + k * nPadded, 64 / bytes);
    const flagsByte = (cAt + mPadded * nPadded) * bytes;
    this.ensureBytes(flagsByte + (colPanels + 2 * rowPanels) * 4);
    const kernel = this.kernel;
    const large = m * k * n >= this.minMultiplyAddsToSplit && rowPanels >= 2;
    const helper = large ? this.ensureHelper() : null;
    const chooser = helper !== null && helper.ready ? this.choosers.for(m, k, n, transposeA, transposeB) : null;
    const split = chooser !== null && chooser.shouldSplit();
    const started = chooser !== null ? performance.now() : 0;
    if (split && kernel.packClaimedPanels !== undefined) {
      this.splitPacking(helper!, m, k, n, transposeA, transposeB, writeA, writeB, readRows, rowsAsTheyFinish,
        { aAt, bAt, aPackAt, bPackAt, cAt, flagsByte, rowPanels, colPanels, nPadded });
      chooser!.record(true, performance.now() - started, m * k * n);
      return;
    }
    const floats = this.floats;
    writeA(floats.subarray(aAt, aAt + m * k) as T);
    writeB(floats.subarray(bAt, bAt + k * n) as T);
    if (split) {
      kernel.pack(aAt * bytes, bAt * bytes, aPackAt * bytes, bPackAt * bytes, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
      const counter = this.counterByte;
      Atomics.store(this.ints, counter >> 2, 0);
      helper!.start(aPackAt * bytes, bPackAt * bytes, cAt * bytes, k, n, rowPanels, counter);
      kernel.multiplyClaimedRows(aPackAt * bytes, bPackAt * bytes, cAt * bytes, k, n, rowPanels, counter);
      if (!helper!.finish()) {
        // The helper died or hung: recompute everything here (its writes, if any, are the same values).
        this.stopHelperThread();
        kernel.multiplyPackedRows(aPackAt * bytes, bPackAt * bytes, cAt * bytes, k, n, 0, rowPanels);
      }
    } else {
      kernel.matmul(aAt * bytes, bAt * bytes, aPackAt * bytes, bPackAt * bytes, cAt * bytes,
        m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0);
    }
    if (chooser !== null && helper!.ready) chooser.record(split, performance.now() - started, m * k * n);
    readRows(this.floats.subarray(cAt, cAt + mPadded * nPadded) as T, nPadded, 0, m);
  }

  /**
   * A split product in which both threads pack: the caller writes B, posts the job (the helper starts packing
   * B panels) and writes A meanwhile; both then pack the A panels and multiply blocks of SPLIT_ROW_BLOCK row panels
   * by one column panel, claimed from shared counters. The caller never waits for the helper until the end
   * (finish), and copies C out row block by row block as they complete.
   */
  private splitPacking(helper: MatmulHelperThread, m: number, k: number, n: number, transposeA: boolean, transposeB: boolean,
    writeA: (dst: T) => void, writeB: (dst: T) => void,
    readRows: (c: T, rowStride: number, rowStart: number, rowEnd: number) => void, rowsAsTheyFinish: boolean,
    at: { aAt: number; bAt: number; aPackAt: number; bPackAt: number; cAt: number; flagsByte: number; rowPanels: number; colPanels: number; nPadded: number }): void {
    const { bytes, tileRows } = this.element;
    const kernel = this.kernel;
    const ints = this.ints;
    const packCounter = this.counterByte + 4;
    const blockCounter = this.counterByte + 8;
    const aStaged = this.counterByte + 12;
    const { aAt, bAt, rowPanels, colPanels, nPadded } = at;
    const flags = at.flagsByte;
    const blockCounts = flags + (colPanels + rowPanels) * 4;
    const rowBlocks = Math.ceil(rowPanels / SPLIT_ROW_BLOCK);
    const colBlocks = Math.ceil(colPanels / SPLIT_COL_BLOCK);
    const a = aAt * bytes, b = bAt * bytes, aPack = at.aPackAt * bytes, bPack = at.bPackAt * bytes, c = at.cAt * bytes;
    const tA = transposeA ? 1 : 0, tB = transposeB ? 1 : 0;
    Atomics.store(ints, packCounter >> 2, 0);
    Atomics.store(ints, blockCounter >> 2, 0);
    ints.fill(0, blockCounts >> 2, (blockCounts >> 2) + rowBlocks);
    writeB(this.floats.subarray(bAt, bAt + k * n) as T);
    const job = helper.startPacking({ a, b, aPack, bPack, c, m, k, n, transposeA, transposeB, packCounter, blockCounter,
      flags, blockCounts, aStaged, rowBlock: SPLIT_ROW_BLOCK, colBlock: SPLIT_COL_BLOCK });
    const stampA = (value: number) => {
      Atomics.store(ints, aStaged >> 2, value);
      Atomics.notify(ints, aStaged >> 2);
    };
    try {
      writeA(this.floats.subarray(aAt, aAt + m * k) as T);
    } catch (error) {
      stampA(-job);
      if (!helper.finish()) this.stopHelperThread();
      throw error;
    }
    stampA(job);
    kernel.packClaimedPanels!(a, b, aPack, bPack, m, k, n, tA, tB, packCounter, flags, aStaged, job);
    const cFloats = this.floats.subarray(at.cAt, at.cAt + rowPanels * tileRows * nPadded) as T;
    const blockRows = SPLIT_ROW_BLOCK * tileRows;
    const copyBlock = (block: number) => readRows(cFloats, nPadded, block * blockRows, Math.min(m, (block + 1) * blockRows));
    const blockCountsInt = blockCounts >> 2;
    let copiedBlocks = 0;
    while (kernel.multiplyClaimedBlocks!(aPack, bPack, c, m, k, n, SPLIT_ROW_BLOCK, SPLIT_COL_BLOCK, blockCounter, blockCounts, 1) === 1) {
      // Copy out row blocks whose column panels are all in (blocks are claimed in row-block order).
      while (rowsAsTheyFinish && copiedBlocks < rowBlocks && Atomics.load(ints, blockCountsInt + copiedBlocks) === colBlocks) {
        copyBlock(copiedBlocks++);
      }
    }
    if (!helper.finish()) {
      // The helper died or hung: recompute everything here (its writes, if any, are the same values).
      this.stopHelperThread();
      kernel.matmul(a, b, aPack, bPack, c, m, k, n, tA, tB);
      readRows(cFloats, nPadded, 0, m);
      return;
    }
    if (!rowsAsTheyFinish) {
      readRows(cFloats, nPadded, 0, m);
      return;
    }
    while (copiedBlocks < rowBlocks) copyBlock(copiedBlocks++);
  }

  /** y = S·x (byRows) or Sᵀ·x, S stored row-major [rows, cols]; no packing, the product is memory-bound. */
  private matvec(s: T, x: T, y: T, rows: number, cols: number, byRows: boolean, immutable: boolean): void {
    const bytes = this.element.bytes;
    const align = 16 / bytes;
    const xLength = byRows ? cols : rows;
    const yLength = byRows ? rows : cols;
    const sAt = this.residentMatrixAt(s, rows * cols, immutable);
    const xAt = this.firstFree + (sAt === this.firstFree ? roundUp(rows * cols, align) : 0);
    const yAt = xAt + roundUp(xLength, align);
    this.ensureBytes((yAt + yLength) * bytes);
    const floats = this.floats;
    if (sAt === this.firstFree) floats.set(s.length === rows * cols ? s : s.subarray(0, rows * cols), sAt);
    floats.set(x.length === xLength ? x : x.subarray(0, xLength), xAt);
    this.kernel.matvec(sAt * bytes, xAt * bytes, yAt * bytes, rows, cols, byRows ? 1 : 0);
    y.set(floats.subarray(yAt, yAt + yLength));
  }

  /**
   * Where the matrix of a matrix-vector product is read from: the resident region when it already holds this
   * (immutable) array or can take it now, else firstFree (the caller copies it there). Only the whole array can be
   * resident, so a subarray view (batched products) is always copied.
   */
  private residentMatrixAt(s: T, length: number, immutable: boolean): number {
    if (!immutable || length < RESIDENT_MIN_VALUES || s.length !== length) return this.firstFree;
    if (this.resident?.deref() === s) return this.residentAt;
    const align = 16 / this.element.bytes;
    // The per-call regions start after the resident one; they hold nothing between calls, so moving them is free.
    this.firstFree = Math.max(this.firstFree, this.residentAt + roundUp(length, align));
    this.ensureBytes(this.firstFree * this.element.bytes);
    this.floats.set(s, this.residentAt);
    this.resident = new WeakRef(s);
    this.residentLength = length;
    return this.residentAt;
  }

  /** Length of the matrix held resident (0 when none); for tests. */
  get residentValues(): number {
    return this.resident?.deref() === undefined ? 0 : this.residentLength;
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
    if (this.floats.byteLength !== memory.buffer.byteLength) {
      this.floats = new this.element.view(memory.buffer);
      this.ints = new Int32Array(memory.buffer);
    }
  }
}

function abortImport() {
  return { abort: () => { throw new Error('matmul WASM kernel aborted'); } };
}

/** Instantiates the one-thread kernel; null when the bytes are missing or the engine lacks WASM SIMD. */
export function createWasmMatmul<T extends WasmFloatArray>(base64: string | undefined, element: WasmElement<T>): WasmMatmul<T> | null {
  if (!base64 || typeof WebAssembly !== 'object') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: abortImport() });
    const exports = instance.exports as unknown as MatmulExports & { memory: WebAssembly.Memory };
    return new WasmMatmul(exports, exports.memory, null, DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT, 'adaptive', element);
  } catch {
    return null;
  }
}

/**
 * Instantiates the shared-memory kernel that splits large products with a helper thread (started on first
 * use); null when the runtime lacks WASM SIMD, WASM threads or SharedArrayBuffer.
 */
export function createThreadedWasmMatmul<T extends WasmFloatArray>(base64: string | undefined, element: WasmElement<T>,
  options: ThreadOptions = {}): WasmMatmul<T> | null {
  if (!base64 || typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function') return null;
  try {
    const bytes = decodeBase64(base64);
    if (!WebAssembly.validate(bytes)) return null;
    const module = new WebAssembly.Module(bytes);
    const memory = new WebAssembly.Memory({ initial: 1, maximum: SHARED_MEMORY_MAX_PAGES, shared: true });
    const instance = new WebAssembly.Instance(module, { env: { memory, ...abortImport() } });
    return new WasmMatmul(instance.exports as unknown as MatmulExports, memory, module,
      options.minMultiplyAddsToSplit ?? DEFAULT_MIN_MULTIPLY_ADDS_TO_SPLIT, options.splitPolicy ?? 'adaptive', element);
  } catch {
    return null;
  }
}

/** The float32 kernel alone (tests and the bench build their own instances). */
export type WasmMatmulF32 = WasmMatmul<Float32Array>;
export const WasmMatmulF32 = WasmMatmul;
export function createWasmMatmulF32(base64: string | undefined): WasmMatmulF32 | null {
  return createWasmMatmul(base64, FLOAT32_ELEMENT);
}
export function createThreadedWasmMatmulF32(base64: string | undefined, options: ThreadOptions = {}): WasmMatmulF32 | null {
  return createThreadedWasmMatmul(base64, FLOAT32_ELEMENT, options);
}

/** Best instance the runtime takes: fused multiply-add, then two threads, falling back step by step. */
function bestInstance<T extends WasmFloatArray>(element: WasmElement<T>, builds: {
  sharedRelaxed: string; shared: string; relaxed: string; plain: string;
}): WasmMatmul<T> | null {
  return createThreadedWasmMatmul(builds.sharedRelaxed, element)
    ?? createThreadedWasmMatmul(builds.shared, element)
    ?? createWasmMatmul(builds.relaxed, element)
    ?? createWasmMatmul(builds.plain, element);
}

/** The float32 instance used by `matmul`; null means the TypeScript fallback. */
export const wasmMatmulF32: WasmMatmulF32 | null = bestInstance(FLOAT32_ELEMENT, {
  sharedRelaxed: matmulF32SharedMemoryRelaxedWasmBase64, shared: matmulF32SharedMemoryWasmBase64,
  relaxed: matmulF32RelaxedWasmBase64, plain: matmulF32WasmBase64,
});

/** The float64 instance used by `matmul` (f64x2 lanes, its own module and memory); null means TypeScript. */
export const wasmMatmulF64: WasmMatmul<Float64Array> | null = bestInstance(FLOAT64_ELEMENT, {
  sharedRelaxed: matmulF64SharedMemoryRelaxedWasmBase64, shared: matmulF64SharedMemoryWasmBase64,
  relaxed: matmulF64RelaxedWasmBase64, plain: matmulF64WasmBase64,
});

/** Whether the instances in use fuse multiply-adds (relaxed SIMD builds). */
export const wasmMatmulUsesFusedMultiplyAdd: boolean = wasmMatmulF32 !== null && runtimeAccepts(matmulF32RelaxedWasmBase64);

function runtimeAccepts(base64: string): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(decodeBase64(base64));
  } catch {
    return false;
  }
}
