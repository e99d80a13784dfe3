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
import { nameTensors, type NamedOp } from '../../engine/trace/user_names';
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
 * What naming adds to one run of seed 002's training cell, on its parts in this process (the kernel's end-to-end
 * times, and even the export of 20 MNIST tapes at ~2 s, are far noisier than naming itself): the parse of the
 * compiled cell, then for each of the 20 kept tapes the names matched to its ops (nameTensors) and each op's call
 * site looked up (as export_tape's noteCallSites does). Every op carries a source position, so every lookup runs.
 * Beside it: one training step with trace capture on.
 */
async function namingCostPerRun(images: Tensor, labels: Tensor): Promise<{ namingMs: number; stepMs: number }> {
  const file = join(__dirname, '../../examples/002_gradient_tape_and_mnist.ts');
  const train = splitCells(readFileSync(file, 'utf8')).find((c) => /^Train/.test(c.title))!;
  const compiled = await compileCell({ code: train.code, file, lineOffset: train.startLine });
  const at = { file, line: train.startLine + 7, column: 63 };
  const input = tf.keras.Input({ shape: [784] });
  const model = tf.keras.Model({ inputs: input, outputs: tf.keras.layers.Dense(10, { activation: 'softmax' })(tf.keras.layers.Dense(128, { activation: 'relu' })(input)) });
  const optimizer = tf.keras.optimizers.Adam();
  /** The seed's step on a persistent tape, so its recorded ops are still there to be named. */
  const step = (): NamedOp[] => {
    const tape = new tf.GradientTape({ persistent: true });
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images))));
    optimizer.applyGradients(tape.gradient(loss, model.trainableVariables), model.trainableVariables);
    loss.item();
    return tape.nodes.map((n) => ({ inputs: n.inputs, output: n.output, source: at }));
  };
  for (let i = 0; i < 10; i++) step();
  const namingMs: number[] = [];
  const stepMs: number[] = [];
  for (let round = 0; round < 9; round++) {
    traceCapture.begin({ sourceLines: true });
    const began = performance.now();
    const tapes = Array.from({ length: 20 }, step);
    stepMs.push((performance.now() - began) / 20);
    traceCapture.end();
    const start = performance.now();
    const names = cellNames(compiled.code, compiled.sourceMap, (line, column) => ({ file, line, column }), globalThis as Record<string, unknown>, (v): v is Tensor => v instanceof tf.Tensor);
    for (const ops of tapes) {
      nameTensors(ops, [], names);
      for (const op of ops) names.callAt(op.source!);
    }
    namingMs.push(performance.now() - start);
  }
  return { namingMs: median(namingMs), stepMs: median(stepMs) };
}

export default async function run(): Promise<BenchRow[]> {
  const { images, labels } = batch();
  const step = tapescopeStep(images, labels);
  const { on, off } = onOffMsPerStep(step);
  const heap = heapOverSteps(step);
  const named = await namesOnOffMsPerStep();
  const naming = await namingCostPerRun(images, labels);
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
      note: `per step of the cell's 2,000: ${((100 * naming.namingMs) / (2000 * naming.stepMs)).toFixed(4)}% (target ≤ 5%); even a 1-step run: ${((100 * naming.namingMs) / naming.stepMs).toFixed(1)}%`,
    },
  ];
}
