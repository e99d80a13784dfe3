// Runs compiled cells the way the kernel does (vm + the real CellRuntime), in a fresh
// vm context per session so tests do not share globals. No worker: this isolates the compiler.
import * as vm from 'node:vm';
import { join } from 'node:path';
import { compileCell } from '../../../src/repl/compile_cell';
import { CellRuntime } from '../../../src/kernel/cell_thread/cell_runtime';
import { StackMapper } from '../../../src/kernel/cell_thread/stack_mapper';
import { RUNTIME_GLOBAL } from '../../../src/repl/repl_rewrite';
import { tf } from '../../../engine';
import { SHARED_SLOT_COUNT } from '../../../src/protocol/kernel_messages';

export const FILE = join(__dirname, 'fixture_cells.ts');

export class ReplSession {
  readonly shared = new Int32Array(new SharedArrayBuffer(SHARED_SLOT_COUNT * 4));
  readonly stacks = new StackMapper('never-hidden');
  readonly context: vm.Context = vm.createContext({ tf, console, setTimeout });
  readonly runtime = new CellRuntime(this.shared, { ...tf, default: tf }, this.context as Record<string, unknown>);
  private runId = 0;

  constructor() {
    (this.context as Record<string, unknown>)[RUNTIME_GLOBAL] = this.runtime;
    this.runtime.enterFile(FILE);
  }

  /** Like run, for values to compare structurally (arrays of the vm context are of another realm). */
  async json(code: string, lineOffset = 0): Promise<unknown> {
    return JSON.parse(JSON.stringify(await this.run(code, lineOffset)));
  }

  /** Compile and run one cell starting at 0-based file line `lineOffset`; resolves to its value. */
  async run(code: string, lineOffset = 0): Promise<unknown> {
    const runId = ++this.runId;
    const compiled = await compileCell({ code, file: FILE, lineOffset });
    this.stacks.register(runId, compiled.sourceMap);
    return vm.runInContext(compiled.code, this.context, { filename: `tapescope-run-${runId}.js` });
  }

  global(name: string): unknown {
    return (this.context as Record<string, unknown>)[name];
  }
}
