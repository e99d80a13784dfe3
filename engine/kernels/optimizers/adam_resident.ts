// Float32 Adam with its state resident in WebAssembly memory: each variable owns a region [w | g | m | v] for
// good, so a step copies only the gradient in and the new weights out (and the old weights in only when someone
// else changed them since). The memory is shared, because views of a shared memory stay valid when it grows:
// the moments can be handed out once as plain Float32Arrays (the optimizer's readable slots). Runtimes without
// shared WebAssembly memory (browsers that are not cross-origin isolated) get null and use adam.ts's copies.
import { adamF32SharedMemoryWasmBase64 } from './wasm/adam_wasm_bytes.generated';
import { adamLoop } from './adam';

/** One variable's resident state; every view stays valid for the region's life. */
export interface AdamRegion {
  /** Number of weights. */
  readonly length: number;
  /** The weights as the last step left them (the optimizer copies them in when they changed elsewhere). */
  readonly weights: Float32Array;
  /** Where the step's gradient is copied. */
  readonly gradient: Float32Array;
  /** First moment. */
  readonly m: Float32Array;
  /** Second moment. */
  readonly v: Float32Array;
}

interface Region extends AdamRegion {
  readonly byteAddress: number;
  readonly bytes: number;
}

interface AdamExports {
  heapBase(): number;
  adamTable(table: number, count: number, lrT: number, beta1: number, beta2: number, epsilon: number): void;
}

/** Below this many weights in a step the plain loop beats the kernel call (and keeps the old small-step results). */
const WASM_MIN_WEIGHTS = 1024;
const PAGE_BYTES = 65536;
const MAX_PAGES = 32768;
const TABLE_ENTRY_BYTES = 20;

/**
 * The shared memory, a bump allocator over it with a first-fit free list (regions of collected optimizers come
 * back through a FinalizationRegistry), and the one-call update over any set of regions.
 */
export class AdamResidentMemory {
  private top: number;
  private readonly free: { byteAddress: number; bytes: number }[] = [];
  private table: { byteAddress: number; bytes: number; ints: Int32Array } | null = null;
  private readonly reclaim = new FinalizationRegistry<Region>((region) => this.release(region));

  private constructor(private readonly memory: WebAssembly.Memory, private readonly kernel: AdamExports) {
    this.top = Math.ceil(kernel.heapBase() / 16) * 16;
  }

  /** The module's instance over a fresh shared memory, or null when the runtime cannot make one. */
  static create(): AdamResidentMemory | null {
    if (typeof WebAssembly !== 'object' || typeof SharedArrayBuffer !== 'function' || !adamF32SharedMemoryWasmBase64) return null;
    try {
      const binary = atob(adamF32SharedMemoryWasmBase64);
      const bytes = new Uint8Array(binary.length);
      for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
      if (!WebAssembly.validate(bytes)) return null;
      const memory = new WebAssembly.Memory({ initial: 1, maximum: MAX_PAGES, shared: true });
      const abort = () => { throw new Error('Adam WASM kernel aborted'); };
      const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory, abort } });
      return new AdamResidentMemory(memory, instance.exports as unknown as AdamExports);
    } catch {
      return null;
    }
  }

  /**
   * A zeroed region for `length` weights, given back to the free list once `owner` is collected.
   * @throws Error when the memory cannot grow to hold it.
   */
  allocate(length: number, owner: object): AdamRegion {
    const stride = Math.ceil(length / 4) * 4;
    const bytes = Math.max(16, 16 * stride);
    const byteAddress = this.take(bytes);
    const view = (k: number) => new Float32Array(this.memory.buffer, byteAddress + 4 * k * stride, length);
    const region: Region = { length, byteAddress, bytes, weights: view(0), gradient: view(1), m: view(2), v: view(3) };
    new Float32Array(this.memory.buffer, byteAddress, bytes / 4).fill(0);
    this.reclaim.register(owner, region);
    return region;
  }

  /**
   * One Adam step over `regions` (their weights and gradients already in place): one kernel call over all of
   * them, or the plain loop when they are few weights in all.
   */
  update(regions: readonly AdamRegion[], lrT: number, beta1: number, beta2: number, epsilon: number): void {
    let total = 0;
    for (const r of regions) total += r.length;
    if (total < WASM_MIN_WEIGHTS) {
      for (const r of regions) adamLoop(r.weights, r.weights, r.gradient, r.m, r.v, lrT, beta1, beta2, epsilon);
      return;
    }
    const ints = this.tableFor(regions.length);
    for (let e = 0, at = 0; e < regions.length; e++, at += TABLE_ENTRY_BYTES / 4) {
      const r = regions[e] as Region;
      const stride = Math.ceil(r.length / 4) * 4 * 4;
      ints[at] = r.byteAddress;
      ints[at + 1] = r.byteAddress + stride;
      ints[at + 2] = r.byteAddress + 2 * stride;
      ints[at + 3] = r.byteAddress + 3 * stride;
      ints[at + 4] = r.length;
    }
    this.kernel.adamTable(ints.byteOffset, regions.length, lrT, beta1, beta2, epsilon);
  }

  private tableFor(count: number): Int32Array {
    const bytes = Math.ceil(count * TABLE_ENTRY_BYTES / 16) * 16;
    if (this.table === null || this.table.bytes < bytes) {
      if (this.table !== null) this.release(this.table);
      const grown = Math.max(bytes, 2 * (this.table?.bytes ?? 0), 256);
      const byteAddress = this.take(grown);
      this.table = { byteAddress, bytes: grown, ints: new Int32Array(this.memory.buffer, byteAddress, grown / 4) };
    }
    return this.table.ints;
  }

  private take(bytes: number): number {
    const fit = this.free.findIndex((f) => f.bytes >= bytes);
    if (fit >= 0) {
      const block = this.free[fit];
      const byteAddress = block.byteAddress;
      if (block.bytes === bytes) this.free.splice(fit, 1);
      else { block.byteAddress += bytes; block.bytes -= bytes; }
      return byteAddress;
    }
    const byteAddress = this.top;
    const end = byteAddress + bytes;
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      const pages = Math.ceil((end - have) / PAGE_BYTES);
      if (have / PAGE_BYTES + pages > MAX_PAGES) throw new Error(`Adam: optimizer state of ${end} bytes exceeds the WebAssembly memory limit`);
      this.memory.grow(pages);
    }
    this.top = end;
    return byteAddress;
  }

  private release(block: { byteAddress: number; bytes: number }): void {
    this.free.push({ byteAddress: block.byteAddress, bytes: block.bytes });
  }
}

let shared: AdamResidentMemory | null | undefined;
let enabled = true;

/** The process's resident Adam memory (made on first use), or null when the runtime lacks shared WebAssembly memory. */
export function adamResidentMemory(): AdamResidentMemory | null {
  if (!enabled) return null;
  if (shared === undefined) shared = AdamResidentMemory.create();
  return shared;
}

/** @internal Tests: turns the resident path off (optimizers made afterwards copy, as without shared memory); returns the previous setting. */
export function setAdamResidentEnabled(on: boolean): boolean {
  const previous = enabled;
  enabled = on;
  return previous;
}
