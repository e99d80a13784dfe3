// Cell compile time, the packaged compiler (esbuild-wasm on the compiler's thread) against the native esbuild
// binary earlier packages carried (one per platform): compileCell alone (transform + REPL rewrite + source-map
// composition), and the warm round trip through a kernel (compile, run, value back), for a trivial cell and a
// 200-line one. Both compilers run in this process, one after the other.
import { transform as nativeTransform } from 'esbuild';
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import { compileCell, useCellTransform, type CellSource } from '../../src/repl/compile_cell';
import type { Transform } from '../../src/repl/cell_transpiler';
import { CellTranspiler } from '../../src/repl/cell_transpiler';
import { startKernel, cell } from '../../test/unit/kernel/kernel_fixture';

const SUITE = 'cell compile';
const WARMUP = 300;
/** Warm-up also lasts this long: V8 tiers esbuild.wasm's 14 MB up in the background, slower on a busy machine. */
const WARMUP_MS = 5000;
const SAMPLES = 200;
const NATIVE = 'native esbuild binary (before)';

const TRIVIAL = 'const x = 1;\nx + 1';
/** 200 lines of typical cell code: typed bindings, a function, a loop, tensor calls. */
const LONG = Array.from({ length: 40 }, (_, i) => [
  `const w${i}: tf.Tensor = tf.constant([[${i}.5, 1], [2, ${i}]]);`,
  `function step${i}(v: tf.Tensor, rate: number = 0.1): tf.Tensor {`,
  `  return v.mul(rate).add(w${i}) as tf.Tensor; // one update`,
  '}',
  `for (let k${i} = 0; k${i} < 2; k${i}++) step${i}(w${i});`,
].join('\n')).join('\n') + '\n1';

const nativeCompile: Transform = async (code, options) => {
  const result = await nativeTransform(code, options);
  return { code: result.code, map: result.map };
};

async function medianMs(fn: () => Promise<unknown>): Promise<number> {
  const warmUntil = performance.now() + WARMUP_MS;
  for (let i = 0; i < WARMUP || performance.now() < warmUntil; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export default async function run(): Promise<BenchRow[]> {
  const source = (code: string): CellSource => ({ code, file: '/bench/cells.ts', lineOffset: 0 });
  const wasm = new CellTranspiler();
  const rows: BenchRow[] = [];
  try {
    const coldStart = performance.now();
    await compileCell(source(TRIVIAL), wasm.transform);
    const coldMs = performance.now() - coldStart;
    for (const [label, code] of [['trivial cell', TRIVIAL], ['200-line cell', LONG]] as const) {
      rows.push({
        suite: SUITE,
        case: `compile a ${label} (warm)`,
        unit: 'ms',
        tapescope: await medianMs(() => compileCell(source(code), wasm.transform)),
        peers: { [NATIVE]: await medianMs(() => compileCell(source(code), nativeCompile)) },
        higherIsBetter: false,
        note: `esbuild-wasm on the compiler's thread; median of ${SAMPLES} after ≥ ${WARMUP} warm-up compiles and ≥ ${WARMUP_MS / 1000} s; includes the REPL rewrite and source-map composition`,
      });
    }
    rows.push({
      suite: SUITE, case: 'first compile (cold: thread start + esbuild.wasm compile)', unit: 'ms', tapescope: coldMs, peers: {},
      higherIsBetter: false, note: 'one sample, the transform alone; once per VS Code window, in the background since #17 (the warm-up when a cell file is shown: see cell_roundtrip for what the first Run waits for)',
    });
  } finally {
    await wasm.dispose();
  }

  const kernel = await startKernel();
  try {
    for (const [label, code] of [['trivial cell', TRIVIAL], ['200-line cell', LONG]] as const) {
      const roundTrip = () => kernel.run(cell(code)).then((r) => {
        if (r.outcome !== 'ok') throw new Error(`cell_compile: the ${label} failed: ${r.error?.message}`);
      });
      useCellTransform(nativeCompile);
      const before = await medianMs(roundTrip);
      useCellTransform(undefined);
      const after = await medianMs(roundTrip);
      rows.push({
        suite: SUITE,
        case: `round trip of a ${label} through the kernel (warm)`,
        unit: 'ms',
        tapescope: after,
        peers: { [NATIVE]: before },
        higherIsBetter: false,
        note: `compile + run + value back; median of ${SAMPLES}`,
      });
    }
  } finally {
    useCellTransform(undefined);
    await kernel.dispose();
  }
  return rows;
}
