// Builds the real kernel (its process entry and the cell thread with the engine) the way the extension's
// build does, once per test process, and starts kernels on it.
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Kernel, type KernelOptions, type RunRequest } from '../../../src/kernel/kernel';

const repoRoot = resolve(__dirname, '../../..');
let built: Promise<string> | undefined;

/** Optional extra esbuild plugins (TAPESCOPE_TEST_ENGINE points the engine import elsewhere while developing). */
function enginePlugins(): Plugin[] {
  const engine = process.env.TAPESCOPE_TEST_ENGINE;
  if (!engine) return [];
  return [{
    name: 'engine-override',
    setup(b) {
      b.onResolve({ filter: /^(\.\.\/)+engine$/ }, () => ({ path: resolve(engine) }));
    },
  }];
}

/** Builds dist-like kernel_process.js and cell_thread.js into one temporary folder; returns the process entry. */
export function buildWorker(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tapescope-kernel-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    await build({
      entryPoints: {
        kernel_process: join(repoRoot, 'src/kernel/process/kernel_process.ts'),
        cell_thread: join(repoRoot, 'src/kernel/cell_thread/worker.ts'),
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outdir: dir,
      external: ['esbuild'],
      plugins: enginePlugins(),
      logLevel: 'silent',
    });
    return join(dir, 'kernel_process.js');
  })();
  return built;
}

/** The cell thread's bundle (beside the process entry), for tests that talk to the thread directly. */
export async function buildCellThread(): Promise<string> {
  return join(dirname(await buildWorker()), 'cell_thread.js');
}

export async function startKernel(overrides: Partial<KernelOptions> = {}): Promise<Kernel> {
  return new Kernel({
    workerScript: await buildWorker(),
    maxOldGenerationSizeMb: 256,
    interruptTimeoutMs: 3000,
    ...overrides,
  });
}

/** A cell of a made-up file at /work/examples/demo.ts starting at 0-based line `lineOffset`. */
export function cell(code: string, lineOffset = 0, file = join(repoRoot, 'examples', 'kernel_test_cells.ts')): RunRequest {
  return { code, file, lineOffset, title: '' };
}

/** Processes whose parent is this one (zombies included: an unreaped kernel would count). */
export function childProcessCount(): number {
  let count = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) count++;
    } catch {
      // the process ended while we looked
    }
  }
  return count;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
