// The inspector in headless Chromium: time from a tapes message arriving to the graph painted, for
// tapes of about 100, 1,000 and 5,000 nodes recorded by the real engine, a 20,000-op and a 100,000-op loop,
// and an irregular 2,000-op tape nothing folds; how late the page answers (a 5 ms timer's worst delay) while
// it draws, with the layout in the worker beside the same page without one; the cost of one redraw of the
// training chart holding 100,000 points; and, in Node, the graph layout alone with d3-dag (ours) beside
// elkjs's layered layout, the alternative we measured before choosing.
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import type { BenchRow } from '../bench_row';
import { median } from '../measure';
import type { TapeTrace } from '../../engine/trace/trace_format';
import { irregularTape, largeTape, scalarLoopTape } from '../../test/webview/engine_traces';
import { DEFAULT_MAX_NODES } from '../../engine/trace/export_tape';
import { callSitesOf } from '../../src/repl/call_sites';
import { compileCell } from '../../src/repl/compile_cell';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCells } from '../../src/cells/cell_splitter';
import { measureResponsiveness, startInspectorHarness, type InspectorHarness, type Responsiveness } from '../../test/webview/inspector_page';
import { buildViewGraph } from '../../webview/graph/view_graph';
import { withDeferredSteps } from '../../src/inspector/deferred_steps';
import { layoutGraph, nodeWidth, NODE_HEIGHT } from '../../webview/graph/dag_layout';

const SUITE = 'inspector';
const DRAW_SAMPLES = 3;
/** The tapes message as the host posts it: a large tape's replay steps held back until the replay asks. */
const tapesMessage = (tape: TapeTrace): string => JSON.stringify(withDeferredSteps({ type: 'tapes', run: { runId: 1, cellTitle: 'bench', file: '/bench.ts', line: 1 }, tapes: [tape] }));
/** Drawn before each measured first draw: a scoped stack and an irregular tape, neither of them measured. */
let warmUp: string[] | undefined;
const REDRAW_SAMPLES = 21;

interface ElkNode { id: string; width: number; height: number }
interface ElkApi { layout(graph: { id: string; layoutOptions: Record<string, string>; children: ElkNode[]; edges: Array<{ id: string; sources: string[]; targets: string[] }> }): Promise<unknown> }

/**
 * First draws of `tape`, each in a fresh page warmed up by drawing two other tapes first (its code compiled, as
 * in a page in use, but no layout of this tape cached): milliseconds from posting the tapes message to the graph
 * drawn and the frame after it, and the page's worst delay in answering meanwhile (medians).
 */
async function firstDraw(harness: InspectorHarness, tape: TapeTrace): Promise<{ drawMs: number; delayMs: number; layoutDelayMs: number; site: string; boxes: number }> {
  const json = tapesMessage(tape);
  const samples: Responsiveness[] = [];
  let boxes = 0;
  for (let i = 0; i < DRAW_SAMPLES; i++) {
    const page = await harness.openPage({ width: 1400, height: 900 });
    warmUp ??= [tapesMessage(largeTape(300)), tapesMessage(irregularTape(300, 777))];
    for (const warm of warmUp) await measureResponsiveness(page, warm);
    samples.push(await measureResponsiveness(page, json));
    if (await page.locator('g.node').count() === 0) throw new Error('nothing was drawn');
    boxes = Number(await page.locator('.graph-pane').getAttribute('data-boxes'));
    await page.close();
  }
  return {
    drawMs: median(samples.map((r) => r.drawMs)), delayMs: median(samples.map((r) => r.maxDelayOverallMs)),
    layoutDelayMs: median(samples.map((r) => r.maxDelayDuringLayoutMs)), site: samples[0].site, boxes,
  };
}

/** Median cost of one chart redraw with `count` points in one series (the page's own measure). */
async function chartRedrawMs(page: Page, count: number): Promise<number> {
  await page.evaluate((n) => {
    const t0 = Date.now();
    const points = Array.from({ length: n }, (_, step) => ({ name: 'loss', step, value: 2 / Math.sqrt(1 + step / 50) * (1 + 0.3 * Math.sin(step / 7)), wallTime: t0 + step * 5 }));
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'focus', view: 'chart' } }));
    window.dispatchEvent(new MessageEvent('message', { data: { type: 'metrics', runId: 1, points } }));
  }, count);
  await page.waitForTimeout(300);
  return page.evaluate(async (samples) => {
    const slider = document.querySelector<HTMLInputElement>('input.smoothing')!;
    const durations: number[] = [];
    for (let i = 0; i < samples; i++) {
      performance.clearMeasures('tapescope:chart-redraw');
      // Alternate the smoothing weight, as a user dragging the slider (or a live point) would cause.
      slider.value = String(i % 2 === 0 ? 0.9 : 0.6);
      slider.dispatchEvent(new Event('input'));
      while (performance.getEntriesByName('tapescope:chart-redraw').length === 0) {
        await new Promise((done) => setTimeout(done, 10));
      }
      durations.push(performance.getEntriesByName('tapescope:chart-redraw')[0].duration);
    }
    durations.sort((a, b) => a - b);
    return durations[durations.length >> 1];
  }, REDRAW_SAMPLES);
}

async function layoutOnlyMs(tape: TapeTrace): Promise<{ ours: number; elk: number | null }> {
  const graph = buildViewGraph(tape, new Set());
  const ours: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    layoutGraph(graph);
    ours.push(performance.now() - start);
  }
  const require = createRequire(__filename);
  const ELK = require('elkjs/lib/elk.bundled.js') as new () => ElkApi;
  const elk = new ELK();
  const input = () => ({
    id: 'root',
    layoutOptions: { 'elk.algorithm': 'layered', 'elk.direction': 'DOWN', 'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF' },
    children: graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n), height: NODE_HEIGHT })),
    edges: graph.edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  });
  await elk.layout(input()); // warm-up: elkjs is compiled Java and slow on its first call
  const elkTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    const start = performance.now();
    await elk.layout(input());
    elkTimes.push(performance.now() - start);
  }
  return { ours: median(ours), elk: median(elkTimes) };
}

export default async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  // ~0.8 ops per node: each layer adds 4 ops and its leaves; sized so node counts land near the targets.
  const tapes = [100, 1000, 5000].map((target) => {
    const scoped = largeTape(Math.round(target * 0.8));
    const flat = largeTape(Math.round(target * 0.8), false);
    return { target, scoped, flat };
  });

  const harness = await startInspectorHarness();
  const drawRow = (name: string, r: Awaited<ReturnType<typeof firstDraw>>, note: string): BenchRow => ({
    suite: SUITE, case: `first draw, ${name}`, unit: 'ms', tapescope: r.drawMs, peers: {}, higherIsBetter: false,
    note: `${r.boxes.toLocaleString('en-US')} boxes, laid out ${r.site === 'worker' ? 'by the layout worker' : 'on the page (small: at once)'}; worst input delay ${r.delayMs.toFixed(0)} ms (${r.layoutDelayMs.toFixed(0)} ms while laying out); ${note}`,
  });
  try {
    for (const { target, scoped, flat } of tapes) {
      rows.push(drawRow(`${flat.nodes.length}-node tape (no scopes)`, await firstDraw(harness, flat), `message → graph in the DOM and painted; target ${target} nodes`));
      rows.push(drawRow(`${scoped.nodes.length}-node tape (scopes collapsed)`, await firstDraw(harness, scoped),
        scoped.nodes.length > 80 ? 'one box per scope; past 200 boxes repeated scopes fold' : 'small tape: scopes start expanded'));
    }
    rows.push(drawRow('20,000-op scalar loop (repeats folded)', await firstDraw(harness, scalarLoopTape(20_000)),
      'x ← x·0.999 + 0.001 ×10,000, exported whole (40,001 nodes); one "×9,998" box; includes validating the message (its 20,000 replay steps held back until the replay asks)'));
    rows.push(drawRow(`100,000-op scalar loop as exported (cut to ${DEFAULT_MAX_NODES.toLocaleString('en-US')} ops)`, await firstDraw(harness, scalarLoopTape(100_000, DEFAULT_MAX_NODES)),
      'the cut keeps the path from the source to the target (its ends), joined by one "⋯ 95,000 ops cut" box; the kept ends fold'));
    const irregular = irregularTape(2_000);
    const inWorker = await firstDraw(harness, irregular);
    rows.push(drawRow(`irregular ${irregular.nodes.length}-node tape (nothing folds)`, inWorker, 'every box drawn'));
    const noWorker = await startInspectorHarness({ withoutWorker: true });
    let onPage: Awaited<ReturnType<typeof firstDraw>>;
    try {
      onPage = await firstDraw(noWorker, irregular);
    } finally {
      await noWorker.close();
    }
    rows.push({
      suite: SUITE, case: `worst input delay while laying out, irregular ${irregular.nodes.length}-node tape`, unit: 'ms',
      tapescope: inWorker.layoutDelayMs, peers: { 'layout on the page': onPage.layoutDelayMs }, higherIsBetter: false,
      note: `the longest the page was busy while the layout ran (a 5 ms timer's lateness); first draw ${inWorker.drawMs.toFixed(0)} ms with the worker, ${onPage.drawMs.toFixed(0)} ms on the page`,
    });
    rows.push({
      suite: SUITE, case: `worst input delay, message → painted, irregular ${irregular.nodes.length}-node tape`, unit: 'ms',
      tapescope: inWorker.delayMs, peers: { 'layout on the page': onPage.delayMs }, higherIsBetter: false,
      note: 'includes validating the message, folding and drawing every box on the page (SVG), which the worker does not take over',
    });
    const page = await harness.openPage({ width: 1400, height: 900 });
    rows.push({
      suite: SUITE, case: 'training chart redraw, 100,000 points', unit: 'ms',
      tapescope: await chartRedrawMs(page, 100_000), peers: {}, higherIsBetter: false,
      note: 'one series; smoothing + min/max-per-pixel downsampling + SVG path; redraws are throttled to ≤ 20/s',
    });
    await page.close();
  } finally {
    await harness.close();
  }

  for (const { flat } of tapes) {
    const { ours, elk } = await layoutOnlyMs(flat);
    rows.push({
      suite: SUITE, case: `graph layout only, ${flat.nodes.length} nodes`, unit: 'ms',
      tapescope: ours, peers: { 'elkjs layered': elk }, higherIsBetter: false,
      note: 'Node; d3-dag Sugiyama with quality stepped down as graphs grow vs elkjs 0.12 layered (warmed up)',
    });
  }
  rows.push(await nameMappingRow());
  return rows;
}

/** The user's-names parse, once per cell run, beside the seed training cell's own time per step. */
async function nameMappingRow(): Promise<BenchRow> {
  const file = join(__dirname, '../../examples/002_gradient_tape_and_mnist.ts');
  const train = splitCells(readFileSync(file, 'utf8')).find((c) => /^Train/.test(c.title))!;
  const compiled = await compileCell({ code: train.code, file, lineOffset: train.startLine });
  const samples: number[] = [];
  for (let i = 0; i < 21; i++) {
    const start = performance.now();
    callSitesOf(compiled.code);
    samples.push(performance.now() - start);
  }
  return {
    suite: SUITE, case: "user's names: parse of the MNIST training cell (once per run)", unit: 'ms',
    tapescope: median(samples), peers: {}, higherIsBetter: false,
    note: 'acorn parse + call sites of the compiled cell; matching a tape costs a map lookup per op at export',
  };
}
