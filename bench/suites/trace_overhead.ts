// What the inspector costs: the seed training step with trace capture on (traceCapture.begin() around the loop,
// as the kernel does for a cell) vs off, whether memory stays flat over 10,000 training steps, and in the real
// kernel the seed training cell with the user's names put on its traces vs without.
import v8 from 'node:v8';
import vm from 'node:vm';
import type { BenchRow } from '../bench_row';
import { tf, traceCapture } from '../../engine';
import { median } from '../measure';
import { tapescopeStep } from './training_step';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCells } from '../../src/cells/cell_splitter';
import { startKernel } from '../../test/unit/kernel/kernel_fixture';
import type { Kernel } from '../../src/kernel/kernel';
import { compileCell } from '../../src/repl/compile_cell';
import { cellNames } from '../../src/repl/cell_names';
import { runtime } from '../../engine';
import type { Tensor } from '../../engine/tensor/tensor';

const BATCH = 128;
const HEAP_STEPS = 10_000;

function batch() {
  const images = tf.random.uniform([BATCH, 784], { seed: 1 });
  const labels = tf.oneHot(tf.constant(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  return { images, labels };
}

/** Median ms/step over rounds that alternate trace on and off, so drift in machine load hits both alike. */
function onOffMsPerStep(step: () => void): { on: number; off: number } {
  const on: number[] = [];
  const off: number[] = [];
  for (let i = 0; i < 30; i++) step();
  for (let round = 0; round < 20; round++) {
    for (const capture of [false, true]) {
      if (capture) traceCapture.begin();
      const start = performance.now();
      for (let i = 0; i < 10; i++) step();
      (capture ? on : off).push((performance.now() - start) / 10);
      if (capture) traceCapture.end();
    }
  }
  return { on: median(on), off: median(off) };
}

function forceGc(): () => void {
  v8.setFlagsFromString('--expose-gc');
  return vm.runInNewContext('gc') as () => void;
}

/** Array buffers are freed on a second pass, after the first collects the tensors that own them. */
function fullGc(gc: () => void): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Heap used after a full GC at step 1,000 and at step 10,000 (trace off), in MB. */
function heapOverSteps(step: () => void): { early: number; late: number } {
  const gc = forceGc();
  let early = 0;
  for (let i = 1; i <= HEAP_STEPS; i++) {
    step();
    if (i === 1000) early = fullGc(gc);
  }
  const late = fullGc(gc);
  return { early: early / 2 ** 20, late: late / 2 ** 20 };
}

const NAMED_STEPS = 20;
const NAMED_ROUNDS = 16;

/**
 * Seed 002's cells in two real kernels, one naming traced tensors (the default) and one not; then its training
 * cell cut to NAMED_STEPS steps, run in each kernel in turn. Both capture traces with source lines, as the
 * inspector does. A run's time includes the parse of the cell and the export of its tapes, where names are put.
 */
async function namesOnOffMsPerStep(): Promise<{ on: number; off: number; ratio: number }> {
  const file = join(__dirname, '../../examples/002_gradient_tape_and_mnist.ts');
  const cells = splitCells(readFileSync(file, 'utf8'));
  const trainAt = cells.findIndex((c) => /^Train/.test(c.title));
  const train = { ...cells[trainAt], code: cells[trainAt].code.replace(/totalSteps = \d+/, `totalSteps = ${NAMED_STEPS}`) };
  const kernels: Record<'on' | 'off', Kernel> = { on: await startKernel({ maxOldGenerationSizeMb: 2048 }), off: await startKernel({ maxOldGenerationSizeMb: 2048, userNames: false }) };
  const samples: Record<'on' | 'off', number[]> = { on: [], off: [] };
  try {
    for (const k of Object.values(kernels)) {
      for (const c of [...cells.slice(0, trainAt), train]) {
        const result = await k.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
        if (result.outcome !== 'ok') throw new Error(`${c.title}: ${result.error?.message}`);
      }
    }
    for (let round = 0; round < NAMED_ROUNDS; round++) {
      for (const which of round % 2 === 0 ? (['on', 'off'] as const) : (['off', 'on'] as const)) {
        const result = await kernels[which].run({ code: train.code, file, lineOffset: train.startLine, title: train.title });
        if (result.outcome !== 'ok') throw new Error(`${train.title}: ${result.error?.message}`);
        samples[which].push(result.durationMs / NAMED_STEPS);
      }
    }
  } finally {
    await Promise.all(Object.values(kernels).map((k) => k.dispose()));
  }
  // Each round runs the two back to back: the median of the rounds' ratios cancels the load drifting between rounds.
  const ratios = samples.on.map((on, i) => on / samples.off[i]);
  if (process.env.BENCH_DEBUG) console.log('names on', samples.on.map((x) => x.toFixed(1)).join(' '), '\nnames off', samples.off.map((x) => x.toFixed(1)).join(' '));
  return { on: median(samples.on), off: median(samples.off), ratio: median(ratios) };
}

/**
 * What naming adds to one run of seed 002's training cell, measured on its parts in this process (precise where
 * the kernel's end-to-end times are not): the parse of the compiled cell, plus exporting the 20 kept tapes with
 * names minus without. Every op gets a source position (a fixed one: the lookup costs the same), so names are
 * looked up for each op as in the kernel. Beside it: one training step with trace capture on.
 */
async function namingCostPerRun(step: () => void): Promise<{ namingMs: number; stepMs: number }> {
  const file = join(__dirname, '../../examples/002_gradient_tape_and_mnist.ts');
  const train = splitCells(readFileSync(file, 'utf8')).find((c) => /^Train/.test(c.title))!;
  const compiled = await compileCell({ code: train.code, file, lineOffset: train.startLine });
  const at = { file, line: train.startLine + 7, column: 63 };
  const parse = (): ReturnType<typeof cellNames> => cellNames(compiled.code, compiled.sourceMap, (line, column) => ({ file, line, column }), globalThis as Record<string, unknown>, (v): v is Tensor => v instanceof tf.Tensor);
  runtime.setSourceLocator(() => at);
  const parseMs: number[] = [];
  const exportExtraMs: number[] = [];
  const stepMs: number[] = [];
  try {
    for (let round = 0; round < 9; round++) {
      let start = performance.now();
      const names = parse();
      parseMs.push(performance.now() - start);
      const exportMs = (withNames: boolean): number => {
        traceCapture.begin({ sourceLines: true, ...(withNames ? { names } : {}) });
        const began = performance.now();
        for (let i = 0; i < 20; i++) step();
        stepMs.push((performance.now() - began) / 20);
        start = performance.now();
        traceCapture.end();
        return performance.now() - start;
      };
      // Alternate which export goes first, so warming up favours neither.
      let plain: number;
      let named: number;
      if (round % 2 === 0) { plain = exportMs(false); named = exportMs(true); } else { named = exportMs(true); plain = exportMs(false); }
      exportExtraMs.push(named - plain);
    }
  } finally {
    runtime.setSourceLocator(null);
  }
  return { namingMs: median(parseMs) + Math.max(0, median(exportExtraMs)), stepMs: median(stepMs) };
}

export default async function run(): Promise<BenchRow[]> {
  const { images, labels } = batch();
  const step = tapescopeStep(images, labels);
  const { on, off } = onOffMsPerStep(step);
  const heap = heapOverSteps(step);
  const named = await namesOnOffMsPerStep();
  const naming = await namingCostPerRun(step);
  return [
    {
      suite: 'trace overhead',
      case: 'seed training step, trace capture on (vs off in the peer column)',
      unit: 'ms/step',
      tapescope: on,
      peers: { 'Tapescope, trace off': off },
      higherIsBetter: false,
      note: `on/off = ${(on / off).toFixed(3)} (target ≤ 1.10); capture keeps the last 20 tapes; export at end() not included`,
    },
    {
      suite: 'trace overhead',
      case: `heap + array buffers after ${HEAP_STEPS.toLocaleString('en-US')} training steps (trace off)`,
      unit: 'MB',
      tapescope: heap.late,
      peers: { 'same at step 1,000': heap.early },
      higherIsBetter: false,
      note: `growth from step 1,000 to ${HEAP_STEPS.toLocaleString('en-US')}: ${(heap.late - heap.early).toFixed(2)} MB (after a full GC each time)`,
    },
    {
      suite: 'trace overhead',
      case: `seed 002's training cell in the kernel, inspector on, user's names on (vs off in the peer column)`,
      unit: 'ms/step',
      tapescope: named.on,
      peers: { "Tapescope, names off": named.off },
      higherIsBetter: false,
      note: `names on/off = ${named.ratio.toFixed(3)}, median of ${NAMED_ROUNDS} back-to-back pairs (target ≤ 1.05); ${NAMED_STEPS}-step runs; parse and tape export included`,
    },
    {
      suite: 'trace overhead',
      case: "user's names, cost per run of seed 002's training cell: parse + naming its 20 kept tapes (vs one training step)",
      unit: 'ms',
      tapescope: naming.namingMs,
      peers: { 'one training step, trace on': naming.stepMs },
      higherIsBetter: false,
      note: `naming per run = ${((100 * naming.namingMs) / naming.stepMs).toFixed(1)}% of ONE step (target ≤ 5% of step time; the cell runs 2,000 steps per run)`,
    },
  ];
}
