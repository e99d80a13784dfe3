// What training telemetry costs: the seed training step with a telemetry sink installed (as the kernel installs
// one: every optimizer.applyGradients measured, batches serialised for the host every 40 steps) vs without; and the
// Gradients view's redraw in headless Chromium holding 10,000 steps × 8 variables.
import type { BenchRow } from '../bench_row';
import { tf, runtime } from '../../engine';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import { median } from '../measure';
import { tapescopeStep } from './training_step';
import { startInspectorHarness } from '../../test/webview/inspector_page';
import { syntheticTelemetry } from '../../test/webview/engine_telemetry';

const BATCH = 128;
const REDRAW_SAMPLES = 21;

/** Median ms/step over rounds that alternate telemetry on and off, so drift in machine load hits both alike. */
function onOffMsPerStep(step: () => void): { on: number; off: number; records: number } {
  let pending: StepTelemetry[] = [];
  let records = 0;
  const sink = (s: StepTelemetry): void => {
    pending.push(s);
    records++;
    if (pending.length >= 40) {
      JSON.stringify(pending);
      pending = [];
    }
  };
  const on: number[] = [];
  const off: number[] = [];
  runtime.setTelemetrySink(sink);
  for (let i = 0; i < 30; i++) step();
  for (let round = 0; round < 30; round++) {
    for (const telemetry of [false, true]) {
      runtime.setTelemetrySink(telemetry ? sink : null);
      const start = performance.now();
      for (let i = 0; i < 10; i++) step();
      (telemetry ? on : off).push((performance.now() - start) / 10);
    }
  }
  runtime.setTelemetrySink(null);
  return { on: median(on), off: median(off), records };
}

export default async function run(): Promise<BenchRow[]> {
  const images = tf.random.uniform([BATCH, 784], { seed: 1 });
  const labels = tf.oneHot(tf.constant(Array.from({ length: BATCH }, (_, i) => i % 10), 'int32'), 10);
  const { on, off } = onOffMsPerStep(tapescopeStep(images, labels));
  const rows: BenchRow[] = [{
    suite: 'training telemetry',
    case: 'seed training step, telemetry on (vs off in the peer column)',
    unit: 'ms/step',
    tapescope: on,
    peers: { 'Tapescope, telemetry off': off },
    higherIsBetter: false,
    note: `on/off = ${(on / off).toFixed(3)} (target ≤ 1.05); gradient tier every step, weight/update/slot and distribution tiers at their adaptive rates; alternating rounds of 10 steps`,
  }];

  const harness = await startInspectorHarness();
  try {
    const page = await harness.openPage({ width: 1400, height: 900 });
    const steps = syntheticTelemetry(10_000, 8);
    await page.evaluate(() => window.dispatchEvent(new MessageEvent('message', { data: { type: 'focus', view: 'gradients' } })));
    for (let i = 0; i < steps.length; i += 1000) {
      await page.evaluate((chunk) => window.dispatchEvent(new MessageEvent('message', { data: { type: 'telemetry', runId: 1, runLabel: 'bench · 00:00:00', steps: chunk } })), JSON.parse(JSON.stringify(steps.slice(i, i + 1000))));
    }
    await page.waitForTimeout(500);
    const redraw = await page.evaluate(async (samples) => {
      const metric = document.querySelector<HTMLSelectElement>('select.grad-metric')!;
      if (!/8 variables × 10000 steps/.test(document.querySelector('.grad-summary')!.textContent ?? '')) throw new Error(`not drawn: ${document.querySelector('.grad-summary')!.textContent}`);
      const durations: number[] = [];
      for (let i = 0; i < samples; i++) {
        performance.clearMeasures('tapescope:gradients-redraw');
        // Switch the colour between gradient norm and update/weight, as a user would.
        metric.value = i % 2 === 0 ? 'updateRatio' : 'gradNorm';
        metric.dispatchEvent(new Event('change'));
        while (performance.getEntriesByName('tapescope:gradients-redraw').length === 0) await new Promise((done) => setTimeout(done, 10));
        durations.push(performance.getEntriesByName('tapescope:gradients-redraw')[0].duration);
      }
      durations.sort((a, b) => a - b);
      return durations[durations.length >> 1];
    }, REDRAW_SAMPLES);
    rows.push({
      suite: 'training telemetry',
      case: 'Gradients view redraw, 10,000 steps × 8 variables',
      unit: 'ms',
      tapescope: redraw,
      peers: {},
      higherIsBetter: false,
      note: 'headless Chromium at 1400×900; heatmap binned to the canvas width and painted as ImageData, alerts, details, distributions (target ≤ 30 ms)',
    });
    await page.close();
  } finally {
    await harness.close();
  }
  return rows;
}
