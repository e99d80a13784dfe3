// The inspector's pure parts in Node: smoothing, downsampling, scope collapsing and the message
// validators, against hand-derived numbers and real engine traces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { debiasedEma } from '../../webview/chart/smoothing';
import { minMaxPerPixel } from '../../webview/chart/downsample';
import { MetricStore, MAX_UNPINNED_RUNS } from '../../webview/chart/metric_store';
import { buildViewGraph, defaultCollapsedScopes } from '../../webview/graph/view_graph';
import { layoutGraph } from '../../webview/graph/dag_layout';
import { gradientColourScale } from '../../webview/graph/gradient_scale';
import { chartDomains, chartScales } from '../../webview/chart/chart_scales';
import { validateHostToInspector, validateInspectorToHost } from '../../src/protocol/inspector_messages';
import { denseScopeCell, largeTape, mseCell } from './engine_traces';

describe('TensorBoard smoothing (debiased EMA)', () => {
  it('matches the hand-derived values and passes NaN through without poisoning later points', () => {
    // w = 0.5: last = 0.5, debias 0.5 → 1; last = 1.75, debias 0.75 → 2.333…; NaN; last = 3.375, debias 0.875 → 3.857…
    const out = debiasedEma([1, 3, NaN, 5], 0.5);
    assert.equal(out[0], 1);
    assert.ok(Math.abs(out[1] - 7 / 3) < 1e-12);
    assert.ok(Number.isNaN(out[2]));
    assert.ok(Math.abs(out[3] - 3.375 / 0.875) < 1e-12);
  });
  it('weight 0 leaves the data as it is; a constant series stays constant at any weight', () => {
    assert.deepEqual(debiasedEma([4, 2, 9], 0), [4, 2, 9]);
    for (const v of debiasedEma([2, 2, 2, 2], 0.99)) assert.ok(Math.abs(v - 2) < 1e-12);
  });
});

describe('min/max-per-pixel downsampling', () => {
  it('keeps first, lowest, highest and last of each pixel column, in order', () => {
    const xs = [0.1, 0.2, 0.5, 0.9, 1.2, 1.7];
    const ys = [5, 1, 9, 4, 3, 3];
    assert.deepEqual(minMaxPerPixel(xs, ys), [
      { x: 0.1, y: 5 }, { x: 0.2, y: 1 }, { x: 0.5, y: 9 }, { x: 0.9, y: 4 },
      { x: 1.2, y: 3 }, { x: 1.7, y: 3 },
    ]);
  });
  it('draws 100,000 points over 500 pixels as at most 4 per pixel and keeps a lone spike', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => (i / n) * 500);
    const ys = Array.from({ length: n }, (_, i) => (i === 54_321 ? 1000 : Math.sin(i / 100)));
    const out = minMaxPerPixel(xs, ys);
    assert.ok(out.length <= 4 * 500);
    assert.ok(out.some((p) => p.y === 1000));
  });
  it('keeps a NaN as a gap', () => {
    const out = minMaxPerPixel([0, 1, 2], [1, NaN, 2]);
    assert.equal(out.length, 3);
    assert.ok(Number.isNaN(out[1].y));
  });
});

describe('metric store', () => {
  it('keeps every point, writes CSV, and drops the oldest unpinned runs beyond the limit', () => {
    const store = new MetricStore();
    store.add(1, [{ name: 'loss', step: 0, value: 1.5, wallTime: 10 }, { name: 'loss', step: 1, value: 1.25, wallTime: 20 }], 'cell "a", run 1');
    store.runs.get(1)!.pinned = true;
    for (let r = 2; r < 2 + MAX_UNPINNED_RUNS + 3; r++) store.add(r, [{ name: 'loss', step: 0, value: r, wallTime: r }]);
    assert.ok(store.runs.has(1), 'pinned run kept');
    assert.equal(store.runs.size, MAX_UNPINNED_RUNS + 1);
    assert.ok(!store.runs.has(2) && !store.runs.has(4) && store.runs.has(5));
    assert.deepEqual(store.toCsv().split('\n').slice(0, 3), [
      'run,run_label,tag,step,wall_time_ms,value', '1,"cell ""a"", run 1",loss,0,10,1.5', '1,"cell ""a"", run 1",loss,1,20,1.25',
    ]);
  });
});

describe('drawn graph from real engine traces', () => {
  it('collapses a name scope into one box with merged edges, and lays it out', () => {
    const [tape] = denseScopeCell().tapes;
    const expanded = buildViewGraph(tape, new Set());
    assert.equal(expanded.nodes.length, tape.nodes.length);
    assert.deepEqual(expanded.expandedScopes, ['dense_1']);
    const collapsed = buildViewGraph(tape, new Set(['dense_1']));
    const inside = tape.nodes.filter((n) => n.scope[0] === 'dense_1').length;
    assert.equal(collapsed.nodes.length, tape.nodes.length - inside + 1);
    const box = collapsed.nodes.find((n) => n.id === 'scope:dense_1')!;
    assert.equal(box.members.length, inside);
    assert.ok(collapsed.edges.every((e) => e.from !== e.to));
    const layout = layoutGraph(collapsed);
    assert.equal(layout.nodes.size, collapsed.nodes.length);
    for (const e of collapsed.edges) assert.ok(layout.nodes.get(e.from)!.y < layout.nodes.get(e.to)!.y, `${e.from} above ${e.to}`);
  });
  it('starts large tapes with every scope collapsed and small ones expanded', () => {
    assert.equal(defaultCollapsedScopes(denseScopeCell().tapes[0]).size, 0);
    const big = largeTape(100);
    assert.equal(defaultCollapsedScopes(big).size, new Set(big.nodes.flatMap((n) => n.scope)).size);
  });
  it('colours gradients on a log scale: ten times larger moves up the ramp, zero is grey', () => {
    const summary = (l2: number) => ({ shape: [1], dtype: 'float32' as const, size: 1, min: 0, max: 0, mean: 0, std: 0, l2, nanCount: 0, infCount: 0 });
    const scale = gradientColourScale([summary(1e-6), summary(1e-3), summary(1)])!;
    assert.deepEqual(scale.domain, [1e-6, 1]);
    assert.equal(scale.colour(summary(1e-6)), 'rgb(59, 76, 192)');
    assert.equal(scale.colour(summary(1)), 'rgb(230, 57, 70)');
    assert.equal(scale.colour(summary(0)), 'var(--ts-zero-grad)');
    assert.equal(scale.colour(null), undefined);
  });
});

describe('inspector message validators', () => {
  const run = { runId: 1, cellTitle: 'c', file: '/a.ts', line: 1 };
  it('accepts what the real engine records', () => {
    const { tapes } = mseCell();
    assert.equal(validateHostToInspector(JSON.parse(JSON.stringify({ type: 'tapes', run, tapes }))).type, 'tapes');
  });
  it('rejects each kind of malformed message with the field named', () => {
    const [tape] = mseCell().tapes;
    const cases: Array<[unknown, RegExp]> = [
      [null, /not an object/],
      [{ type: 'eval' }, /unknown type "eval"/],
      [{ type: 'tapes', run: { ...run, runId: -1 }, tapes: [] }, /tapes\.run\.runId/],
      [{ type: 'tapes', run, tapes: [{ ...tape, version: 2 }] }, /version must be 1/],
      [{ type: 'tapes', run, tapes: [{ ...tape, nodes: [...tape.nodes, tape.nodes[0]] }] }, /is repeated/],
      [{ type: 'tapes', run, tapes: [{ ...tape, tensors: [{ ...tape.tensors[0], dtype: 'complex64' }] }] }, /tensors\[0\]\.dtype/],
      [{ type: 'tapes', run, tapes: [{ ...tape, tensors: [{ ...tape.tensors[0], value: { ...tape.tensors[0].value, values: new Array(65).fill(0) } }] }] }, /at most 64/],
      [{ type: 'metrics', runId: 1, points: [{ name: '', step: 0, value: 1, wallTime: 0 }] }, /name must be a non-empty string/],
      [{ type: 'focus', view: 'settings' }, /focus\.view/],
    ];
    for (const [message, why] of cases) assert.throws(() => validateHostToInspector(message), why);
    assert.throws(() => validateInspectorToHost({ type: 'export', format: 'csv', suggestedName: '../../etc/passwd', data: '' }), /plain file name/);
    assert.throws(() => validateInspectorToHost({ type: 'revealSource', file: '/a.ts', line: 0, column: 1 }), /line >= 1/);
    assert.equal(validateInspectorToHost({ type: 'ready' }).type, 'ready');
  });
});

describe('training chart scales', () => {
  it('domains span the finite points; a log axis drops the non-positive ones; flat and empty series get a range', () => {
    assert.deepEqual(chartDomains([{ xs: [0, 1, 2, NaN], ys: [3, Infinity, 1, 7] }, { xs: [5], ys: [2] }], false, false), { x: [0, 5], y: [1, 7] });
    assert.deepEqual(chartDomains([{ xs: [0, 10, 100], ys: [-1, 0, 0.5] }], true, true), { x: [10, 100], y: [0.05, 5] }, 'one positive y: widened ×10 both ways');
    assert.deepEqual(chartDomains([{ xs: [4, 4], ys: [2, 2] }], false, false), { x: [4, 5], y: [1, 3] });
    assert.deepEqual(chartDomains([], false, true), { x: [0, 1], y: [1, 10] });
  });
  it('scales map the domain onto the plot, y upwards and niced; values an axis cannot show are NaN', () => {
    const s = chartScales([{ xs: [0, 10], ys: [0.13, 0.87] }], { logX: false, logY: false, wallTime: false, width: 200, height: 100 });
    assert.equal(s.toX(5), 100);
    assert.equal(s.toY(0.1), 100, 'nice() extends 0.13 down to 0.1 at the bottom');
    assert.equal(s.toY(0.9), 0);
    assert.ok(Number.isNaN(s.toY(NaN)));
    assert.equal(s.invertX(50), 2.5);
    const log = chartScales([{ xs: [1, 100], ys: [1, 1000] }], { logX: true, logY: true, wallTime: false, width: 200, height: 300 });
    assert.equal(log.toX(10), 100);
    assert.equal(log.toY(10), 200);
    assert.ok(Number.isNaN(log.toY(0)), 'zero has no place on a log axis');
  });
});
