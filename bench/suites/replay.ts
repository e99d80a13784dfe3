// The backward-pass replay in headless Chromium: one step forward (→) on a ~1,000-node tape recorded by the real
// engine. "Redraw" is the work a step costs the page: the key's handler (the step's text), the overlay's paint on
// the next frame (tapescope:replay-paint) and the style and layout each forces — target ≤ 16 ms, one frame. Two
// views of the tape: as it opens (unscoped layers, repeats folded into "×N" boxes) and with every op drawn (each
// layer in its own name scope, all expanded). A last row is the step from the key press to the frame after it.
import type { Page } from 'playwright-core';
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import { largeTape } from '../../test/webview/engine_traces';
import { send, settle, startInspectorHarness, type InspectorHarness } from '../../test/webview/inspector_page';

const STEP_SAMPLES = 21;

interface StepTimes { work: number[]; paint: number[]; toFrame: number[] }

async function stepTimes(page: Page): Promise<StepTimes> {
  return page.evaluate(async (count) => {
    const pane = document.querySelector('.replay-pane')!;
    const out = { work: [] as number[], paint: [] as number[], toFrame: [] as number[] };
    for (let i = 0; i < count; i++) {
      performance.clearMeasures('tapescope:replay-paint');
      const start = performance.now();
      pane.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
      document.body.getBoundingClientRect();
      const handled = performance.now() - start;
      let afterPaint = 0;
      // queued after the overlay's own frame callback, so it runs right after the paint in the same frame
      await new Promise<void>((done) => requestAnimationFrame(() => {
        const t = performance.now();
        document.body.getBoundingClientRect();
        afterPaint = performance.now() - t;
        done();
      }));
      const paint = performance.getEntriesByName('tapescope:replay-paint', 'measure').pop()?.duration ?? NaN;
      await new Promise((done) => setTimeout(done, 0));
      out.toFrame.push(performance.now() - start);
      out.paint.push(paint);
      out.work.push(handled + paint + afterPaint);
    }
    return out;
  }, STEP_SAMPLES);
}

async function replayRows(harness: InspectorHarness, scoped: boolean): Promise<BenchRow[]> {
  const tape = largeTape(800, scoped);
  const steps = tape.gradientCalls[0].backward?.steps.length ?? 0;
  const page = await harness.openPage({ width: 1600, height: 1000 });
  await send(page, { type: 'tapes', run: { runId: 1, cellTitle: 'bench', file: '/bench.ts', line: 1 }, tapes: [tape] });
  await settle(page);
  if (scoped) { await page.locator('button.expand-all').click(); await settle(page); }
  await page.locator('#details-tab-replay').click();
  // start halfway, so the overlay labels the edges of hundreds of steps
  await page.locator('.replay-slider').fill(String(Math.floor(steps / 2)), { timeout: 300_000 });
  await page.locator('.replay-pane').focus();
  await settle(page, 1000);
  const drawn = await page.locator('g.node').count();
  const times = await stepTimes(page);
  const labels = await page.locator('.replay-edge-label').count();
  await page.close();
  const view = scoped ? 'every op drawn (scopes expanded)' : 'as it opens (repeats folded)';
  return [{
    suite: 'replay', case: `replay step redraw, ${tape.nodes.length}-node tape, ${view}`, unit: 'ms',
    tapescope: median(times.work), peers: {}, higherIsBetter: false,
    note: `${drawn} boxes, ${labels} edges labelled, median of ${STEP_SAMPLES} → presses from step ${Math.floor(steps / 2)} of ${steps}; handler + overlay paint (median ${median(times.paint).toFixed(1)} ms) + the style/layout they force; target ≤ 16 ms`,
  }, {
    suite: 'replay', case: `same, key press to the frame after it, ${view}`, unit: 'ms',
    tapescope: median(times.toFrame), peers: {}, higherIsBetter: false,
    note: 'adds the wait for the next animation frame (up to 16.7 ms) and that frame\'s paint',
  }];
}

export default async function run(): Promise<BenchRow[]> {
  const harness = await startInspectorHarness();
  try {
    return [...await replayRows(harness, false), ...await replayRows(harness, true)];
  } finally {
    await harness.close();
  }
}
