// The tape list as a user reads it: the run's tapes newest first with how many were recorded and
// kept, the engine's own tapes behind a toggle, and a tape whose record() threw saying so — with
// traces from the real engine and, for the error's line, the real kernel.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { tf, traceCapture } from '../../engine';
import { send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { descentLoopCell } from './engine_traces';
import { cell, startKernel } from '../unit/kernel/kernel_fixture';
import type { Kernel } from '../../src/kernel/kernel';
import type { TapeTrace } from '../../engine/trace/trace_format';

const run = { runId: 1, cellTitle: 'cell', file: '/work/example/cells.ts', line: 3 };

/** forward_mode.ts's Hessian-vector product: a user's tape around a ForwardAccumulator (two internal tapes). */
function hvpTapes(): TapeTrace[] {
  traceCapture.begin();
  const x = new tf.Variable(tf.constant([1, 2]), { name: 'x' });
  const tape = new tf.GradientTape();
  let hvp: unknown;
  const acc = new tf.autodiff.ForwardAccumulator(x, tf.constant([1, 0]));
  tape.record(() => {
    const y = tf.reduceSum(tf.pow(x, 3));
    hvp = acc.jvp(y);
    return y;
  });
  void hvp;
  return traceCapture.end();
}

describe('tape list', () => {
  let harness: InspectorHarness;
  let kernel: Kernel;
  before(async () => { harness = await startInspectorHarness(); kernel = await startKernel(); });
  after(async () => { await harness?.close(); await kernel?.dispose(); });

  it('says how many tapes the run recorded and how many are kept (seed 004: 100 steps, 20 kept)', async () => {
    const cellTapes = descentLoopCell().tapes;
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: cellTapes });
    assert.equal(await page.locator('.tape-counts').innerText(), '100 tapes recorded · 20 kept');
    assert.equal(await page.locator('.tape-entry').count(), 20);
    assert.match(await page.locator('.tape-entry').first().innerText(), /^#99 /, 'the newest (step 99) is first');
    await page.setViewportSize({ width: 620, height: 570 });
    await page.waitForTimeout(100);
    assert.equal(await page.locator('select.tape-picker option').first().innerText(), '100 tapes recorded · 20 kept');
    await page.close();
  });

  it("hides a ForwardAccumulator's internal tapes until asked, in the column and in the picker", async () => {
    const tapes = hvpTapes();
    const internal = tapes.filter((t) => t.internal === 'forward-accumulator');
    assert.ok(internal.length >= 1, `the accumulator's tapes are marked (${tapes.map((t) => t.internal ?? 'user').join(', ')})`);
    const user = tapes.filter((t) => t.internal === undefined);
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes });
    assert.equal(await page.locator('.tape-entry').count(), user.length);
    assert.equal(await page.locator('.tape-entry[aria-pressed="true"]').getAttribute('data-tape-id'), String(user.at(-1)!.tapeId), "the user's newest tape is shown");
    assert.match(await page.locator('.tape-counts').innerText(), new RegExp(`${internal.length} internal hidden`));
    await page.locator('input.show-internal').check();
    assert.equal(await page.locator('.tape-entry').count(), tapes.length);
    await page.locator('input.show-internal').uncheck();
    await page.setViewportSize({ width: 620, height: 570 });
    await page.waitForTimeout(100);
    const picker = page.locator('select.tape-picker');
    assert.equal(await picker.locator('option[value]:not([value="internal"])').count(), user.length);
    await picker.selectOption('internal');
    assert.equal(await picker.locator('option[value]:not([value="internal"])').count(), tapes.length);
    await page.close();
  });

  it('through the real kernel: seed 004\'s 100-step loop, then a tape around a ForwardAccumulator — counts, internal tapes hidden, newest selected after each run', async () => {
    let sent: { tapes: TapeTrace[]; droppedTapes: number } = { tapes: [], droppedTapes: 0 };
    const listener = kernel.onTapes.event((e) => { sent = { tapes: e.tapes, droppedTapes: e.droppedTapes }; });
    const loop = [
      'const v = new tf.Variable(0.0, { name: "v" });',
      'for (let step = 0; step < 100; step++) {',
      '  const stepTape = new tf.GradientTape();',
      '  const loss = stepTape.record(() => v.pow(2).mul(3).add(v.mul(2)).sub(1));',
      '  v.assignSub(stepTape.gradient(loss, v)!.mul(0.1));',
      '}',
    ].join('\n');
    assert.equal((await kernel.run(cell(loop, 0))).outcome, 'ok');
    const first = sent.tapes;
    const user = first.filter((t) => t.internal === undefined);
    const recorded = Math.max(...first.map((t) => t.order)) + 1;
    assert.equal(recorded, 100, "every step's tape is counted");
    assert.equal(first.length + sent.droppedTapes, 20, 'the capture keeps the newest 20 (the kernel drops none of those)');
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run: { ...run, runId: 1 }, tapes: first });
    assert.equal(await page.locator('.tape-counts').innerText(), `${recorded} tapes recorded · ${first.length} kept`);
    const newest = [...user].sort((a, b) => b.order - a.order)[0];
    assert.equal(newest.order, recorded - 1);
    assert.equal(await page.locator('.tape-entry[aria-pressed="true"]').getAttribute('data-tape-id'), String(newest.tapeId), 'the newest tape is selected');
    assert.match(await page.locator('.tape-entry').first().innerText(), new RegExp(`^#${recorded - 1} `));

    // A second run: one user tape around an accumulator (its internal tapes are kept this time, and hidden).
    const hvp = [
      'const x = new tf.Variable(tf.constant([1, 2]), { name: "x" });',
      'const outer = new tf.GradientTape();',
      'const inner = new tf.autodiff.ForwardAccumulator(x, tf.constant([1, 0]));',
      'const y = outer.record(() => { const cube = tf.reduceSum(tf.pow(x, 3)); inner.jvp(cube); return cube; });',
      'outer.gradient(y, x);',
    ].join('\n');
    assert.equal((await kernel.run(cell(hvp, 40))).outcome, 'ok');
    listener.dispose();
    const second = sent.tapes;
    const hidden = second.filter((t) => t.internal === 'forward-accumulator');
    assert.ok(hidden.length >= 1, `the accumulator's tapes are marked internal (${second.map((t) => t.internal ?? 'user').join(', ')})`);
    const mine = second.filter((t) => t.internal === undefined);
    await send(page, { type: 'tapes', run: { ...run, runId: 2 }, tapes: second });
    assert.equal(await page.locator('.tape-entry').count(), mine.length, 'only the user\'s tapes are listed');
    assert.match(await page.locator('.tape-counts').innerText(), new RegExp(`${hidden.length} internal hidden`));
    const mineNewest = [...mine].sort((a, b) => b.order - a.order)[0];
    assert.equal(await page.locator('.tape-entry[aria-pressed="true"]').getAttribute('data-tape-id'), String(mineNewest.tapeId), 'after the run, its newest user tape is selected');
    assert.ok(await page.locator('g.node').count() > 0);
    await page.locator('input.show-internal').check();
    assert.equal(await page.locator('.tape-entry').count(), second.length);
    await page.close();
  });

  it('a tape whose record() threw: "stopped by Error: … at line N" with the ops recorded until then', async () => {
    let tapes: TapeTrace[] = [];
    const listener = kernel.onTapes.event((e) => { tapes = e.tapes; });
    const code = [
      'const w = new tf.Variable(2.0);',
      'const tape = new tf.GradientTape();',
      'tape.record(() => {',
      '  const h = w.mul(3);',
      '  if (h.dataSync()[0] > 1) throw new Error("boom");',
      '  return h;',
      '});',
    ].join('\n');
    const result = await kernel.run(cell(code, 10));
    listener.dispose();
    assert.equal(result.outcome, 'error');
    const [tape] = tapes;
    assert.deepEqual(tape.stoppedBy, { name: 'Error', message: 'boom', line: 15 }, 'line 5 of a cell that starts at line 11');
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes });
    assert.match(await page.locator('.tape-entry .tape-stopped').innerText(), /^stopped by Error: boom at line 15$/);
    assert.match(await page.locator('.graph-status').innerText(), /stopped by Error: boom at line 15/);
    assert.equal(await page.locator('g.node.kind-op').count(), 1, 'the Mul recorded before the throw');
    await page.close();
  });
});
