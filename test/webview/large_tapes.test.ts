// Tapes of any size: repeated op sequences fold into "×N" boxes that expand on demand, and a cut trace
// says the same counts everywhere. The folding rules in Node against hand-made sequences; the page in
// Chromium with loops the real engine records.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findRepeats, foldRepeats, MIN_REPEATS, REPEATS_SHOWN } from '../../webview/graph/repeat_fold';
import { foldLines, MIN_LINE_RUN } from '../../webview/graph/line_fold';
import { buildViewGraph, defaultCollapsedScopes, FOLD_BOXES_ABOVE, type ViewGraph } from '../../webview/graph/view_graph';
import { CUT_NODE_ID, type TapeTrace } from '../../engine/trace/trace_format';
import { graphDrawn, measureResponsiveness, send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { irregularTape, largeTape, scalarLoopTape } from './engine_traces';

/** Every trace node is drawn exactly once: as its own box (or copies of it), or inside one fold. */
function assertEachNodeOnce(trace: TapeTrace, graph: ViewGraph): void {
  const seen = new Map<string, number>();
  for (const box of graph.nodes) if (!box.copyOf) for (const m of box.members) seen.set(m.id, (seen.get(m.id) ?? 0) + 1);
  for (const n of trace.nodes) assert.equal(seen.get(n.id), 1, `${n.id} (${n.op}) is drawn once`);
}

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

  it('layers that differ by name scope are not taken for repetitions while the graph is small enough to read', () => {
    const tape = largeTape(100);
    const graph = buildViewGraph(tape, new Set());
    assert.ok(graph.nodes.length <= FOLD_BOXES_ABOVE, `${graph.nodes.length} boxes`);
    assert.equal(graph.nodes.filter((n) => n.kind === 'repeat').length, 0);
  });

  it('a scoped 1,000-node tape folds its repeated scopes into one box: first and last layer stay, leaves fold in', () => {
    const tape = largeTape(800);
    const graph = buildViewGraph(tape, defaultCollapsedScopes(tape));
    assert.equal(graph.foldLevel, 1, 'one scope box per layer would be over the budget');
    assert.ok(graph.nodes.length <= 12, `${graph.nodes.length} boxes for ${tape.nodes.length} nodes`);
    const layers = new Set(tape.nodes.filter((n) => n.scope.length > 0).map((n) => n.scope[0]));
    const [group] = graph.nodes.filter((n) => n.kind === 'repeat');
    // Layer 0 reads an unwatched input, so it records one op fewer and starts no run; the run's first and last layers stay.
    const scopes = graph.nodes.filter((n) => n.kind === 'scope').map((n) => n.scopeKey);
    assert.deepEqual(scopes, ['layer_0', 'layer_1', `layer_${layers.size - 1}`]);
    assert.equal(group.title, `×${layers.size - 3}`);
    assert.equal(group.subtitle, 'layer_2/');
    assert.ok(graph.nodes.some((n) => n.isTarget && n.kind === 'op'), 'the target is its own box');
    assert.ok(graph.nodes.some((n) => n.isSource && n.kind === 'tensor'), 'so is the source');
    assertEachNodeOnce(tape, graph);
    // Expanding the group shows two more layers at each end, each a scope box, and a smaller group.
    const expanded = buildViewGraph(tape, defaultCollapsedScopes(tape), new Set([group.repeatKey!]));
    assert.equal(expanded.nodes.filter((n) => n.kind === 'scope').length, 3 + 2 * REPEATS_SHOWN);
    assert.equal(expanded.nodes.find((n) => n.kind === 'repeat')!.title, `×${layers.size - 3 - 2 * REPEATS_SHOWN}`);
    assertEachNodeOnce(tape, expanded);
  });

  it('runs of ops one source line recorded fold into that line\'s box; targets, sources and folds break a run', () => {
    const at = (line: number) => ({ file: '/cells.ts', line, column: 1 });
    const units = [at(3), at(3), at(3), at(3), at(4), at(5), at(5), at(5), at(5), at(5), at(5)].map((source) => ({ source, keep: false }));
    assert.deepEqual(foldLines(units, new Set()).map((g) => [g.line, g.start, g.count]), [[3, 0, 4], [5, 5, 6]]);
    units[7].keep = true;
    assert.deepEqual(foldLines(units, new Set()).map((g) => [g.line, g.start, g.count]), [[3, 0, 4], [5, 8, 3]], `a kept unit splits line 5; ${MIN_LINE_RUN} still fold`);
    assert.deepEqual(foldLines(units, new Set(['line:/cells.ts:3:0'])).map((g) => g.line), [5], 'an expanded line stays open');
  });

  it('an irregular tape over the budget folds by source line, and each line\'s box expands on demand', () => {
    const tape = irregularTape(600);
    // The kernel notes each op's line in the cell; here every 40 ops come from one line.
    const ops = tape.nodes.filter((n) => n.kind === 'op');
    ops.forEach((n, i) => { n.source = { file: '/cells.ts', line: 10 + Math.floor(i / 40), column: 3 }; });
    const graph = buildViewGraph(tape, new Set());
    assert.equal(graph.foldLevel, 2);
    const lines = graph.nodes.filter((n) => n.kind === 'line');
    assert.ok(lines.length >= 14, `${lines.length} line boxes`);
    assert.ok(graph.nodes.length <= FOLD_BOXES_ABOVE, `${graph.nodes.length} boxes`);
    assert.match(lines[1].title, /^line 11$/);
    assert.match(lines[1].subtitle, /^40 ops → /);
    assert.ok(graph.nodes.some((n) => n.isTarget && n.kind === 'op'), 'the target stays its own box');
    assertEachNodeOnce(tape, graph);
    const opened = buildViewGraph(tape, new Set(), new Set([lines[1].repeatKey!]));
    assert.equal(opened.nodes.filter((n) => n.kind === 'line').length, lines.length - 1);
    assertEachNodeOnce(tape, opened);
  });

  it('a cut trace keeps one path from the source to the target through a box that says how many ops were cut', () => {
    const tape = scalarLoopTape(100_000, 5_000);
    const graph = buildViewGraph(tape, defaultCollapsedScopes(tape));
    const cut = graph.nodes.find((n) => n.id === CUT_NODE_ID)!;
    const kept = tape.nodes.filter((n) => n.kind === 'op').length;
    assert.equal(cut.title, `⋯ ${(tape.totalNodes - kept).toLocaleString('en-US')} ops cut`);
    const parents = new Map(graph.nodes.map((n) => [n.id, n.parentIds]));
    const target = graph.nodes.find((n) => n.isTarget)!;
    const source = graph.nodes.find((n) => n.isSource)!;
    const reach = new Set<string>([target.id]);
    const stack = [target.id];
    while (stack.length > 0) for (const p of parents.get(stack.pop()!) ?? []) if (!reach.has(p)) { reach.add(p); stack.push(p); }
    assert.ok(reach.has(CUT_NODE_ID) && reach.has(source.id), 'the target is reached from the source through the cut');
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
    assert.equal(await page.locator(`g.node[data-node-id="${CUT_NODE_ID}"] text.node-title`).textContent(), `⋯ ${(20_000 - kept).toLocaleString('en-US')} ops cut`);
    assert.ok(tape.tensors.some((t) => t.isTarget), 'the target survives the cut');
    assert.equal(await page.locator('g.node.target').count(), 1);
    await page.close();
  });

  it('a large layout runs in the worker: the page keeps running its timers and answers clicks meanwhile', async () => {
    const small = scalarLoopTape(200);
    const big = irregularTape(2_000);
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [small] });
    const r = await measureResponsiveness(page, JSON.stringify({ type: 'tapes', run: { ...run, runId: 2 }, tapes: [big] }));
    assert.equal(r.site, 'worker');
    assert.ok(r.layoutMs > 100, `the layout took ${r.layoutMs.toFixed(0)} ms: long enough to tell`);
    assert.ok(r.ticksDuringLayout >= 5, `a 5 ms timer fired ${r.ticksDuringLayout} times during a ${r.layoutMs.toFixed(0)} ms layout`);
    assert.ok(r.maxDelayDuringLayoutMs < r.layoutMs / 2, `the page was busy at most ${r.maxDelayDuringLayoutMs.toFixed(0)} ms at a time during the layout`);
    assert.ok(Number(await page.locator('.graph-pane').getAttribute('data-boxes')) > 1_500, 'the big graph is drawn');
    await page.close();
  });

  it('while a big layout runs, the graph drawn before stays live, and a newer tape replaces the pending one', async () => {
    const small = scalarLoopTape(200);
    const big = irregularTape(4_000);
    const newer = irregularTape(900);
    const newerMessage = JSON.stringify({ type: 'tapes', run: { ...run, runId: 4 }, tapes: [newer] });
    const bigAgainMessage = JSON.stringify({ type: 'tapes', run: { ...run, runId: 3 }, tapes: [irregularTape(3_000, 99)] });
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [small] });
    await page.evaluate((json) => window.postMessage(JSON.parse(json), '*'), JSON.stringify({ type: 'tapes', run: { ...run, runId: 2 }, tapes: [big] }));
    await page.waitForFunction(() => document.querySelector('.graph-pane')?.getAttribute('data-layout') === 'pending');
    assert.match(await page.locator('.graph-status').innerText(), /Laying out [\d,]+ boxes/);
    // The small tape's boxes are still there and still answer a click.
    const target = page.locator('g.node.target');
    await target.click();
    assert.equal(await page.locator('g.node.selected').getAttribute('data-node-id'), await target.getAttribute('data-node-id'));
    assert.equal(await page.locator('.graph-pane').getAttribute('data-layout'), 'pending', 'clicked while the layout ran');
    // A newer tape arrives while a big layout runs (posted right behind it): it replaces that layout.
    await page.evaluate(([a, b]) => { window.postMessage(JSON.parse(a), '*'); window.postMessage(JSON.parse(b), '*'); }, [bigAgainMessage, newerMessage]);
    const newerBoxes = buildViewGraph(newer, new Set()).nodes.length;
    await page.waitForFunction((n) => {
      const pane = document.querySelector('.graph-pane');
      return pane?.getAttribute('data-layout') === 'drawn' && pane.getAttribute('data-boxes') === String(n);
    }, newerBoxes, { timeout: 120_000 });
    assert.ok(Number(await page.locator('.graph-pane').getAttribute('data-layouts-replaced')) >= 1, 'the pending layout was replaced');
    const newerOps = newer.nodes.filter((n) => n.kind === 'op').length;
    assert.match(await page.locator('.tape-entry').first().innerText(), new RegExp(`· ${newerOps} ops`));
    await page.close();
  });

  it('Fit on a big unfolded graph keeps boxes readable: at least 24 px tall, the target among them', async () => {
    const page = await harness.openPage({ width: 620, height: 570 });
    await send(page, { type: 'tapes', run, tapes: [irregularTape(1_500)] });
    await page.locator('button.fit').click();
    await page.waitForTimeout(350);
    const box = (await page.locator('g.node.target rect.node-box').boundingBox())!;
    assert.ok(box.height >= 24, `the target is ${box.height.toFixed(1)} px tall after Fit`);
    const heights = await page.locator('g.node rect.node-box').evaluateAll((rects) => rects.slice(0, 200).map((r) => r.getBoundingClientRect().height));
    assert.ok(Math.min(...heights) >= 24, `smallest box ${Math.min(...heights).toFixed(1)} px`);
    await page.close();
  });
});

describe('without a layout worker', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness({ withoutWorker: true }); });
  after(async () => { await harness?.close(); });

  it('the page lays out on its own thread and is blocked meanwhile: what the worker spares it', async () => {
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [scalarLoopTape(200)] });
    const r = await measureResponsiveness(page, JSON.stringify({ type: 'tapes', run: { ...run, runId: 2 }, tapes: [irregularTape(2_000)] }));
    assert.equal(r.site, 'page');
    // long enough for a 5 ms timer to show the stall (about 90 ms on a quiet machine, seconds on a loaded one)
    assert.ok(r.layoutMs > 40, `the layout took ${r.layoutMs.toFixed(0)} ms`);
    assert.ok(r.maxDelayDuringLayoutMs >= r.layoutMs * 0.5, `one stall of ${r.maxDelayDuringLayoutMs.toFixed(0)} ms covers most of the ${r.layoutMs.toFixed(0)} ms layout`);
    await page.close();
  });
});
