// The adaptive one-or-two-threads policy, fed synthetic timings (ns per multiply-add) instead of a clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FIRST_RETRY_AFTER, MAX_SHAPES, SplitChooser, SplitChoosersByShape } from '../../../engine/kernels/matmul/split_chooser';

const MACS = 1_000_000;

/** Runs one product: asks the chooser, then reports the time the chosen mode "took". */
function step(chooser: SplitChooser, nsPerMac: { split: number; single: number }): boolean {
  const split = chooser.shouldSplit();
  chooser.record(split, ((split ? nsPerMac.split : nsPerMac.single) * MACS) / 1e6, MACS);
  return split;
}

test('times both modes first, then keeps the faster one', () => {
  const chooser = new SplitChooser('adaptive');
  const cost = { split: 0.015, single: 0.025 };
  assert.equal(step(chooser, cost), true);
  assert.equal(step(chooser, cost), false);
  for (let i = 0; i < FIRST_RETRY_AFTER - 1; i++) assert.equal(step(chooser, cost), true, `call ${i}`);
});

test('a busy second core makes it stop splitting, and it retries the losing mode ever more rarely', () => {
  const chooser = new SplitChooser('adaptive');
  const busy = { split: 0.5, single: 0.025 };
  const choices: boolean[] = [];
  for (let i = 0; i < 2 + FIRST_RETRY_AFTER + 2 * FIRST_RETRY_AFTER + 4 * FIRST_RETRY_AFTER; i++) choices.push(step(chooser, busy));
  const splitCalls = choices.map((split, i) => (split ? i : -1)).filter((i) => i >= 0);
  // The first probe, then retries after 32, 64 and 128 more products.
  assert.deepEqual(splitCalls, [0, 1 + FIRST_RETRY_AFTER, 1 + 3 * FIRST_RETRY_AFTER, 1 + 7 * FIRST_RETRY_AFTER]);
});

test('when the second core frees up, the next retry switches back to splitting', () => {
  const chooser = new SplitChooser('adaptive');
  for (let i = 0; i < 2; i++) step(chooser, { split: 0.5, single: 0.025 });
  const idle = { split: 0.012, single: 0.025 };
  const choices: boolean[] = [];
  for (let i = 0; i < FIRST_RETRY_AFTER + 5; i++) choices.push(step(chooser, idle));
  assert.equal(choices.indexOf(true), FIRST_RETRY_AFTER - 1);
  assert.ok(choices.slice(FIRST_RETRY_AFTER).every((split) => split), 'splits from then on');
});

test("policy 'always' splits every product whatever the timings", () => {
  const chooser = new SplitChooser('always');
  for (let i = 0; i < 100; i++) assert.equal(step(chooser, { split: 1, single: 0.01 }), true);
});

test('per-shape choosers: a shape that loses from splitting stops splitting while another keeps splitting', () => {
  const choosers = new SplitChoosersByShape('adaptive');
  const small = { split: 0.05, single: 0.02 };
  const large = { split: 0.012, single: 0.022 };
  const smallChoices: boolean[] = [];
  const largeChoices: boolean[] = [];
  // Interleaved like a training step's products.
  for (let i = 0; i < 20; i++) {
    largeChoices.push(step(choosers.for(128, 784, 128, false, false), large));
    smallChoices.push(step(choosers.for(128, 128, 10, false, false), small));
  }
  assert.equal(choosers.shapes, 2);
  assert.deepEqual(smallChoices.slice(2), new Array(18).fill(false), 'the small product stays on one thread');
  assert.deepEqual(largeChoices.slice(2), new Array(18).fill(true), 'the large product keeps splitting');
  // The transposes make a different product.
  assert.notEqual(choosers.for(784, 128, 128, true, false), choosers.for(784, 128, 128, false, false));
});

test('per-shape choosers stay bounded: past MAX_SHAPES shapes they start over', () => {
  const choosers = new SplitChoosersByShape('adaptive');
  const first = choosers.for(1, 1, 1, false, false);
  for (let m = 2; m <= MAX_SHAPES; m++) choosers.for(m, 1, 1, false, false);
  assert.equal(choosers.shapes, MAX_SHAPES);
  assert.equal(choosers.for(1, 1, 1, false, false), first, 'still known');
  choosers.for(MAX_SHAPES + 1, 1, 1, false, false);
  assert.equal(choosers.shapes, 1);
  assert.notEqual(choosers.for(1, 1, 1, false, false), first, 'forgotten after the reset');
});
