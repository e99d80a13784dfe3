// The inspector page in real headless Chromium, fed traces the real engine records from the seed
// cells, checked by what a user sees. Screenshots go to a temporary folder (docs/images/ with npm run docs:screenshots).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { MetricPoint, TapeTrace } from '../../engine/trace/trace_format';
import { screenshotPath } from './screenshots';
import { shortestDecimal } from '../../engine/tensor/float_text';
import {
  graphDrawn, pageErrors, posted, savedState, send, settle, startInspectorHarness, type InspectorHarness, type ThemeName,
} from './inspector_page';
import {
  denseScopeCell, largeTape, mseCell, nestedTapeCell, secondOrderNoneCell, unwatchedCell,
} from './engine_traces';

const run = (runId: number, cellTitle: string) => ({ runId, cellTitle, file: '/work/example/cells.ts', line: 12 });

function nodeIdOfTensorNamed(tape: TapeTrace, name: string): string {
  const tensor = tape.tensors.find((t) => t.name === name);
  assert.ok(tensor, `the engine named a tensor ${name}`);
  const node = tape.nodes.find((n) => n.output === tensor.id);
  assert.ok(node, `tensor ${name} has a node`);
  return node.id;
}

/** A loss curve as a training loop would log it: decaying with noise, one point per step. */
function lossPoints(count: number, start = 0, t0 = 1_700_000_000_000): MetricPoint[] {
  return Array.from({ length: count }, (_, i) => {
    const step = start + i;
    return { name: 'loss', step, value: 2 * Math.exp(-step / 30) + 0.05 + 0.1 * Math.sin(step * 1.7) ** 2, wallTime: t0 + step * 40 };
  });
}

async function gradientCells(page: Page): Promise<number[]> {
  return page.locator('.details-gradient td').evaluateAll((tds) => tds.map((td) => Number((td as HTMLElement).dataset.value)));
}

describe('inspector webview in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => {
    harness = await startInspectorHarness();
  });
  after(async () => { await harness?.close(); });

  it('says it is ready and loads under its Content-Security-Policy without violations', async () => {
    const page = await harness.openPage();
    assert.deepEqual((await posted(page)).map((m) => m.type), ['ready']);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations), []);
    assert.match(await page.locator('.tape-list-caption').innerText(), /No tapes yet/);
    await page.close();
  });

  for (const theme of ['dark', 'light'] as ThemeName[]) {
    it(`draws the MSE cell's tape: every node, its op and output shape (${theme})`, async () => {
      const cell = mseCell();
      const [tape] = cell.tapes;
      const page = await harness.openPage({ theme });
      await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
      assert.equal(await page.locator('g.node').count(), tape.nodes.length);
      const titles = await page.locator('g.node text.node-title').allTextContents();
      for (const op of ['MatMul', 'Add', 'Softmax', 'Sub', 'Square', 'Mean', 'w', 'b']) assert.ok(titles.includes(op), `${op} is drawn`);
      const matmul = page.locator('g.node', { has: page.locator('text.node-title', { hasText: 'MatMul' }) });
      assert.equal(await matmul.locator('text.node-subtitle').textContent(), '(2, 3)');
      assert.equal(await page.locator('g.node.source').count(), 2, 'w and b are marked as sources');
      assert.equal(await page.locator('g.node.target').count(), 1, 'the loss is marked as the target');
      assert.equal(await page.locator('path.edge').count(), tape.edges.length);
      assert.match(await page.locator('.tape-entry').innerText(), /non-persistent[\s\S]*sources: w, b/);
      await page.screenshot({ path: screenshotPath(`inspector-graph-${theme}.png`) });
      assert.deepEqual(pageErrors(page), []);
      await page.close();
    });

    it(`shows the engine's gradient for a clicked source, numbers and stats (${theme})`, async () => {
      const cell = mseCell();
      const [tape] = cell.tapes;
      const page = await harness.openPage({ theme });
      await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
      await page.locator(`g.node[data-node-id="${nodeIdOfTensorNamed(tape, 'w')}"]`).click();
      assert.match(await page.locator('.details-title').innerText(), /^w/);
      const shown = await gradientCells(page);
      assert.equal(shown.length, 12);
      shown.forEach((v, i) => assert.ok(Math.abs(v - cell.gradients.w![i]) <= 1e-6 * Math.max(1, Math.abs(v)), `dL/dw[${i}] ${v} vs engine ${cell.gradients.w![i]}`));
      const texts = await page.locator('.details-gradient td').allTextContents();
      // a float32 gradient reads as TF prints it: its shortest float32 digits
      assert.equal(texts[1], shortestDecimal(cell.gradients.w![1], 'float32'));
      await page.screenshot({ path: screenshotPath(`inspector-node-details-${theme}.png`) });
      await page.close();
    });
  }

  it('a source whose gradient is None says why (seed 000: d2y/dw2 of y = x*w + b)', async () => {
    const cell = secondOrderNoneCell();
    assert.equal(cell.gradients.d2ydw2, null, 'the engine returns None');
    const outer = cell.tapes.find((t) => t.childTapeIds.length > 0)!;
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(2, 'second derivative'), tapes: cell.tapes });
    await page.locator(`.tape-entry[data-tape-id="${outer.tapeId}"]`).click();
    await page.locator(`g.node[data-node-id="${nodeIdOfTensorNamed(outer, 'w')}"]`).click();
    const w = outer.tensors.find((t) => t.name === 'w')!;
    assert.equal(await page.locator('.null-gradient strong').innerText(), 'None');
    assert.equal(await page.locator('.null-explanation').innerText(), w.nullExplanation);
    assert.match(w.nullExplanation!, /no recorded op connects variable 'w' to the target/);
    assert.equal(await page.locator('.null-gradient').getAttribute('data-reason'), 'no-path');
    await page.close();
  });

  it('an unwatched constant explains that it was never watched', async () => {
    const cell = unwatchedCell();
    const [tape] = cell.tapes;
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(3, 'unwatched'), tapes: cell.tapes });
    await page.locator(`g.node[data-node-id="${nodeIdOfTensorNamed(tape, 'w')}"]`).click();
    assert.match(await page.locator('.null-explanation').innerText(), /never watched; call tape\.watch\(w\)/);
    await page.close();
  });

  it('marks the nodes recorded while an inner gradient was computed (seed 001 second derivative)', async () => {
    const cell = nestedTapeCell();
    assert.deepEqual(cell.gradients, { dydx: [6], d2ydx2: [2] });
    const outer = cell.tapes.find((t) => t.childTapeIds.length > 0)!;
    const nested = outer.nodes.filter((n) => n.recordedDuringGradientOf !== undefined);
    assert.ok(nested.length > 0);
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(4, 'second derivative'), tapes: cell.tapes });
    await page.locator(`.tape-entry[data-tape-id="${outer.tapeId}"]`).click();
    assert.equal(await page.locator('g.node.nested').count(), nested.length);
    assert.match(await page.locator(`.tape-entry[data-tape-id="${outer.tapeId}"]`).innerText(), /contains tape/);
    await page.locator(`g.node[data-node-id="${nodeIdOfTensorNamed(outer, 'x')}"]`).click();
    assert.deepEqual(await page.locator('.details-gradient .scalar-value').innerText(), '2', 'd2y/dx2 = 2 at x = 3');
    await page.locator(`g.node[data-node-id="${nested[0].id}"]`).click();
    assert.match(await page.locator('.facts').innerText(), /second-order node/);
    await page.screenshot({ path: screenshotPath('inspector-nested-tape-dark.png') });
    await page.close();
  });

  it('collapses the scopes of a large tape into boxes that expand on click, and searches by op', async () => {
    const tape = largeTape(100);
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(5, 'deep stack'), tapes: [tape] });
    const scopes = new Set(tape.nodes.filter((n) => n.scope.length > 0).map((n) => n.scope[0]));
    const unscoped = tape.nodes.filter((n) => n.scope.length === 0).length;
    /** Trace nodes drawn as their own boxes (a variable read by many ops is drawn beside each reader). */
    const drawnTraceNodes = async () => new Set(await page.locator('g.node[data-trace-node]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-trace-node')))).size;
    assert.equal(await page.locator('g.node.kind-scope').count(), scopes.size);
    assert.equal(await drawnTraceNodes(), unscoped);
    const w = tape.tensors.find((t) => t.name === 'w')!;
    assert.equal(await page.locator(`g.node[data-trace-node="t${w.id}"]`).count(), scopes.size, 'w drawn beside each layer that reads it');
    const layer0 = tape.nodes.filter((n) => n.scope[0] === 'layer_0').length;
    // Fit frames the target and source of this long stack, so layer 0's box is outside the view: click it where it is.
    await page.locator('g.node[data-node-id="scope:layer_0"]').dispatchEvent('click');
    await graphDrawn(page);
    assert.equal(await page.locator('g.node.kind-scope').count(), scopes.size - 1);
    assert.equal(await drawnTraceNodes(), unscoped + layer0);
    assert.equal(await page.locator('g.scope-frame').count(), 1);
    await page.locator('button.fit').click();
    await page.waitForTimeout(350);
    await page.screenshot({ path: screenshotPath('inspector-scopes-dark.png') });
    await page.locator('input.graph-search').fill('tanh');
    const tanhShown = tape.nodes.filter((n) => n.op === 'Tanh' && n.scope[0] === 'layer_0').length + scopes.size - 1;
    assert.equal(await page.locator('g.node.match').count(), tanhShown, 'the expanded Tanh plus every box holding one');
    assert.match(await page.locator('.match-count').innerText(), new RegExp(`^${tanhShown} matches`));
    await page.locator('input.graph-search').fill('');
    await page.locator('button.expand-all').click();
    await graphDrawn(page);
    assert.equal(await drawnTraceNodes(), tape.nodes.length);
    await page.close();
  });

  it('a Dense layer under a name scope draws framed, and collapses to one box', async () => {
    const cell = denseScopeCell();
    const [tape] = cell.tapes;
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(6, 'Dense layer'), tapes: cell.tapes });
    assert.equal(await page.locator('g.scope-frame').count(), 1);
    await page.locator('button.collapse-all').click();
    const inside = tape.nodes.filter((n) => n.scope[0] === 'dense_1').length;
    assert.equal(await page.locator('g.node').count(), tape.nodes.length - inside + 1);
    assert.match(await page.locator('g.node.kind-scope text.node-subtitle').textContent() ?? '', new RegExp(`^${inside} nodes`));
    await page.close();
  });

  it('follows a high-contrast theme: its colours and heavier borders', async () => {
    const cell = mseCell();
    const page = await harness.openPage({ theme: 'highContrast' });
    await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
    const box = page.locator('g.node.kind-op rect.node-box').first();
    assert.equal(await box.evaluate((r) => getComputedStyle(r).strokeWidth), '2px');
    assert.equal(await box.evaluate((r) => getComputedStyle(r).stroke), 'rgb(111, 195, 223)');
    assert.equal(await page.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(0, 0, 0)');
    await page.screenshot({ path: screenshotPath('inspector-graph-high-contrast.png') });
    await page.close();
  });

  it('colours nodes by gradient magnitude on a log scale when asked', async () => {
    const cell = denseScopeCell();
    const page = await harness.openPage({ theme: 'light' });
    await send(page, { type: 'tapes', run: run(6, 'Dense layer'), tapes: cell.tapes });
    const fills = () => page.locator('g.node rect.node-box').evaluateAll((rs) => rs.map((r) => (r as SVGRectElement).style.fill));
    assert.ok((await fills()).every((f) => f === ''));
    await page.locator('input.colour-by-grad').check();
    const coloured = (await fills()).filter((f) => f !== '');
    const withGrad = cell.tapes[0].tensors.filter((t) => t.grad).length;
    assert.ok(coloured.length >= withGrad - 1 && new Set(coloured).size > 2, `distinct colours ${JSON.stringify(coloured)}`);
    assert.match(await page.locator('.gradient-legend').innerText(), /RMS \|grad\|/);
    await page.screenshot({ path: screenshotPath('inspector-gradient-colouring-light.png') });
    await page.close();
  });

  it('moves between nodes with the keyboard', async () => {
    const cell = mseCell();
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
    await page.locator('svg.graph').focus();
    await page.keyboard.press('ArrowDown');
    const first = await page.locator('g.node.selected').getAttribute('data-node-id');
    assert.ok(first);
    await page.keyboard.press('ArrowDown');
    const second = await page.locator('g.node.selected').getAttribute('data-node-id');
    const edge = cell.tapes[0].edges.find((e) => e.from === first && e.to === second);
    assert.ok(edge, `ArrowDown went from ${first} along an edge to ${second}`);
    assert.notEqual(await page.locator('.details-title').innerText(), '');
    await page.close();
  });

  it('rejects malformed messages and keeps what it drew', async () => {
    const cell = mseCell();
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
    const bad = structuredClone(cell.tapes[0]);
    bad.edges[0].from = 'n999';
    await send(page, { type: 'tapes', run: run(2, 'bad'), tapes: [bad] });
    assert.match(await page.locator('.banner').innerText(), /Rejected malformed host→inspector message: tapes\.tapes\[0\]\.edges\[0\]\.from "n999" is not a node/);
    assert.equal(await page.locator('g.node').count(), cell.tapes[0].nodes.length);
    await send(page, { type: 'metrics', runId: 1, points: [{ name: 'loss', step: 'one', value: 1, wallTime: 0 }] });
    assert.match(await page.locator('.banner').innerText(), /metrics\.points\[0\]\.step must be a finite number/);
    await send(page, { type: 'runCode', code: 'alert(1)' });
    assert.match(await page.locator('.banner').innerText(), /unknown type "runCode"/);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('comes back after a reload from the state it saved', async () => {
    const cell = mseCell();
    const page = await harness.openPage();
    await send(page, { type: 'tapes', run: run(1, 'MSE gradient'), tapes: cell.tapes });
    await send(page, { type: 'metrics', runId: 1, points: lossPoints(20) });
    await page.locator(`g.node[data-node-id="${nodeIdOfTensorNamed(cell.tapes[0], 'b')}"]`).click();
    await page.waitForFunction(() => (window as unknown as { __state?: { selectedNode?: string } }).__state?.selectedNode !== undefined, null, { timeout: 5000 });
    const state = await savedState(page);
    await page.close();
    const again = await harness.openPage({ state });
    assert.equal(await again.locator('g.node').count(), cell.tapes[0].nodes.length);
    assert.match(await again.locator('.details-title').innerText(), /^b/);
    await again.locator('#tab-chart').click();
    await settle(again);
    assert.equal(await again.locator('tr[data-run="1"] .run-points').innerText(), '20');
    await again.close();
  });

  describe('training chart', () => {
    it('draws every point sent, live, and the smoothing slider and log-y change the line', async () => {
      const page = await harness.openPage();
      await send(page, { type: 'focus', view: 'chart' });
      await send(page, { type: 'metrics', runId: 7, runLabel: 'train cell (run 7)', points: lossPoints(30) });
      await send(page, { type: 'metrics', runId: 7, points: lossPoints(30, 30) });
      await settle(page);
      assert.equal(await page.locator('tr[data-run="7"] .run-points').innerText(), '60');
      const raw = page.locator('figure[data-tag="loss"] g.run-lines[data-run="7"] path.raw');
      assert.equal(await raw.getAttribute('data-drawn-points'), '60');
      const d = (await raw.getAttribute('d'))!;
      assert.equal((d.match(/[ML]/g) ?? []).length, 60, 'one vertex per point');
      const smoothed = page.locator('figure[data-tag="loss"] g.run-lines[data-run="7"] path.smoothed');
      const before = await smoothed.getAttribute('d');
      await page.locator('input.smoothing').fill('0.95');
      await settle(page);
      const after = await smoothed.getAttribute('d');
      assert.notEqual(after, before);
      await page.locator('input.log-y').check();
      await settle(page);
      assert.notEqual(await smoothed.getAttribute('d'), after);
      assert.ok(await page.locator('figure[data-tag="loss"] g.y-axis .tick').count() > 0);
      await page.close();
    });

    it('hides, pins and removes runs; reads out values on hover', async () => {
      const page = await harness.openPage();
      await send(page, { type: 'focus', view: 'chart' });
      await send(page, { type: 'metrics', runId: 1, runLabel: 'first', points: lossPoints(40) });
      await send(page, { type: 'metrics', runId: 2, runLabel: 'second', points: lossPoints(40).map((p) => ({ ...p, value: p.value * 1.5 })) });
      await settle(page);
      assert.equal(await page.locator('g.run-lines').count(), 2);
      await page.locator('tr[data-run="1"] .run-visible').uncheck();
      await settle(page);
      assert.equal(await page.locator('g.run-lines').count(), 1);
      await page.locator('tr[data-run="2"] .run-pin').click();
      await settle(page);
      assert.equal(await page.locator('tr[data-run="2"] .run-pin').getAttribute('aria-pressed'), 'true');
      await page.locator('tr[data-run="1"] .run-remove').click();
      await settle(page);
      assert.equal(await page.locator('table.runs tbody tr').count(), 1);
      const box = (await page.locator('figure[data-tag="loss"] rect.hover-target').boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      assert.match(await page.locator('figure[data-tag="loss"] .readout').innerText(), /second\s+step 20\s+value/);
      await page.close();
    });

    it('exports the data as CSV and the chart as SVG and PNG through the host', async () => {
      const page = await harness.openPage();
      await send(page, { type: 'focus', view: 'chart' });
      const points = lossPoints(25);
      await send(page, { type: 'metrics', runId: 3, points });
      await settle(page);
      await page.locator('button.export-csv').click();
      await page.locator('button.export-svg').click();
      await page.locator('button.export-png').click();
      await page.waitForFunction(() => (window as unknown as { __posted: Array<{ format?: string }> }).__posted.some((m) => m.format === 'png'));
      const exports = (await posted(page)).filter((m) => m.type === 'export');
      const csv = exports.find((m) => m.format === 'csv')!.data as string;
      const lines = csv.trim().split('\n');
      assert.equal(lines[0], 'run,run_label,tag,step,wall_time_ms,value');
      assert.equal(lines.length, points.length + 1);
      assert.equal(lines[5], `3,run 3,loss,4,${points[4].wallTime},${points[4].value}`);
      assert.match(exports.find((m) => m.format === 'svg')!.data as string, /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*path/);
      const png = Buffer.from(exports.find((m) => m.format === 'png')!.data as string, 'base64');
      assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
      await page.close();
    });

    for (const theme of ['dark', 'light'] as ThemeName[]) {
      it(`keeps all 100,000 points and draws a downsampled line (${theme})`, async () => {
        const page = await harness.openPage({ theme });
        await send(page, { type: 'focus', view: 'chart' });
        const t0 = 1_700_000_000_000;
        for (let chunk = 0; chunk < 10; chunk++) {
          const points = Array.from({ length: 10_000 }, (_, i) => {
            const step = chunk * 10_000 + i;
            return { name: 'loss', step, value: 2 / Math.sqrt(1 + step / 50) * (1 + 0.3 * Math.sin(step / 7)), wallTime: t0 + step * 5 };
          });
          await send(page, { type: 'metrics', runId: 11, runLabel: 'fit (run 11)', points });
        }
        await send(page, {
          type: 'metrics', runId: 11, points: Array.from({ length: 200 }, (_, i) => ({ name: 'accuracy', step: i * 500, value: 0.5 + 0.4 * (1 - Math.exp(-i / 40)), wallTime: t0 + i * 2500 })),
        });
        await send(page, { type: 'metrics', runId: 12, runLabel: 'fit (run 12)', points: lossPoints(2000).map((p) => ({ ...p, step: p.step * 50 })) });
        await settle(page, 200);
        assert.equal(await page.locator('tr[data-run="11"] .run-points').innerText(), '100200');
        const drawn = Number(await page.locator('figure[data-tag="loss"] g.run-lines[data-run="11"] path.raw').getAttribute('data-drawn-points'));
        const width = (await page.locator('figure[data-tag="loss"] svg.plot').boundingBox())!.width;
        assert.ok(drawn > 100 && drawn <= 4 * width, `drew ${drawn} points for a ${width}px wide chart`);
        await page.locator('input.log-x').check();
        await settle(page);
        await page.screenshot({ path: screenshotPath(`inspector-training-chart-${theme}.png`) });
        await page.close();
      });
    }
  });
});
