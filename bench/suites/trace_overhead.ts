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

const NAMED_STEPS = 50;
const NAMED_ROUNDS = 6;

/**
 * Seed 002's cells in two real kernels, one naming traced tensors (the default) and one not; then its training
 * cell cut to NAMED_STEPS steps, run in each kernel in turn. Both capture traces with source lines, as the
 * inspector does. A run's time includes the parse of the cell and the export of its tapes, where names are put.
 */
async function namesOnOffMsPerStep(): Promise<{ on: number; off: number }> {
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
  return { on: median(samples.on), off: median(samples.off) };
}

export default async function run(): Promise<BenchRow[]> {
  const { images, labels } = batch();
  const step = tapescopeStep(images, labels);
  const { on, off } = onOffMsPerStep(step);
  const heap = heapOverSteps(step);
  const named = await namesOnOffMsPerStep();
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
      note: `names on/off = ${(named.on / named.off).toFixed(3)} (target ≤ 1.05); ${NAMED_STEPS}-step runs, ${NAMED_ROUNDS} per kernel alternating; parse and tape export included`,
    },
  ];
}
