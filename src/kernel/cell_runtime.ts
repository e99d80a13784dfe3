// The `__tapescope` global that rewritten cells call (see src/repl/repl_rewrite.ts):
// interrupt checks, module loading relative to the cell's file, var declarations.
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { SharedSlot } from '../protocol/kernel_messages';

/** Thrown into a running cell when the host asks it to stop; carries the file line when known. */
export class KernelInterrupt extends Error {
  constructor(readonly fileLine: number | undefined) {
    super('interrupted');
    this.name = 'KernelInterrupt';
  }
}

// Kept outside the bundle's own import() handling: the user's ES modules load through Node's loader.
const nativeImport = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

export class CellRuntime {
  private file = '';
  private requireFromFile: NodeRequire = createRequire(__filename);

  /** `scope` is the global object cells run in (the worker's own globalThis). */
  constructor(
    private readonly shared: Int32Array,
    private readonly tapescopeModule: Record<string, unknown>,
    private readonly scope: Record<string, unknown> = globalThis as Record<string, unknown>,
  ) {}

  /** Called before each cell: `require` and `import` now resolve from this file's folder. */
  enterFile(file: string): void {
    this.file = file;
    this.requireFromFile = createRequire(file);
    const g = this.scope;
    g.require = this.requireFromFile;
    g.__filename = file;
    g.__dirname = file.replace(/[\\/][^\\/]*$/, '');
  }

  get interruptRequested(): boolean {
    return Atomics.load(this.shared, SharedSlot.interrupt) !== 0;
  }

  /** Every loop of a cell calls this once per iteration. */
  tick(fileLine: number): void {
    if (Atomics.load(this.shared, SharedSlot.interrupt) !== 0) throw new KernelInterrupt(fileLine);
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
