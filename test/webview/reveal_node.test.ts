// The editor hover's link into the inspector, in real headless Chromium: a revealNode message selects the node that
// produced the tensor (opening the name scope it is folded in), shows its details, answers with the node selected,
// and says so when that run is no longer shown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { largeTape, mseCell } from './engine_traces';
import { screenshotPath } from './screenshots';
import { pageErrors, posted, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';

const run = (runId: number) => ({ runId, cellTitle: 'cell', file: '/work/example/cells.ts', line: 3 });

describe('revealing a tensor from the editor in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  it('selects the node of a tensor folded in a collapsed name scope, and shows its details', async () => {
    const tape = largeTape(200, true);
    const inside = tape.nodes.filter((n) => n.op === 'Tanh' && n.scope[0] === 'layer_20')[0];
    assert.ok(inside, 'the tape has a Tanh in layer_20');
    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, { type: 'tapes', run: run(4), tapes: [tape] });
    await page.locator('#details-tab-replay').click();
    await page.locator('#tab-chart').click();
    assert.equal(await page.locator(`g.node[data-trace-node="${inside.id}"]`).count(), 0, 'folded in its scope at first');
    await send(page, { type: 'revealNode', runId: 4, tapeId: tape.tapeId, tensorId: inside.output });
    await settle(page);
    assert.equal(await page.locator('#tab-tapes').getAttribute('aria-selected'), 'true', 'the Tapes view comes forward');
    assert.equal(await page.locator('g.node.selected').getAttribute('data-trace-node'), inside.id);
    assert.equal(await page.locator('#details-tab-node').getAttribute('aria-selected'), 'true', 'the Node details are shown');
    assert.match(await page.locator('.facts').innerText(), /Tanh/);
    const answer = (await posted(page)).filter((m) => m.type === 'nodeRevealed').pop();
    assert.deepEqual(answer, { type: 'nodeRevealed', tapeId: tape.tapeId, tensorId: inside.output, node: inside.id });
    await page.screenshot({ path: screenshotPath('reveal_node.png') });
    assert.deepEqual(pageErrors(page), []);
  });

  it('a run no longer shown is said so, and nothing is selected', async () => {
    const cell = mseCell();
    const page = await harness.openPage({ width: 900, height: 700 });
    await send(page, { type: 'tapes', run: run(9), tapes: cell.tapes });
    await send(page, { type: 'revealNode', runId: 8, tapeId: cell.tapes[0].tapeId, tensorId: cell.tapes[0].nodes[0].output });
    assert.match(await page.locator('.banner').innerText(), /no longer in the inspector/);
    const answer = (await posted(page)).filter((m) => m.type === 'nodeRevealed').pop();
    assert.equal(answer?.node, undefined);
    assert.deepEqual(pageErrors(page), []);
  });
});
