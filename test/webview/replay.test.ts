// The backward-pass replay pane in real headless Chromium, on tapes the real engine recorded: seed 000's chain rule
// read step by step (seed, incoming gradients, contributions, Mul/Add rules, labelled edges) and a tensor feeding
// several edges whose contributions add up to its gradient.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { screenshotPath } from './screenshots';
import { pageErrors, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { namedChainRuleTape, sharedInputTape } from './chain_rule_traces';

const run = (runId: number, cellTitle: string) => ({ runId, cellTitle, file: '/work/example/cells.ts', line: 3 });

async function openReplay(harness: InspectorHarness, tape: TapeTrace, runId: number): Promise<Page> {
  const page = await harness.openPage({ width: 1600, height: 1000 });
  await send(page, { type: 'tapes', run: run(runId, 'chain rule'), tapes: [tape] });
  await page.locator('#details-tab-replay').click();
  await settle(page);
  return page;
}

interface ShownStep { title: string; incoming: string; rule: string; sends: Array<{ to: string; contribution: string; sum: string }> }

async function shownStep(page: Page): Promise<ShownStep> {
  const text = async (selector: string) => (await page.locator(selector).count()) ? (await page.locator(selector).innerText()).trim() : '';
  const rows = await page.locator('.replay-send').evaluateAll((trs) => trs.map((tr) => {
    const [to, contribution, sum] = [...tr.querySelectorAll('td')].map((td) => (td.textContent ?? '').trim());
    return { to, contribution, sum };
  }));
  return { title: await text('.replay-title'), incoming: await text('.replay-incoming .replay-number'), rule: await text('.replay-rule-text'), sends: rows };
}

async function next(page: Page): Promise<ShownStep> {
  await page.locator('.replay-pane').focus();
  await page.keyboard.press('ArrowRight');
  await settle(page, 30);
  return shownStep(page);
}

describe('the backward-pass replay in Chromium', () => {
  let harness: InspectorHarness;
  before(async () => { harness = await startInspectorHarness(); });
  after(async () => { await harness?.close(); });

  it("replays seed 000's chain rule: seed 1 at y2, then 2 (= w2) at y1, then 2 at w1, with the Add and Mul rules", async () => {
    const page = await openReplay(harness, namedChainRuleTape(), 1);
    assert.match(await page.locator('.replay-call').inputValue(), /^2$/, 'the last gradient() call, dy2/dw1, is replayed');
    assert.match(await page.locator('.replay-call option:checked').innerText(), /d\(y2\) \/ d\(w1\)/);
    assert.equal(await page.locator('.replay-position').innerText(), 'step 0 of 4');
    assert.equal((await page.locator('.replay-seed').innerText()).replace(/\s+/g, ' '), 'y2 receives the seed 1');
    assert.equal(await page.locator('g.node.replay-seeded').count(), 1, 'the target is marked on the graph');

    const add2 = await next(page);
    assert.equal(add2.title, 'Step 1: Add → y2');
    assert.equal(add2.incoming, '1');
    assert.match(add2.rule, /^∂x = dy, ∂y = dy/);
    assert.deepEqual(add2.sends.map((s) => [s.to, s.contribution]), [['Mul output', '1']], 'b2 is no path to w1: only y1·w2 gets 1');

    const mul2 = await next(page);
    assert.equal(mul2.title, 'Step 2: Mul → Mul output');
    assert.match(mul2.rule, /^∂x = dy·y, ∂y = dy·x/);
    assert.deepEqual(mul2.sends.map((s) => [s.to, s.contribution]), [['y1', '2']], 'dy2/dy1 = w2 = 2 arrives at y1');
    assert.equal(await page.locator('g.node.replay-current').count(), 1);

    const add1 = await next(page);
    assert.equal(add1.title, 'Step 3: Add → y1');
    assert.equal(add1.incoming, '2');
    const mul1 = await next(page);
    assert.deepEqual(mul1.sends.map((s) => [s.to, s.contribution]), [['w1', '2']], 'dy2/dw1 = dy2/dy1 · dy1/dw1 = 2');
    assert.equal(await page.locator('.replay-position').innerText(), 'step 4 of 4');
    const edgeLabels = await page.locator('.replay-edge-label').allTextContents();
    assert.deepEqual(edgeLabels.slice().sort(), ['1', '2', '2', '2'], 'each traversed edge carries its contribution');
    await page.screenshot({ path: screenshotPath('replay_chain_rule.png') });

    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('.replay-position').innerText(), 'step 4 of 4', 'stops at the last step');
    await page.keyboard.press('ArrowLeft');
    assert.equal((await shownStep(page)).title, 'Step 3: Add → y1');
    assert.deepEqual((await page.locator('.replay-edge-label').allTextContents()).sort(), ['1', '2', '2'], 'stepping back removes the last label');

    await page.locator('.replay-slider').fill('1');
    assert.equal((await shownStep(page)).title, 'Step 1: Add → y2');
    await page.locator('.replay-speed').selectOption('4');
    await page.locator('.replay-play').click();
    await page.waitForFunction(() => document.querySelector('.replay-position')?.textContent === 'step 4 of 4', undefined, { timeout: 5000 });
    assert.equal(await page.locator('.replay-play').getAttribute('aria-label'), 'Play', 'play stops at the end');

    await page.locator('.replay-call').selectOption('0');
    assert.match(await page.locator('.replay-call option:checked').innerText(), /d\(y2\) \/ d\(y1\)/);
    assert.equal(await page.locator('.replay-position').innerText(), 'step 0 of 2', 'dy2/dy1 takes two steps');
    assert.deepEqual(pageErrors(page), []);
  });

  it('z = x·x + 3x at x = 5: x receives 5, 5 and 3, its running sum ending at 13', async () => {
    const page = await openReplay(harness, sharedInputTape(), 2);
    const toX: Array<{ contribution: string; sum: string }> = [];
    const steps = Number((await page.locator('.replay-position').innerText()).match(/of (\d+)/)![1]);
    for (let i = 0; i < steps; i++) toX.push(...(await next(page)).sends.filter((s) => s.to === 'x'));
    assert.deepEqual(toX.map((s) => s.contribution).sort(), ['3', '5', '5']);
    const sums = toX.map((s) => s.sum.match(/^running sum (\S+) \((\d) of 3\)$/)?.slice(1));
    assert.deepEqual(sums.map((s) => s?.[1]), ['1', '2', '3']);
    const running = toX.reduce<number[]>((acc, s) => [...acc, (acc[acc.length - 1] ?? 0) + Number(s.contribution)], []);
    assert.deepEqual(sums.map((s) => Number(s?.[0])), running, 'each running sum adds the contribution just sent');
    assert.equal(running[2], 13, 'dz/dx = 2x + 3 = 13');
    const mulRule = await page.locator('.replay-rule-text').innerText();
    assert.match(mulRule, /∂x = dy·y, ∂y = dy·x/);
    await page.screenshot({ path: screenshotPath('replay_shared_input.png') });
    assert.deepEqual(pageErrors(page), []);
  });

  it('renders a tensor name from user code as text, never as HTML', async () => {
    const page = await openReplay(harness, sharedInputTape('<img src=x onerror="window.__owned=1">'), 3);
    await next(page); await next(page);
    assert.equal(await page.locator('.replay-pane img').count(), 0);
    assert.match(await page.locator('.replay-pane').innerText(), /<img src=x/);
    assert.equal(await page.evaluate(() => (window as unknown as { __owned?: number }).__owned), undefined);
  });
});
