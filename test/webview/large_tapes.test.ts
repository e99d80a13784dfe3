// Tapes of any size: repeated op sequences fold into "×N" boxes that expand on demand, and a cut trace
// says the same counts everywhere. The folding rules in Node against hand-made sequences; the page in
// Chromium with loops the real engine records.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findRepeats, foldRepeats, MIN_REPEATS, REPEATS_SHOWN } from '../../webview/graph/repeat_fold';
import { buildViewGraph } from '../../webview/graph/view_graph';
import { send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { largeTape, scalarLoopTape } from './engine_traces';

const run = { runId: 1, cellTitle: 'loop', file: '/work/example/cells.ts', line: 3 };

describe('finding repeated structure', () => {
  it('finds the longest repeating block and how often it repeats', () => {
    assert.deepEqual(findRepeats('xABABABABABy'.split('')), [[1, 2, 5]]);
    assert.deepEqual(findRepeats('ABCABCABCABC'.split('')), [[0, 3, 4]]);
    assert.deepEqual(findRepeats('ABABAB'.split('')), [], `three repetitions are fewer than ${MIN_REPEATS}`);
    assert.deepEqual(findRepeats('AAAAABCBCBCBCBC'.split('')), [[0, 1, 5], [5, 2, 5]]);
  });

  it('a 20,000-op loop folds all but its first and last repetitions into one group', () => {
    const tape = scalarLoopTape(20_000);
    const ops = tape.nodes.filter((n) => n.kind === 'op');
    const { groups } = foldRepeats(ops, new Set());
    assert.equal(groups.length, 1);
    assert.deepEqual([groups[0].start, groups[0].period, groups[0].count, groups[0].block], [2, 2, 9_998, 'Mul → Add']);
    const graph = buildViewGraph(tape, new Set());
    assert.equal(graph.nodes.filter((n) => n.kind === 'repeat').length, 1);
    assert.ok(graph.nodes.length <= 12, `${graph.nodes.length} boxes instead of ${tape.nodes.length}`);
    assert.ok(graph.nodes.some((n) => n.isTarget && n.kind === 'op'), 'the target stays its own box');
    assert.ok(graph.nodes.some((n) => n.isSource && n.kind === 'tensor'), 'so does the source');
    const expanded = foldRepeats(ops, new Set([groups[0].key])).groups;
    assert.deepEqual(expanded.map((g) => [g.start, g.count]), [[2 + REPEATS_SHOWN * 2, 9_998 - 2 * REPEATS_SHOWN]], 'expanding shows the ends and folds the rest');
  });

  it('layers that differ by name scope are not taken for repetitions', () => {
    const tape = largeTape(200);
    assert.equal(buildViewGraph(tape, new Set()).nodes.filter((n) => n.kind === 'repeat').length, 0);
  });
});

describe('large tapes in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  it('a "×N" box expands on click into the first and last repetitions and a smaller group', async () => {
    const tape = scalarLoopTape(2_000);
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [tape] });
    const group = page.locator('g.node.kind-repeat');
    assert.equal(await group.count(), 1);
    assert.equal(await group.locator('text.node-title').textContent(), '×998');
    assert.equal(await group.locator('text.node-subtitle').textContent(), 'Mul → Add');
    await group.click();
    assert.equal(await page.locator('g.node.kind-repeat text.node-title').textContent(), `×${998 - 2 * REPEATS_SHOWN}`);
    assert.equal(await page.locator('g.node.kind-op').count(), 4 + 4 * REPEATS_SHOWN, 'first and last repetition, and two more at each end');
    await page.close();
  });

  it('a cut trace: the list, the picker and the graph say the same counts, and the target is kept', async () => {
    const tape = scalarLoopTape(20_000, 5_000);
    assert.equal(tape.truncated, true);
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [tape] });
    const kept = tape.nodes.filter((n) => n.kind === 'op').length;
    const words = `${kept.toLocaleString('en-US')} of 20,000 ops kept`;
    assert.match(await page.locator('.tape-entry').innerText(), new RegExp(words));
    assert.match(await page.locator('.graph-status').innerText(), new RegExp(words));
    assert.ok(tape.tensors.some((t) => t.isTarget), 'the target survives the cut');
    assert.equal(await page.locator('g.node.target').count(), 1);
    await page.close();
  });
});
