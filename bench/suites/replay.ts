// The backward-pass replay in headless Chromium: one step forward (→) on a ~1,000-node tape recorded by the real
// engine, from the key press to the frame after the pane and the graph's overlay are redrawn (target ≤ 16 ms).
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import { largeTape } from '../../test/webview/engine_traces';
import { send, settle, startInspectorHarness } from '../../test/webview/inspector_page';

const STEP_SAMPLES = 41;

export default async function run(): Promise<BenchRow[]> {
  const tape = largeTape(800, false);
  const steps = tape.gradientCalls[0].backward?.steps.length ?? 0;
  const harness = await startInspectorHarness();
  try {
    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, { type: 'tapes', run: { runId: 1, cellTitle: 'bench', file: '/bench.ts', line: 1 }, tapes: [tape] });
    await page.locator('#details-tab-replay').click();
    await settle(page);
    // start halfway, so the overlay labels hundreds of traversed edges
    await page.locator('.replay-slider').fill(String(Math.floor(steps / 2)));
    await page.locator('.replay-pane').focus();
    const samples = await page.evaluate(async (count) => {
      const pane = document.querySelector('.replay-pane')!;
      const out: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        pane.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
        out.push(performance.now() - start);
      }
      return out;
    }, STEP_SAMPLES);
    const labels = await page.locator('.replay-edge-label').count();
    return [{
      suite: 'replay', case: `backward-pass replay step, ${tape.nodes.length}-node tape (${steps} steps)`, unit: 'ms',
      tapescope: median(samples), peers: {}, higherIsBetter: false,
      note: `headless Chromium at 1600×1000; → pressed to the frame after the redraw, median of ${STEP_SAMPLES} from the middle (${labels} edges labelled); target ≤ 16 ms`,
    }];
  } finally {
    await harness.close();
  }
}
