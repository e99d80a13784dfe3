// The Gradients view in real headless Chromium, fed the telemetry messages a real engine run produced (a
// 10-layer sigmoid MLP whose first layers' gradients vanish), streamed in batches as the host sends them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import { pageErrors, savedState, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { vanishingRunTelemetry } from './engine_telemetry';
import { FLAG_COLOURS } from '../../webview/training/gradient_view';
import { formatNumber } from '../../webview/number_format';
import { screenshotPath } from './screenshots';

const LABEL = 'Train deep sigmoid · 23:14:05';

async function streamRun(page: Page, steps: StepTelemetry[], runId = 3): Promise<void> {
  for (let i = 0; i < steps.length; i += 8) {
    await send(page, { type: 'telemetry', runId, runLabel: LABEL, steps: steps.slice(i, i + 8) });
  }
  await settle(page);
}

/** Clicks the heatmap cell of `variable` at `step`, from the canvas's own layout. */
async function clickCell(page: Page, variable: string, step: number): Promise<void> {
  const canvas = page.locator('canvas.heatmap');
  const box = (await canvas.boundingBox())!;
  const label = page.locator('.row-label', { hasText: new RegExp(`^${variable.replace(/[/]/g, '\\/')}$`) });
  const labelBox = (await label.boundingBox())!;
  const columns = Number(await canvas.getAttribute('data-columns'));
  const perColumn = Number(await canvas.getAttribute('data-steps-per-column'));
  const first = Number(await canvas.getAttribute('data-first-step'));
  const column = Math.floor((step - first) / perColumn);
  await page.mouse.click(box.x + ((column + 0.5) * box.width) / columns, labelBox.y + labelBox.height / 2);
  await settle(page);
}

async function pixelAt(page: Page, variable: string, step: number): Promise<string> {
  return page.evaluate(([name, s]) => {
    const canvas = document.querySelector<HTMLCanvasElement>('canvas.heatmap')!;
    const label = [...document.querySelectorAll<HTMLElement>('.row-label')].find((l) => l.textContent === name)!;
    const y = label.offsetTop + 9;
    const columns = Number(canvas.dataset.columns);
    const x = Math.floor(((Math.floor((Number(s) - Number(canvas.dataset.firstStep)) / Number(canvas.dataset.stepsPerColumn)) + 0.5) * canvas.width) / columns);
    const [r, g, b] = canvas.getContext('2d')!.getImageData(x, y, 1, 1).data;
    return `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  }, [variable, String(step)] as const);
}

describe('the Gradients view in Chromium', () => {
  let harness: InspectorHarness;
  let steps: StepTelemetry[];
  before(async () => {
    steps = vanishingRunTelemetry(40);
    harness = await startInspectorHarness();
  });
  after(async () => { await harness?.close(); });

  it('draws a real run, reads the flagged first-layer cell and the alert, and keeps it across a reload', async () => {
    const page = await harness.openPage({ width: 620, height: 570 });
    await page.locator('#tab-gradients').click();
    await streamRun(page, steps);
    const names = steps[0].variables.map((v) => v.variable);
    assert.deepEqual(await page.locator('.row-label').allTextContents(), names, 'rows in model order');
    assert.match(await page.locator('.grad-summary').innerText(), /20 variables × 40 steps/);

    const firstKernel = names[0];
    const alerts = await page.locator('.grad-alert').allTextContents();
    assert.ok(alerts.includes(`${firstKernel}: gradient vanished first at step 1 (norm ${formatNumber(steps[0].variables[0].gradNorm)})`), alerts.join('\n'));
    assert.equal(await pixelAt(page, firstKernel, 1), FLAG_COLOURS.vanishing, 'the flagged cell is painted in the vanishing colour');
    const last = names[names.length - 2];
    assert.notEqual(await pixelAt(page, last, 1), FLAG_COLOURS.vanishing, 'the output kernel is not flagged');

    await clickCell(page, firstKernel, 1);
    const details = await page.locator('.cell-table').innerText();
    assert.match(details, new RegExp(`variable\\s+${firstKernel.replace('/', '\\/')}`));
    assert.match(details, /step\s+1\b/);
    assert.match(details, /flag\s+vanishing/);
    assert.match(details, new RegExp(`gradient norm\\s+${formatNumber(steps[0].variables[0].gradNorm).replace(/[.+]/g, '\\$&')}`));
    assert.match(details, /‖m‖ \(slot\)/);

    await page.locator('.row-label', { hasText: firstKernel }).first().click();
    await page.locator('.row-label', { hasText: last }).first().click();
    await settle(page);
    assert.equal(await page.locator('path.var-line').count(), 2, 'two per-variable lines on demand');
    assert.equal(await page.locator('svg.dist-grad path.dist-band').count(), 4, 'percentile bands of the gradient');
    assert.equal(await page.locator('svg.dist-weight path.dist-median').count(), 1);

    await page.locator('select.grad-metric').selectOption('updateRatio');
    await settle(page);
    assert.equal(await pixelAt(page, firstKernel, 1), FLAG_COLOURS.vanishing, 'flags keep their colour in ratio mode');
    await page.screenshot({ path: screenshotPath('inspector-gradients-620x570.png') });

    // The page saves its state at most once a second.
    await page.waitForTimeout(1200);
    const state = await savedState(page);
    const reloaded = await harness.openPage({ width: 620, height: 570, state });
    await settle(reloaded);
    assert.equal(await reloaded.locator('#tab-gradients').getAttribute('aria-selected'), 'true');
    assert.deepEqual(await reloaded.locator('.row-label').allTextContents(), names, 'rows restored after a reload');
    assert.equal(await reloaded.locator('select.grad-metric').inputValue(), 'updateRatio');
    assert.ok((await reloaded.locator('.grad-alert').allTextContents()).some((a) => a.startsWith(`${firstKernel}: gradient vanished first at step 1`)));
    assert.equal(await pixelAt(reloaded, firstKernel, 1), FLAG_COLOURS.vanishing);
    // A new kernel after the reload numbers its runs from 1 again: the restored run keeps its data apart.
    await send(reloaded, { type: 'telemetry', runId: 3, runLabel: 'Another cell · 23:20:00', steps: steps.slice(0, 2) });
    await settle(reloaded);
    assert.deepEqual((await reloaded.locator('select.grad-run option').allTextContents()).sort(), [LABEL, 'Another cell · 23:20:00'].sort());
    // Compare: the other run's line for the same variable, dashed.
    await reloaded.locator('select.grad-compare').selectOption({ label: LABEL });
    await settle(reloaded);
    assert.equal(await reloaded.locator('path.var-line.compared').count(), 2, 'both chosen variables, from the compared run');
    assert.deepEqual(pageErrors(page), []);
    assert.deepEqual(pageErrors(reloaded), []);
    await page.close();
    await reloaded.close();
  });

  it('renders user names as text and rejects malformed telemetry with the reason', async () => {
    const page = await harness.openPage();
    const evil = '<img src=x onerror="window.__pwned=1">';
    const step = { ...steps[0], variables: [{ ...steps[0].variables[0], variable: evil, layer: '' }] };
    await send(page, { type: 'telemetry', runId: 1, runLabel: evil, steps: [step] });
    await page.locator('#tab-gradients').click();
    await settle(page);
    assert.equal(await page.locator('.row-label').first().textContent(), evil);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await send(page, { type: 'telemetry', runId: 1, steps: [{ ...steps[0], variables: [{ ...steps[0].variables[0], flag: 'weird' }] }] });
    assert.match(await page.locator('.banner').innerText(), /flag "weird" is unknown/);
    await page.close();
  });

  for (const [width, height] of [[400, 600], [1920, 1080]] as const) {
    it(`fits a ${width}×${height} page without horizontal overflow`, async () => {
      const page = await harness.openPage({ width, height });
      await page.locator('#tab-gradients').click();
      await streamRun(page, steps);
      const overflow = await page.evaluate(() => document.querySelector('.gradients-pane')!.scrollWidth - document.querySelector('.gradients-pane')!.clientWidth);
      assert.ok(overflow <= 1, `horizontal overflow ${overflow}px`);
      await page.screenshot({ path: screenshotPath(`inspector-gradients-${width}x${height}.png`) });
      await page.close();
    });
  }
});
