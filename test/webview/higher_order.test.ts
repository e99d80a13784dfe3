// Higher order in real headless Chromium, on tapes the real engine recorded: seed 001's nested tapes (x³ at 1: the
// inner gradient 3 recorded as a group on the outer tape, linked both ways, the outer gradient 6) and seed 004's
// Hessian heatmap [[None, 6], [6, 14]] with x1, x2 on its axes.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { screenshotPath } from './screenshots';
import { pageErrors, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { hessianTapes, nestedCubeTapes } from './chain_rule_traces';

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
    await page.screenshot({ path: screenshotPath('higher_order_group.png') });

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
});
