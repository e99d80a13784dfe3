// Values and gradients on node faces (micrograd's draw_dot) and NaN/Inf marked on the graph, in
// Chromium with traces the real engine records; the face wording itself in Node.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageErrors, send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { backwardNaNCell, chainRuleCell, mnistStepCell } from './engine_traces';
import { tf, traceCapture } from '../../engine';

/** Small matrices and a vector (heatmaps on their faces) beside an 80×8 one (too tall: norm and histogram). */
function smallTensorsTape(): { tape: TapeTrace; values: Record<string, number[]> } {
  tf.random.setSeed(11);
  const a = new tf.Variable(tf.random.normal([8, 12]), { name: 'a' });
  const m = new tf.Variable(tf.random.normal([40, 40]), { name: 'm' });
  const v = new tf.Variable(tf.random.normal([10]), { name: 'v' });
  const tall = new tf.Variable(tf.random.normal([80, 8]), { name: 'tall' });
  traceCapture.begin();
  const tape = new tf.GradientTape();
  const loss = tape.record(() => tf.matmul(tall, a).sum().add(m.square().sum()).add(v.mul(v).sum()));
  tape.gradient(loss, [a, m, v, tall]);
  const [trace] = traceCapture.end();
  return { tape: trace, values: { a: Array.from(a.dataSync() as Float32Array), v: Array.from(v.dataSync() as Float32Array) } };
}

/** A tape whose forward pass makes NaN (log of a negative number) and whose gradient carries it. */
function forwardNaNTapes() {
  const a = tf.constant([0.5, 1.5]);
  traceCapture.begin();
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(a); return tf.log(a.sub(2)).mul(2).sum(); });
  tape.gradient(y, a);
  return traceCapture.end();
}
import { faceLines, faceMaps, sparkHistogram, FACE_MAP_PX } from '../../webview/graph/node_face';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { screenshotPath } from './screenshots';
import type { TensorSummary } from '../../engine/trace/trace_format';

const run = { runId: 1, cellTitle: 'cell', file: '/work/example/cells.ts', line: 3 };
const summary = (over: Partial<TensorSummary>): TensorSummary => ({
  shape: [], dtype: 'float32', size: 1, min: 0, max: 0, mean: 0, std: 0, l2: 0, nanCount: 0, infCount: 0, ...over,
});

describe('node faces', () => {
  it('a scalar shows value and gradient; a few numbers inline; a large tensor its norm and spark histogram; None says so', () => {
    assert.deepEqual(faceLines({ id: 1, shape: [], dtype: 'float32', kind: 'op-output', isSource: false, isTarget: false,
      value: summary({ values: [3] }), grad: summary({ values: [2] }) }), ['= 3', '∇ 2']);
    assert.deepEqual(faceLines({ id: 1, shape: [3], dtype: 'float32', kind: 'constant', isSource: false, isTarget: false,
      value: summary({ shape: [3], size: 3, values: [1, 2.5, 'NaN'], nanCount: 1 }), grad: null }), ['= ⚠ 1 NaN', '∇ None']);
    const big = summary({ shape: [100], size: 100, l2: 12.5, min: 0, max: 1, histogram: { edges: [0, 0.5, 1], counts: [10, 90] } });
    assert.deepEqual(faceLines({ id: 1, shape: [100], dtype: 'float32', kind: 'op-output', isSource: false, isTarget: false, value: big }), [`= ‖12.5‖ ${sparkHistogram(big)}`]);
    assert.equal(sparkHistogram(big), '▁█', 'two bins, heights by count');
    const wide = summary({ shape: [100], size: 100, l2: 1, min: 0, max: 1, histogram: { edges: [], counts: [0, 0, 7, 7, 14, 14, 0, 0, 0, 0, 1, 1, 0, 0, 0, 70] } });
    // Pairs: 0, 14, 28, 0, 0, 2, 0, 70; height index floor(count / 70 · 7): -, 1, 2, -, -, 0, -, 7.
    assert.equal(sparkHistogram(wide), ' ▂▃  ▁ █', 'sixteen bins merge pairwise into eight');
    assert.deepEqual(faceLines({ id: 1, shape: [2], dtype: 'float32', kind: 'op-output', isSource: false, isTarget: false,
      value: summary({ shape: [2], size: 2, values: [0.5, -1] }) }), ['= [0.5, -1]']);
  });
});

describe('face heatmaps', () => {
  it('tensors of more than six numbers up to 64×64 get a value and a gradient map; larger ones none', () => {
    const { tape } = smallTensorsTape();
    const byName = (name: string) => tape.tensors.find((t) => t.name === name)!;
    const [aValue, aGrad] = faceMaps(byName('a'));
    assert.deepEqual([aValue.role, aValue.rows, aValue.cols, aValue.width, aValue.height], ['value', 8, 12, FACE_MAP_PX, Math.round((8 * FACE_MAP_PX) / 12)]);
    assert.equal(aGrad.role, 'grad');
    assert.deepEqual(faceMaps(byName('m')).map((f) => [f.rows, f.cols, f.sourceShape.join('×')]), [[32, 32, '40×40'], [32, 32, '40×40']], 'a 40×40 matrix in 32×32 blocks');
    assert.deepEqual(faceMaps(byName('v')).map((f) => [f.rows, f.cols]), [[1, 10], [1, 10]], 'a vector is one row');
    assert.deepEqual(faceMaps(byName('tall')), [], '80 rows is over 64');
    assert.deepEqual(faceMaps(tape.tensors.find((t) => t.shape.length === 0)), [], 'a scalar says its numbers');
  });
});

describe('faces and NaN/Inf in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  it('draws value and gradient on every node of the chain rule; the toggle takes them off and makes boxes shorter', async () => {
    const cell = chainRuleCell();
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: cell.tapes });
    const tape = cell.tapes[0];
    // The last gradient call is dy2/dw1: 2 at w1 (= x·w2), the target y2 = (1·2 + 1)·2 + 1 = 7.
    const target = tape.tensors.find((t) => t.isTarget && tape.gradientCalls.at(-1)!.targets.includes(t.id))!;
    const targetNode = page.locator(`g.node[data-node-id="${tape.nodes.find((n) => n.output === target.id)!.id}"]`);
    assert.deepEqual(await targetNode.locator('text.node-face').allTextContents(), ['= 7', '∇ 1']);
    const w1 = tape.gradientCalls.at(-1)!.sources[0];
    const w1Node = page.locator(`g.node[data-node-id="${tape.nodes.find((n) => n.output === w1)!.id}"]`);
    assert.deepEqual(await w1Node.locator('text.node-face').allTextContents(), ['= 2', `∇ ${cell.gradients.dy2Dw1![0]}`]);
    const tall = (await targetNode.locator('rect.node-box').boundingBox())!.height;
    await page.locator('input.show-faces').uncheck();
    assert.equal(await page.locator('text.node-face').count(), 0);
    assert.ok((await targetNode.locator('rect.node-box').boundingBox())!.height < tall, 'boxes without faces are shorter');
    await page.close();
  });

  it('draws the tiny heatmaps on the faces, coloured by value (red > 0, blue < 0); the toggle removes them', async () => {
    const { tape, values } = smallTensorsTape();
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: [tape] });
    const nodeOf = (name: string) => page.locator(`g.node[data-node-id="${tape.nodes.find((n) => n.output === tape.tensors.find((t) => t.name === name)!.id)!.id}"]`);
    const a = nodeOf('a');
    assert.deepEqual(await a.locator('image.node-map').evaluateAll((is) => is.map((i) => i.getAttribute('aria-label'))),
      ['value heatmap, 8×12', 'gradient heatmap, 8×12']);
    assert.equal(await nodeOf('tall').locator('image.node-map').count(), 0);
    assert.equal(await nodeOf('v').locator('image.node-map').count(), 2);
    // The value map's pixels: the largest entry of a is the reddest, the smallest the bluest.
    const pixels = await a.locator('image.node-map.value').evaluate(async (img) => {
      const picture = new Image();
      picture.src = img.getAttribute('href')!;
      await picture.decode();
      const canvas = document.createElement('canvas');
      canvas.width = picture.width;
      canvas.height = picture.height;
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(picture, 0, 0);
      return { width: picture.width, height: picture.height, data: Array.from(ctx.getImageData(0, 0, picture.width, picture.height).data) };
    });
    assert.deepEqual([pixels.width, pixels.height], [12, 8], 'one pixel per cell');
    const at = (k: number) => pixels.data.slice(4 * k, 4 * k + 4);
    const max = values.a.indexOf(Math.max(...values.a));
    const min = values.a.indexOf(Math.min(...values.a));
    const [r1, , b1, alpha1] = at(max);
    const [r2, , b2, alpha2] = at(min);
    assert.ok(r1 > b1 && alpha1 > 200, `the largest value is strong red (${at(max)})`);
    assert.ok(b2 > r2 && alpha2 > 200, `the smallest value is strong blue (${at(min)})`);
    const box = (await a.locator('rect.node-box').boundingBox())!;
    const map = (await a.locator('image.node-map.grad').boundingBox())!;
    assert.ok(map.y + map.height <= box.y + box.height + 0.5 && map.x >= box.x && map.x + map.width <= box.x + box.width, 'the maps sit inside the box');
    await page.screenshot({ path: screenshotPath('faces-heatmaps-1280x800.png') });
    await page.locator('input.show-faces').uncheck();
    assert.equal(await page.locator('image.node-map').count(), 0);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('a dense tape (MNIST step) summarises big tensors by norm and histogram', async () => {
    const cell = mnistStepCell();
    const page = await harness.openPage({ width: 1280, height: 800 });
    await send(page, { type: 'tapes', run, tapes: cell.tapes });
    const faces = await page.locator('text.node-face').allTextContents();
    assert.ok(faces.some((f) => /^∇ ‖[\d.e-]+‖ [▁▂▃▄▅▆▇█ ]{1,8}$/.test(f)), faces.join(' | '));
    await page.screenshot({ path: screenshotPath('faces-mnist-1280x800.png') });
    await page.close();
  });

  it('the op where NaN/Inf first appeared in the backward pass carries a badge and is selected when the tape opens', async () => {
    const cell = backwardNaNCell();
    assert.match(cell.error, /Sqrt/, 'check numerics names the op');
    const [tape] = cell.tapes;
    const fault = tape.nodes.find((n) => n.numericsFault === 'backward');
    assert.equal(fault?.op, 'Sqrt');
    const page = await harness.openPage({ width: 620, height: 570 });
    await send(page, { type: 'tapes', run, tapes: cell.tapes });
    const badge = page.locator(`g.node[data-node-id="${fault!.id}"] g.node-badge text`);
    assert.equal(await badge.textContent(), 'NaN first ∇');
    assert.equal(await page.locator('g.node-badge text').count(), 1, 'one badge: the first place');
    assert.equal(await page.locator('g.node.selected').getAttribute('data-node-id'), fault!.id, 'selected on open');
    assert.match(await page.locator('.numerics-alert').first().innerText(), /first appeared here in the gradient/);
    await page.screenshot({ path: screenshotPath('numerics-badge-620x570.png') });
    await page.close();
  });

  it('nodes whose value or gradient holds NaN/Inf are marked (check numerics off: log of a negative number)', async () => {
    const [tape] = forwardNaNTapes();
    const bad = tape.tensors.filter((t) => (t.value && t.value.nanCount + t.value.infCount > 0) || (t.grad && t.grad.nanCount + t.grad.infCount > 0));
    assert.ok(bad.length >= 2, 'the log and everything after it');
    const page = await harness.openPage({ width: 620, height: 570 });
    await send(page, { type: 'tapes', run, tapes: [tape] });
    const marked = await page.locator('g.node.non-finite').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-trace-node')));
    assert.deepEqual(marked.sort(), tape.nodes.filter((n) => bad.some((t) => t.id === n.output)).map((n) => n.id).sort());
    assert.ok((await page.locator('text.node-face').allTextContents()).some((f) => /nan/.test(f)), 'the face says nan');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
