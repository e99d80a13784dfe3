// A large tape's replay steps come on demand, in real Chromium on a loop the real engine records: the tapes message
// the host posts carries none (a count in their place), the page asks for them only when the replay is opened,
// shows "Loading steps…" meanwhile, and steps through once the host's answer arrives; a run the host no longer
// keeps is said so.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { ShowTapesMessage } from '../../src/protocol/inspector_messages';
import { answerStepsRequest, MAX_INLINE_STEPS, withDeferredSteps } from '../../src/inspector/deferred_steps';
import { pageErrors, posted, send, settle, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { scalarLoopTape } from './engine_traces';

const OPS = 2_000;
const run = { runId: 5, cellTitle: 'loop', file: '/work/example/cells.ts', line: 3 };

async function stepRequests(page: Page): Promise<Array<Record<string, unknown>>> {
  return (await posted(page)).filter((m) => m.type === 'requestSteps');
}

describe('replay steps of a large tape, sent on demand', () => {
  let harness: InspectorHarness;
  let kept: ShowTapesMessage;
  before(async () => {
    harness = await startInspectorHarness();
    kept = { type: 'tapes', run, tapes: [scalarLoopTape(OPS)] };
  });
  after(async () => { await harness?.close(); });

  it('draws the tape from a message without steps and steps through once the host answers the request', async () => {
    const full = kept.tapes[0].gradientCalls[0].backward!;
    assert.ok(full.steps.length > MAX_INLINE_STEPS, `${full.steps.length} steps: over the ${MAX_INLINE_STEPS} sent inline`);
    const first = withDeferredSteps(kept);
    const json = JSON.stringify(first);
    assert.doesNotMatch(json, /"incoming"/, 'the tapes message carries no step');
    assert.equal(first.tapes[0].gradientCalls[0].backward!.deferredSteps, full.steps.length);

    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, first);
    assert.ok(await page.locator('.graph-pane g.node').count() > 0, 'the graph is drawn');
    assert.deepEqual(await stepRequests(page), [], 'nothing is asked for while the replay is closed');

    await page.locator('#details-tab-replay').click();
    await settle(page);
    assert.match(await page.locator('.replay-step').innerText(), /^Loading steps…/);
    const requests = await stepRequests(page);
    assert.deepEqual(requests, [{ type: 'requestSteps', runId: run.runId, tapeId: kept.tapes[0].tapeId, call: 0 }]);

    await page.locator('#details-tab-node').click();
    await page.locator('#details-tab-replay').click();
    assert.equal((await stepRequests(page)).length, 1, 'opening it again does not ask twice');

    await send(page, answerStepsRequest(requests[0] as never, kept));
    await settle(page);
    assert.equal(await page.locator('.replay-position').innerText(), `step 0 of ${full.steps.length}`);
    assert.match((await page.locator('.replay-seed').innerText()).replace(/\s+/g, ' '), /receives the seed 1$/);
    await page.locator('.replay-pane').focus();
    await page.keyboard.press('ArrowRight');
    await settle(page, 30);
    assert.equal(await page.locator('.replay-position').innerText(), `step 1 of ${full.steps.length}`);
    const firstNode = kept.tapes[0].nodes.find((n) => n.id === full.steps[0].node)!;
    assert.match(await page.locator('.replay-title').innerText(), new RegExp(`^Step 1: ${firstNode.op} → `));
    assert.equal(await page.locator('.replay-incoming .replay-number').innerText(), '1', 'the target receives dy = 1');
    await page.keyboard.press('ArrowRight');
    await settle(page, 30);
    assert.match(await page.locator('.replay-title').innerText(), /^Step 2: Mul → /);
    assert.equal(await page.locator('.replay-incoming .replay-number').innerText(), '1', 'Add passes dy on unchanged');
    assert.equal(await page.locator('.replay-contribution').first().innerText(), '0.999', 'Mul by 0.999 sends 0.999 back');
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });

  it('says so when the host no longer keeps the run, and answers for another run change nothing', async () => {
    const page = await harness.openPage({ width: 1600, height: 1000 });
    await send(page, withDeferredSteps(kept));
    await page.locator('#details-tab-replay').click();
    await settle(page);
    const [request] = await stepRequests(page);
    await send(page, answerStepsRequest({ type: 'requestSteps', runId: 99, tapeId: request.tapeId as number, call: 0 }, kept));
    assert.match(await page.locator('.replay-step').innerText(), /^Loading steps…/, 'an answer for run 99 is not this run\'s');
    await send(page, answerStepsRequest(request as never, undefined));
    await settle(page);
    assert.match(await page.locator('.replay-step').innerText(), /no longer kept by the extension: run its cell again/);
    assert.equal(await page.locator('.replay-slider').isDisabled(), true);
    assert.deepEqual(pageErrors(page), []);
    await page.close();
  });
});
