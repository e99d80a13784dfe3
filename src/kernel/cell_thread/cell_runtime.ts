// The `__tapescope` global that rewritten cells call (see src/repl/repl_rewrite.ts):
// interrupt checks, module loading relative to the cell's file, var declarations.
import { createRequire } from 'node:module';
import { getHeapStatistics } from 'node:v8';
import { dirname, isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { SharedSlot } from '../../protocol/kernel_messages';

/** Thrown into a running cell when the host asks it to stop; carries the file line when known. */
export class KernelInterrupt extends Error {
  constructor(readonly fileLine: number | undefined) {
    // the cell's own frame can lie below a dozen engine frames (an op inside a gradient inside a method call)
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 60;
    super('interrupted');
    Error.stackTraceLimit = limit;
    this.name = 'KernelInterrupt';
  }
}

/**
 * Thrown when tensors and other typed arrays outgrow the kernel's limit. They live outside the JS heap,
 * so worker_threads' resourceLimits never see them; left alone they would exhaust the machine. An ordinary
 * error: the bindings holding them stay, and the user can free some.
 */
export class KernelOutOfMemory extends Error {
  constructor(readonly usedMb: number, readonly limitMb: number, settingName: string) {
    super(`out of memory: tensors and typed arrays hold ${usedMb} MB (limit ${limitMb} MB, ${settingName}); free some (x = null) or raise the limit`);
    this.name = 'KernelOutOfMemory';
  }
}

// How often (in loop iterations / ops) the external-memory check runs; each check costs about a microsecond.
const MEMORY_CHECK_EVERY = 256;

// Kept outside the bundle's own import() handling: the user's ES modules load through Node's loader.
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export class CellRuntime {
  private file = '';
  private untilMemoryCheck = MEMORY_CHECK_EVERY;
  /** Limit on memory outside the JS heap (typed arrays), in MB; 0 means none. */
  externalMemoryLimitMb = 0;
  /** The setting that raises the limit, named in the error. */
  memorySettingName = 'the kernel heap limit';
  private requireFromFile: NodeRequire = createRequire(__filename);

  /** `scope` is the global object cells run in (the worker's own globalThis). */
  constructor(
    private readonly shared: Int32Array,
    private readonly tapescopeModule: Record<string, unknown>,
    private readonly scope: Record<string, unknown> = globalThis as Record<string, unknown>,
  ) {}

  /** Called before each cell: `require` and `import` now resolve from this file's folder. */
  enterFile(file: string): void {
    // An unsaved editor has no folder: resolve from the kernel's working directory then.
    this.file = isAbsolute(file) ? file : join(process.cwd(), 'untitled.ts');
    this.requireFromFile = createRequire(this.file);
    const g = this.scope;
    g.require = this.requireFromFile;
    g.__filename = this.file;
    g.__dirname = dirname(this.file);
  }

  get interruptRequested(): boolean {
    return Atomics.load(this.shared, SharedSlot.interrupt) !== 0;
  }

  /** Every loop of a cell calls this once per iteration. */
  tick(fileLine: number): void {
    if (Atomics.load(this.shared, SharedSlot.interrupt) !== 0) throw new KernelInterrupt(fileLine);
    if (--this.untilMemoryCheck <= 0) this.checkMemory();
  }

  /** Called before every engine op (and by tick): stop when asked to, or when memory runs out. */
  beforeOp(): void {
    if (Atomics.load(this.shared, SharedSlot.interrupt) !== 0) throw new KernelInterrupt(undefined);
    if (--this.untilMemoryCheck <= 0) this.checkMemory();
  }

  /** Publishes the heap in use for the kernel process's heap watch, and enforces the limit on typed arrays. */
  checkMemory(): void {
    this.untilMemoryCheck = MEMORY_CHECK_EVERY;
    const stats = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & { external_memory?: number };
    const usedMb = (stats.external_memory ?? 0) / 2 ** 20;
    Atomics.store(this.shared, SharedSlot.heapUsedMb, Math.round(stats.used_heap_size / 2 ** 20));
    Atomics.store(this.shared, SharedSlot.externalMb, Math.round(usedMb));
    Atomics.add(this.shared, SharedSlot.memoryPosts, 1);
    if (this.externalMemoryLimitMb <= 0) return;
    if (usedMb > this.externalMemoryLimitMb) throw new KernelOutOfMemory(Math.round(usedMb), this.externalMemoryLimitMb, this.memorySettingName);
  }

  declareVars(names: string[]): void {
    for (const name of names) if (!(name in this.scope)) this.scope[name] = undefined;
  }

  async importModule(specifier: string): Promise<unknown> {
    if (specifier === 'tapescope') return this.tapescopeModule;
    try {
      return this.requireFromFile(specifier);
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_REQUIRE_ESM') throw err;
      return nativeImport(pathToFileURL(this.requireFromFile.resolve(specifier)).href);
    }
  }

  dynamicImport(specifier: string): Promise<unknown> {
    return this.importModule(specifier);
  }

  get importMeta(): { url: string } {
    return { url: pathToFileURL(this.file).href };
  }

  /** `import x from "m"` takes a CommonJS module's exports as its default. */
  withDefault(module: unknown): unknown {
    if (typeof module !== 'object' || module === null || 'default' in module) return module;
    return { ...(module as object), default: module };
  }
}
