// "Compare with the previous run" in real headless Chromium: a cell's loss is edited from x² to x³ and run again
// in the real kernel; the inspector, fed both runs' traces as the host sends them, flags what the edit changed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { Kernel } from '../../src/kernel/kernel';
import { startKernel } from '../unit/kernel/kernel_fixture';
import { screenshotPath } from './screenshots';
import { pageErrors, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';

const FILE = '/work/example/compare_cells.ts';

/** The loss cell at x = 3, with y = x^power. */
const lossCell = (power: number): string => [
  'const x = tf.constant(3.0);',
  'const tape = new tf.GradientTape();',
  'tape.watch(x);',
  `const y = tape.record(() => tf.pow(x, ${power}));`,
  'const dyDx = tape.gradient(y, x);',
].join('\n');

async function runCell(kernel: Kernel, code: string): Promise<TapeTrace[]> {
  let tapes: TapeTrace[] = [];
  const listener = kernel.onTapes.event((e) => { tapes = e.tapes; });
  const result = await kernel.run({ code, file: FILE, lineOffset: 4, title: 'loss' });
  listener.dispose();
  assert.equal(result.outcome, 'ok', result.error?.message);
  assert.equal(tapes.length, 1);
  return tapes;
}

const run = (runId: number) => ({ runId, cellTitle: 'loss', file: FILE, line: 5, label: `loss · run ${runId}` });

interface Row { kind: string; name: string; op: string; value: string; valueDelta: string; grad: string; gradDelta: string }

describe('compare with the previous run in Chromium', () => {
  let harness: InspectorHarness;
  let kernel: Kernel;
  before(async () => { harness = await startInspectorHarness(); kernel = await startKernel(); });
  after(async () => { await harness?.close(); await kernel?.dispose(); });

  it('editing the loss from x² to x³ flags the gradient of x changed from 6 to 27 (and y from 9 to 27)', async () => {
    const squared = await runCell(kernel, lossCell(2));
    const cubed = await runCell(kernel, lossCell(3));
    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, { type: 'tapes', run: run(1), tapes: squared });
    await page.locator('#details-tab-compare').click();
    assert.match(await page.locator('.compare-pane').innerText(), /Run this cell again to compare/);

    await send(page, { type: 'tapes', run: { ...run(7), cellTitle: 'another cell', line: 40 }, tapes: squared });
    assert.match(await page.locator('.compare-pane').innerText(), /Run this cell again/, 'another cell is not compared with this one');
    await send(page, { type: 'tapes', run: run(2), tapes: cubed });
    await settle(page);
    assert.match(await page.locator('.compare-against').innerText(), /Compared with loss · run 1 .*previous run of this cell/);
    const rows: Row[] = await page.locator('.compare-row').evaluateAll((trs) => trs.map((tr) => {
      const [name, op, value, grad] = ['.tensor-name', '.compare-op', '.compare-value', '.compare-grad'].map((c) => (tr.querySelector(c)?.textContent ?? '').trim());
      const deltas = [...tr.querySelectorAll('.compare-delta')].map((d) => (d.textContent ?? '').trim());
      return {
        kind: [...tr.classList].find((c) => c !== 'compare-row')!.replace('compare-', ''),
        name, op, value, valueDelta: deltas[0] ?? '', grad, gradDelta: deltas[1] ?? '',
      };
    }));
    const x = rows.find((r) => r.name === 'x');
    assert.deepEqual(x && { kind: x.kind, grad: x.grad, gradDelta: x.gradDelta, value: x.value },
      { kind: 'changed', grad: '6 → 27', gradDelta: 'Δ 21', value: '' }, 'dy/dx: 2x = 6 before, 3x² = 27 after; x itself is still 3');
    const y = rows.find((r) => r.name === 'y');
    assert.deepEqual(y && { kind: y.kind, op: y.op, value: y.value, valueDelta: y.valueDelta }, { kind: 'changed', op: 'Pow', value: '9 → 27', valueDelta: 'Δ 18' });
    assert.ok(rows.some((r) => r.kind === 'changed' && r.name === 'const' && r.value === '2 → 3'), 'the exponent constant changed from 2 to 3');
    assert.equal(rows.filter((r) => r.kind !== 'changed').length, 0, 'the same ops ran: nothing appeared or vanished');
    assert.match(await page.locator('.compare-summary').innerText(), /^3 changed · 0 appeared · 0 vanished/);
    assert.ok(await page.locator('g.node.compare-changed').count() >= 2, 'changed nodes are marked on the graph');

    await page.locator('.compare-row', { hasText: 'Pow' }).click();
    assert.equal(await page.locator('g.node.selected').getAttribute('data-trace-node'), cubed[0].nodes.find((n) => n.op === 'Pow')!.id,
      'a row selects its node on the graph');
    await page.screenshot({ path: screenshotPath('compare_runs.png') });
    assert.deepEqual(pageErrors(page), []);
  });

  it('an op added by the edit appears, one removed vanishes', async () => {
    const before = await runCell(kernel, lossCell(2));
    const after = await runCell(kernel, lossCell(2).replace('tf.pow(x, 2)', 'tf.pow(x, 2).add(tf.sin(x))'));
    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, { type: 'tapes', run: run(1), tapes: before });
    await send(page, { type: 'tapes', run: run(2), tapes: after });
    await page.locator('#details-tab-compare').click();
    await settle(page);
    const kinds = await page.locator('.compare-row').evaluateAll((trs) => trs.map((tr) => `${tr.className.replace('compare-row ', '')} ${tr.querySelector('.compare-op')?.textContent}`));
    assert.ok(kinds.includes('compare-appeared Sin') && kinds.includes('compare-appeared Add'), kinds.join('; '));
    assert.ok(kinds.includes('compare-vanished Pow'), `y was the Pow, now it is the Add: ${kinds.join('; ')}`);
    await send(page, { type: 'tapes', run: run(3), tapes: before });
    await settle(page);
    const back = await page.locator('.compare-row').evaluateAll((trs) => trs.map((tr) => `${tr.className.replace('compare-row ', '')} ${tr.querySelector('.compare-op')?.textContent}`));
    assert.ok(back.includes('compare-vanished Sin') && back.includes('compare-appeared Pow'), back.join('; '));
    assert.deepEqual(pageErrors(page), []);
  });
});
