// A real CNN training step on real Fashion-MNIST images, recorded by the engine and drawn by the inspector page
// in headless Chromium: the Conv2D and MaxPool nodes with their kernel size, strides and padding, and the
// first-layer filters' gradient as an image grid whose tiles are coloured by the engine's own numbers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tf, traceCapture } from '../../engine';
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { Tensor } from '../../engine/tensor/tensor';
import { pageErrors, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { screenshotPath } from './screenshots';

const DATA = '/usr/share/datasets/fashion-mnist';
const skip = existsSync(DATA) ? false : `${DATA} is absent (apt-get install dataset-fashion-mnist)`;

/** One Adam step of a small CNN on 4 real images, under trace capture as the kernel worker records a cell. */
function cnnStep(): { tapes: TapeTrace[]; filterGradient: Tensor; filterShape: number[] } {
  tf.keras.backend.clearSession();
  tf.random.setSeed(11);
  const data = tf.data.readDataSets(DATA, { reshape: false, oneHot: true, seed: 3, validationSize: 0 });
  const model = tf.keras.Sequential([
    tf.keras.Input({ shape: [28, 28, 1] }),
    tf.keras.layers.Conv2D(8, 3, { activation: 'relu' }),
    tf.keras.layers.MaxPooling2D(2),
    tf.keras.layers.Flatten(),
    tf.keras.layers.Dense(10),
  ]);
  const [images, labels] = data.test.nextBatch(4);
  let tapes: TapeTrace[];
  traceCapture.begin();
  let grads: Array<Tensor | null>;
  try {
    const tape = new tf.GradientTape();
    const loss = tape.record(() => tf.reduceMean(tf.keras.losses.categoricalCrossentropy(labels, model(images, { training: true }), { fromLogits: true })));
    grads = tape.gradient(loss, model.trainableVariables);
    tf.keras.optimizers.Adam().applyGradients(grads.map((g, k) => [g!, model.trainableVariables[k]] as const));
  } finally {
    tapes = traceCapture.end();
  }
  return { tapes, filterGradient: grads[0]!, filterShape: model.trainableVariables[0].shape };
}

describe('inspector draws a CNN step', { skip }, () => {
  let harness: InspectorHarness;
  before(async () => {
    harness = await startInspectorHarness();
  });
  after(async () => { await harness?.close(); });

  it('shows Conv2D/MaxPool attributes and the filters\' gradient as an image grid matching the engine', async () => {
    const { tapes, filterGradient, filterShape } = cnnStep();
    const [tape] = tapes;
    const conv = tape.nodes.find((n) => n.op === 'Conv2D')!;
    assert.deepEqual(conv.attrs, { kernelSize: [3, 3], strides: [1, 1], dilations: [1, 1], padding: 'VALID' });
    const kernel = tape.tensors.find((t) => t.name === 'conv2d/kernel')!;
    assert.equal(kernel.grad?.imageGrid?.layout, 'HWIO');

    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, { type: 'tapes', run: { runId: 1, cellTitle: 'CNN step', file: '/work/example/cnn.ts', line: 40 }, tapes });
    await settle(page);
    const titles = await page.locator('g.node text.node-title').allTextContents();
    // conv and pool nodes carry their window on the node: kernel, stride, padding
    for (const op of ['Conv2D 3×3 /1 VALID', 'MaxPool 2×2 /2 VALID', 'BiasAddRelu', 'MatMul']) assert.ok(titles.includes(op), `${op} is drawn (got ${titles.join(', ')})`);

    await page.locator(`g.node[data-node-id="${conv.id}"]`).click();
    const facts = await page.locator('.node-details .facts').innerText();
    // the details read the window in words, not as the trace's JSON
    assert.match(facts, /kernel\s+3×3/);
    assert.match(facts, /strides\s+1×1/);
    assert.match(facts, /padding\s+VALID/);
    assert.match(facts, /dilations\s+1×1/);
    assert.doesNotMatch(facts, /kernelSize|[{}]/);
    assert.equal(await page.locator('.details-value .image-grid[data-layout="NHWC"]').count(), 1, 'the activation value is an image grid');

    const kernelNode = tape.nodes.find((n) => n.output === kernel.id)!;
    await page.locator(`g.node[data-node-id="${kernelNode.id}"]`).click();
    const grid = page.locator('.details-gradient .image-grid[data-layout="HWIO"]');
    assert.equal(await grid.count(), 1, 'the filter gradient is drawn as an image grid');
    const tiles = grid.locator('canvas.image-tile');
    assert.equal(await tiles.count(), filterShape[3], 'one tile per filter');
    assert.match(await grid.locator('figcaption').innerText(), /8 of 8 filters \(3×3\)/);
    // every pixel's colour says the sign of the engine's gradient at that filter tap
    const pixels = await tiles.evaluateAll((canvases) => canvases.map((c) => {
      const canvas = c as HTMLCanvasElement;
      return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
    }));
    const g = filterGradient.dataSync();
    const extent = Math.max(...Array.from(g, Math.abs));
    let checked = 0;
    pixels.forEach((rgba, filter) => {
      for (let tap = 0; tap < 9; tap++) {
        const v = g[tap * filterShape[3] + filter];
        const [r, , b] = rgba.slice(tap * 4, tap * 4 + 3);
        if (Math.abs(v) < 0.02 * extent) continue; // too faint to tell red from blue
        assert.ok(v > 0 ? r > b : b > r, `filter ${filter} tap ${tap}: gradient ${v} drawn as rgb ${rgba.slice(tap * 4, tap * 4 + 3)}`);
        checked++;
      }
    });
    assert.ok(checked > 36, `compared ${checked} pixels with the engine`);
    await page.locator('.node-details').screenshot({ path: screenshotPath('inspector-cnn-filter-gradient.png') });
    await page.screenshot({ path: screenshotPath('inspector-cnn-step.png') });
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
