// The inspector's layout at the sizes users meet it — a phone-narrow strip, beside the editor with the
// bottom panel open (620×570), a laptop and a full-HD panel — with traces the real engine records.
// For each: no two panes overlap, the graph has at least half the page, after Fit the target and the
// sources are inside the graph's viewport and readable (≥ 24 px tall), and clicking each selects it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { pageErrors, send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { chainRuleCell, descentLoopCell, mnistStepCell, scalarLoopTape } from './engine_traces';
import { screenshotPath } from './screenshots';
import { isInside, overlapArea as overlap } from '../shared/box_geometry';
import { INSPECTOR_PANES } from '../shared/inspector_panes';

const SIZES: Array<[number, number]> = [[400, 600], [620, 570], [1280, 800], [1920, 1080]];
const run = (runId: number, cellTitle: string) => ({ runId, cellTitle, file: '/work/example/cells.ts', line: 12 });

interface Box { name: string; x: number; y: number; width: number; height: number }

/** The boxes of the panes a user sees (hidden ones are left out). */
async function paneBoxes(page: Page): Promise<Box[]> {
  return page.evaluate((panes) => panes.flatMap(([name, selector]) => {
    const node = document.querySelector(selector);
    if (!node) return [];
    const r = node.getBoundingClientRect();
    return r.width > 0 && r.height > 0 ? [{ name, x: r.x, y: r.y, width: r.width, height: r.height }] : [];
  }), INSPECTOR_PANES);
}

/** The node ids gradient() was asked about on the shown tape, as drawn boxes. */
async function focusNodes(page: Page): Promise<string[]> {
  return page.locator('g.node.target, g.node.source').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-node-id')!));
}

async function checkLayout(page: Page, width: number, height: number, tape: TapeTrace): Promise<void> {
  const boxes = await paneBoxes(page);
  for (const name of ['header', 'toolbar', 'graph', 'details']) assert.ok(boxes.some((b) => b.name === name), `${name} is shown at ${width}×${height}`);
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    assert.ok(isInside(a, { x: 0, y: 0, width, height }), `${a.name} ${JSON.stringify(a)} inside the ${width}×${height} page`);
    for (const b of boxes.slice(i + 1)) assert.equal(overlap(a, b), 0, `${a.name} and ${b.name} overlap at ${width}×${height}: ${JSON.stringify([a, b])}`);
  }
  const graph = boxes.find((b) => b.name === 'graph')!;
  assert.ok(graph.width * graph.height >= 0.5 * width * height, `graph ${Math.round(graph.width)}×${Math.round(graph.height)} is at least half of ${width}×${height}`);

  await page.locator('button.fit').click();
  await page.waitForTimeout(350);
  const ids = await focusNodes(page);
  const expected = new Set(tape.tensors.filter((t) => t.isTarget || t.isSource).map((t) => t.id));
  assert.ok(ids.length >= Math.min(expected.size, 2), `targets and sources drawn: ${ids.join(', ')}`);
  for (const id of ids) {
    const node = page.locator(`g.node[data-node-id="${id}"]`);
    const box = (await node.locator('rect.node-box').boundingBox())!;
    assert.ok(box.height >= 24, `${id} is ${box.height.toFixed(1)} px tall after Fit at ${width}×${height}`);
    assert.ok(isInside(box, graph), `${id} ${JSON.stringify(box)} inside the graph's viewport ${JSON.stringify(graph)}`);
  }
  for (const id of ids) {
    await page.locator(`g.node[data-node-id="${id}"]`).click();
    assert.equal(await page.locator('g.node.selected').getAttribute('data-node-id'), id, `a click selects ${id}`);
    assert.notEqual((await page.locator('.details-title').innerText()).trim(), '');
  }
}

describe('inspector layout at every size', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  const cells = [
    { name: "seed 000's chain rule", make: chainRuleCell },
    { name: "seed 004's 100-step descent loop", make: descentLoopCell },
    { name: 'a Fashion-MNIST training step', make: mnistStepCell },
    { name: 'a 20,000-op scalar loop', make: function scalarLoopCell() { return { title: 'scalar loop', tapes: [scalarLoopTape(20_000)] }; } },
  ];
  for (const cell of cells) {
    const recorded = cell.make();
    for (const [width, height] of SIZES) {
      it(`${cell.name} at ${width}×${height}: panes apart, graph ≥ half, target and sources readable after Fit`, async () => {
        const page = await harness.openPage({ width, height });
        await send(page, { type: 'tapes', run: run(1, recorded.title), tapes: recorded.tapes });
        const newest = [...recorded.tapes].sort((a, b) => b.order - a.order)[0];
        await checkLayout(page, width, height, newest);
        await page.screenshot({ path: screenshotPath(`layout-${cell.make.name}-${width}x${height}.png`) });
        assert.deepEqual(pageErrors(page), []);
        await page.close();
      });
    }
  }

  it('puts the details beside the graph on wide panels and below it on tall ones; narrow panels get a tape picker', async () => {
    const cell = descentLoopCell();
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run: run(1, cell.title), tapes: cell.tapes });
    assert.equal(await page.locator('.split.side').count(), 1);
    assert.ok(await page.locator('.tapes-view.list-column .tape-list').isVisible());
    const entries = await page.locator('.tape-entry').evaluateAll((bs) => bs.map((b) => Number(b.getAttribute('data-tape-id'))));
    const newestFirst = [...cell.tapes].sort((a, b) => b.order - a.order).map((t) => t.tapeId);
    assert.deepEqual(entries, newestFirst, 'the list is newest first');
    assert.equal(await page.locator('.tape-entry[aria-pressed="true"]').getAttribute('data-tape-id'), String(newestFirst[0]), 'the newest tape is selected');
    await page.setViewportSize({ width: 620, height: 570 });
    await page.waitForTimeout(100);
    assert.equal(await page.locator('.split.bottom').count(), 1);
    assert.equal(await page.locator('.tape-list').isVisible(), false);
    const picker = page.locator('.toolbar select.tape-picker');
    assert.equal(await picker.inputValue(), String(newestFirst[0]));
    await picker.selectOption(String(newestFirst[3]));
    assert.equal(await page.locator('g.node').count(), cell.tapes.find((t) => t.tapeId === newestFirst[3])!.nodes.length);
    await page.setViewportSize({ width: 360, height: 300 });
    await page.waitForTimeout(100);
    assert.equal(await page.locator('.details-area.folded').count(), 1, 'a short panel folds the details to their header');
    const boxes = await paneBoxes(page);
    for (let i = 0; i < boxes.length; i++) for (const b of boxes.slice(i + 1)) assert.equal(overlap(boxes[i], b), 0, `${boxes[i].name}/${b.name} at 360×300`);
    await page.screenshot({ path: screenshotPath('layout-360x300.png') });
    await page.close();
  });

  it("in a view too small for the targets and sources at a readable zoom (seed 000's chain rule at 320×260), Fit frames the target", async () => {
    const cell = chainRuleCell();
    const page = await harness.openPage({ width: 320, height: 260 });
    await send(page, { type: 'tapes', run: run(1, cell.title), tapes: cell.tapes });
    await page.locator('button.fit').click();
    await page.waitForTimeout(350);
    const graph = (await page.locator('svg.graph').boundingBox())!;
    const targets = page.locator('g.node.target rect.node-box');
    assert.ok(await targets.count() >= 1, 'the target is drawn');
    for (const box of await targets.evaluateAll((rects) => rects.map((r) => { const b = r.getBoundingClientRect(); return { x: b.x, y: b.y, width: b.width, height: b.height }; }))) {
      assert.ok(box.height >= 24, `the target is ${box.height.toFixed(1)} px tall after Fit`);
      assert.ok(isInside(box, graph), `the target ${JSON.stringify(box)} is inside the graph's viewport ${JSON.stringify(graph)}`);
    }
    await page.screenshot({ path: screenshotPath('layout-chain-rule-320x260.png') });
    await page.close();
  });

  it('the splitter resizes the details pane by drag and by keyboard, and the size survives a reload', async () => {
    const cell = chainRuleCell();
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run: run(1, cell.title), tapes: cell.tapes });
    const width = async () => (await page.locator('.details-area').boundingBox())!.width;
    const before = await width();
    const splitter = (await page.locator('.splitter').boundingBox())!;
    await page.mouse.move(splitter.x + 2, splitter.y + 200);
    await page.mouse.down();
    await page.mouse.move(splitter.x - 150, splitter.y + 200, { steps: 5 });
    await page.mouse.up();
    const dragged = await width();
    assert.ok(Math.abs(dragged - (before + 152)) < 6, `dragged from ${before} to ${dragged}`);
    await page.locator('.splitter').focus();
    await page.keyboard.press('ArrowRight');
    assert.ok(await width() < dragged, 'ArrowRight shrinks the side pane');
    await page.keyboard.press('Enter');
    assert.equal(await page.locator('.details-area.folded').count(), 1, 'Enter folds the pane');
    await page.keyboard.press('Enter');
    const kept = await width();
    await page.waitForFunction(() => (window as unknown as { __state?: unknown }).__state !== undefined);
    await page.waitForTimeout(1100);
    const state = await page.evaluate(() => (window as unknown as { __state: unknown }).__state);
    await page.close();
    const again = await harness.openPage({ width: 1280, height: 800, state });
    assert.ok(Math.abs((await again.locator('.details-area').boundingBox())!.width - kept) < 2);
    await again.close();
  });
});
