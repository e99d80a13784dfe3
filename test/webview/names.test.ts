// The user's names where the inspector shows them, with tapes the real kernel records from the seed
// examples: node labels, the tape list, details with the id as a secondary line, the cursor line
// highlighting its nodes, and a double-click asking the host to reveal the node's line.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { posted, send, startInspectorHarness, type InspectorHarness } from './inspector_page';
import { startKernel } from '../unit/kernel/kernel_fixture';
import { splitCells } from '../../src/cells/cell_splitter';
import type { Kernel } from '../../src/kernel/kernel';
import { screenshotPath } from './screenshots';

const repoRoot = resolve(__dirname, '../..');

/** Runs an example's cells up to the one after the first titled `title` (+ extra) and returns that cell's tapes. */
async function kernelTapes(kernel: Kernel, example: string, title: RegExp, extraCells = 0): Promise<{ file: string; tapes: TapeTrace[] }> {
  const file = join(repoRoot, 'examples', example);
  const cells = splitCells(readFileSync(file, 'utf8'));
  const last = cells.findIndex((c) => title.test(c.title)) + extraCells;
  let tapes: TapeTrace[] = [];
  const listener = kernel.onTapes.event((e) => { tapes = e.tapes; });
  for (const c of cells.slice(0, last + 1)) {
    tapes = [];
    const result = await kernel.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `${c.title}: ${result.error?.message}`);
  }
  listener.dispose();
  return { file, tapes };
}

describe("the user's names in the inspector", () => {
  let harness: InspectorHarness;
  let kernel: Kernel;
  before(async () => { harness = await startInspectorHarness(); kernel = await startKernel(); });
  after(async () => { await harness?.close(); await kernel?.dispose(); });

  it("labels seed 000's chain rule with x, w1, b1, y1, w2, b2, y2; the cursor line lights its nodes; double-click reveals", async () => {
    const { file, tapes } = await kernelTapes(kernel, '000_gradient_tape_basics.ts', /^The chain rule/, 1);
    const page = await harness.openPage({ width: 620, height: 570 });
    await send(page, { type: 'tapes', run: { runId: 1, cellTitle: 'chain rule', file, line: 96 }, tapes });
    const titles = await page.locator('g.node text.node-title').allTextContents();
    for (const n of ['x', 'w1', 'b1', 'y1', 'w2', 'b2', 'y2']) assert.ok(titles.includes(n), `${n} labels a node (${titles.join(', ')})`);
    const y1 = page.locator('g.node', { has: page.locator('text.node-title', { hasText: /^y1$/ }) });
    assert.equal(await y1.locator('text.node-subtitle').textContent(), 'Add ()', 'the op moves to the second line');
    assert.deepEqual(await y1.locator('text.node-face').allTextContents(), ['= 3', '∇ 2'], 'y1 = 1·2 + 1 = 3, dy2/dy1 = w2 = 2');
    assert.match(await page.locator('select.tape-picker option[value]').first().innerText(), /y2/, 'the picker names the target');
    await y1.click();
    assert.match(await page.locator('.facts').innerText(), /node\s+n\d+ · tensor \d+/, 'the ids stay, as a secondary line');
    assert.match(await page.locator('.facts').innerText(), /called\s+Add\(y1?[^)]*\)|inputs/);
    const line = tapes[0].nodes.find((n) => n.op === 'Mul' && n.argNames?.[1] === 'w1')!.source!.line;
    await send(page, { type: 'cursor', file, line });
    const lit = await page.locator('g.node.at-cursor').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-trace-node')));
    const onLine = tapes[0].nodes.filter((n) => n.source?.line === line).map((n) => n.id);
    assert.deepEqual(lit.sort(), onLine.sort(), `the nodes of line ${line} are lit`);
    await y1.dblclick();
    const reveal = (await posted(page)).find((m) => m.type === 'revealSource');
    assert.equal(reveal?.file, file);
    assert.equal(reveal?.line, tapes[0].nodes.find((n) => tapes[0].tensors.find((t) => t.id === n.output)?.name === 'y1')!.source!.line);
    const y1Line = tapes[0].nodes.find((n) => tapes[0].tensors.find((t) => t.id === n.output)?.name === 'y1')!.source!.line;
    assert.equal(await page.locator('button.source-link').innerText(), `000_gradient_tape_basics.ts:${y1Line}`, 'the details link to the line');
    await page.locator('button.source-link').click();
    const reveals = (await posted(page)).filter((m) => m.type === 'revealSource');
    assert.deepEqual([reveals.length, reveals.at(-1)?.line], [2, y1Line], 'a click on the link reveals the line too');
    assert.match(await page.locator('.facts').innerText(), /inputs\s+(Mul output|\S+) \(\), b1 \(\)/, 'inputs by name');
    await page.screenshot({ path: screenshotPath('names-chain-rule-620x570.png') });
    await page.close();
  });
});
