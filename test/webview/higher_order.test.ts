// Higher order in real headless Chromium, on tapes the real engine recorded: seed 001's nested tapes (x³ at 1: the
// inner gradient 3 recorded as a group on the outer tape, linked both ways, the outer gradient 6) and seed 004's
// Hessian heatmap [[None, 6], [6, 14]] with x1, x2 on its axes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { screenshotPath } from './screenshots';
import { pageErrors, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { hessianTapes, jacobianTape, nestedCubeTapes } from './chain_rule_traces';

const run = (runId: number, cellTitle: string) => ({ runId, cellTitle, file: '/work/example/cells.ts', line: 3 });

async function openHigherOrder(harness: InspectorHarness, tapes: TapeTrace[], tapeId: number): Promise<Page> {
  const page = await harness.openPage({ width: 1600, height: 1000 });
  await send(page, { type: 'tapes', run: run(1, 'higher order'), tapes });
  await page.locator('#details-tab-higher-order').click();
  await page.locator(`.tape-list button.tape-entry[data-tape-id="${tapeId}"]`).click();
  await settle(page);
  return page;
}

describe('higher-order gradients in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  it("seed 001's x³ at 1: the outer tape shows the inner gradient group, linked; 3 then 6", async () => {
    const { tapes, outer, inner } = nestedCubeTapes();
    const page = await openHigherOrder(harness, tapes, outer);
    const group = page.locator('.gradient-group');
    assert.equal(await group.count(), 1);
    assert.equal(await group.locator('.group-label').innerText(), `gradient of y w.r.t. x (tape ${inner})`);
    assert.match(await page.locator('.gradient-results').innerText(), /gradient 1 w\.r\.t\. x = 6/, 'd²y/dx² = 6x = 6');
    await group.locator('.group-mark').click();
    const marked = await page.locator('g.node.in-gradient-group').count();
    const recorded = tapes.find((t) => t.tapeId === outer)!.nodes.filter((n) => n.recordedDuringGradientOf === inner).length;
    assert.ok(recorded > 0 && marked === recorded, `the group's ${recorded} ops are marked on the graph (${marked})`);
    const frame = page.locator('g.gradient-group-frame');
    assert.equal(await frame.count(), 1, 'the group is framed on the outer graph');
    assert.equal(await frame.locator('text.group-frame-label').textContent(), `gradient of y w.r.t. x (tape ${inner}) ↗`);
    const frameBox = (await frame.locator('rect').boundingBox())!;
    const groupIds = new Set(tapes.find((t) => t.tapeId === outer)!.nodes.filter((n) => n.recordedDuringGradientOf === inner).map((n) => n.id));
    for (const g of await page.locator('g.node[data-trace-node]').all()) {
      const id = (await g.getAttribute('data-trace-node'))!;
      const b = (await g.locator('rect.node-box').boundingBox())!;
      const inside = b.x >= frameBox.x && b.y >= frameBox.y && b.x + b.width <= frameBox.x + frameBox.width && b.y + b.height <= frameBox.y + frameBox.height;
      if (groupIds.has(id)) assert.ok(inside, `group node ${id} lies inside the frame`);
    }

    // the replay of the outer tape walks through the group: its steps say so and light the frame
    await page.locator('#details-tab-replay').click();
    await settle(page);
    const steps = Number((await page.locator('.replay-position').innerText()).match(/of (\d+)/)![1]);
    let inGroup = 0;
    for (let i = 0; i < steps; i++) {
      await page.locator('.replay-pane').focus();
      await page.keyboard.press('ArrowRight');
      await settle(page, 30);
      const current = await page.locator('g.node.replay-current').getAttribute('data-trace-node');
      const label = page.locator('.replay-group-label');
      if (current && groupIds.has(current)) {
        inGroup++;
        assert.equal(await label.innerText(), `gradient of y w.r.t. x (tape ${inner})`, `step ${i + 1} is inside the group`);
        assert.equal(await page.locator('g.gradient-group-frame.replay-in-group').count(), 1);
      } else {
        assert.equal(await label.count(), 0, `step ${i + 1} is outside the group`);
      }
    }
    const pass = tapes.find((t) => t.tapeId === outer)!.gradientCalls[0].backward!;
    const expected = pass.steps.filter((s) => groupIds.has(s.node)).length;
    assert.ok(expected > 0 && inGroup === expected, `the inner gradient's ops are ${expected} of the ${steps} steps (${inGroup} shown inside)`);
    await page.screenshot({ path: screenshotPath('higher_order_group.png') });

    // one click on the frame's label opens the inner tape; its graph's label leads back
    await frame.locator('text.group-frame-label').click();
    await settle(page);
    assert.equal(await page.locator('.tape-list button.tape-entry[aria-pressed="true"]').first().getAttribute('data-tape-id'), String(inner));
    const backLabel = page.locator('g.recorded-by-frame text.group-frame-label');
    assert.equal(await backLabel.textContent(), `its gradient computation was recorded on ${tapes.find((t) => t.tapeId === outer)!.label} ↗`);
    await page.screenshot({ path: screenshotPath('higher_order_inner.png') });
    await backLabel.click();
    await settle(page);
    assert.equal(await page.locator('g.gradient-group-frame').count(), 1, 'back on the outer tape');

    await page.locator('#details-tab-higher-order').click();
    await group.locator('.tape-link').click();
    await settle(page);
    assert.match(await page.locator('.gradient-results').innerText(), /gradient 1 w\.r\.t\. x = 3/, 'the inner tape: dy/dx = 3x² = 3');
    const back = page.locator('.recorded-by .tape-link');
    assert.equal(await back.getAttribute('data-tape'), String(outer), 'the inner tape links back to the outer one');
    await back.click();
    await settle(page);
    assert.equal(await page.locator('.gradient-group').count(), 1, 'back on the outer tape');
    assert.deepEqual(pageErrors(page), []);
  });

  it("seed 004's Hessian reads [[None, 6], [6, 14]] with x1, x2 on both axes", async () => {
    const { tapes, outer } = hessianTapes();
    const page = await openHigherOrder(harness, tapes, outer);
    const matrix = page.locator('table.grad-matrix');
    assert.equal(await matrix.count(), 1);
    assert.match(await matrix.locator('caption').innerText(), /Hessian of z/);
    assert.deepEqual(await matrix.locator('th.matrix-col').allTextContents(), ['x1', 'x2']);
    assert.deepEqual(await matrix.locator('th.matrix-row').allTextContents(), ['x1', 'x2']);
    const cells = await matrix.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '') + (td.classList.contains('null-cell') ? '*' : ''))));
    assert.deepEqual(cells, [['None*', '6'], ['6', '14']], 'None is marked as such, not drawn as 0');
    assert.match(await page.locator('.gradient-results').innerText(), /gradient 1 w\.r\.t\. x1 = None\ngradient 1 w\.r\.t\. x2 = 6/);
    await page.screenshot({ path: screenshotPath('hessian_heatmap.png') });
    assert.deepEqual(pageErrors(page), []);
  });

  it('tape.jacobian and batchJacobian as matrices with the names on the axes; an unconnected source reads None', async () => {
    const tape = jacobianTape();
    const page = await openHigherOrder(harness, [tape], tape.tapeId);
    const tables = page.locator('table.grad-matrix');
    assert.equal(await tables.count(), 3);
    const read = async (i: number) => ({
      caption: await tables.nth(i).locator('caption').innerText(),
      cols: await tables.nth(i).locator('th.matrix-col').allTextContents(),
      rows: await tables.nth(i).locator('th.matrix-row').allTextContents(),
      cells: await tables.nth(i).locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => (td.textContent ?? '') + (td.classList.contains('null-cell') ? '*' : '')))),
    });
    assert.deepEqual(await read(0), { caption: 'Jacobian of y w.r.t. x', cols: ['x[0]', 'x[1]'], rows: ['y[0]', 'y[1]'], cells: [['2', '0'], ['0', '4']] },
      'dy_i/dx_j = 2x_i where i = j');
    assert.deepEqual(await read(1), { caption: 'Jacobian of y w.r.t. w: None (no path)', cols: ['w'], rows: ['y'], cells: [['None*']] });
    const batch = await read(2);
    assert.match(batch.caption, /^Batch Jacobian of yb w\.r\.t\. xb/);
    assert.deepEqual(batch.rows, ['yb[0, 0]', 'yb[0, 1]', 'yb[1, 0]', 'yb[1, 1]']);
    assert.deepEqual(batch.cols, ['xb[·, 0]', 'xb[·, 1]']);
    assert.deepEqual(batch.cells, [['2', '0'], ['0', '4'], ['6', '0'], ['0', '8']], 'example b: diag(2·xb[b])');
    await page.screenshot({ path: screenshotPath('jacobian_heatmap.png') });
    assert.deepEqual(pageErrors(page), []);
  });
});
