// The Gradients view: a heatmap of variables (grouped by layer, in model order) × steps, coloured by log10 of the
// gradient norm or of the update/weight ratio, with flagged cells (vanishing, exploding, NaN) in their own
// colours; the first-step alerts; a click on a cell shows that step's numbers; a click on a row label adds the
// variable's line to the chart below; TensorBoard-style distributions (percentile bands) of one variable's
// gradient and weights. Redrawn live, at most every 50 ms.
import { select } from 'd3-selection';
import { scaleLinear } from 'd3-scale';
import { axisBottom, axisLeft } from 'd3-axis';
import { area, line } from 'd3-shape';
import type { StepTelemetry } from '../../engine/trace/telemetry_format';
import { TelemetryStore, FLAG_OF_CODE, type TelemetryRun, type VariableSeries } from './telemetry_store';
import { binHeatmap, columnOfStep, type HeatmapGrid, type HeatmapMetric } from './heatmap_model';
import { formatNumber } from '../number_format';
import type { InspectorView } from '../layout/inspector_view';
import { el } from '../dom';
import { RedrawThrottle } from '../redraw_throttle';

const ROW_HEIGHT = 18;
const LAYER_GAP = 6;
const LINE_COLOURS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#bcbd22'];
/** Flag colours: distinct from the sequential ramp of ordinary cells. */
export const FLAG_COLOURS = { vanishing: '#4a6fe3', exploding: '#e03c31', nan: '#ff00ff' } as const;
const RAMP = ['#1a1a2e', '#2a6f6f', '#4fb286', '#c6e377', '#fff3a8'];
/** Steps of the saved state kept per run across a reload. */
const SAVED_STEPS = 4000;

export interface GradientViewSettings { metric: HeatmapMetric; runId?: number; lines: string[]; distribution?: string; compareRunId?: number }
export interface SavedGradients { settings: GradientViewSettings; runs: Array<{ runId: number; label: string; hostLabel?: string; steps: StepTelemetry[] }> }

interface RowLayout { series: VariableSeries; y: number }

export class GradientView implements InspectorView {
  readonly id = 'gradients';
  readonly title = 'Gradients';
  readonly element: HTMLElement;
  readonly store = new TelemetryStore();
  settings: GradientViewSettings = { metric: 'gradNorm', lines: [] };
  /** Milliseconds the last redraw took, read by the bench. */
  lastDrawMs = 0;
  private grid: HeatmapGrid | undefined;
  private rows: RowLayout[] = [];
  private readonly throttle = new RedrawThrottle(() => this.redraw());
  private selectedCell: { key: string; step: number } | undefined;
  /** Bumped by every add/restore/rename: parts that do not depend on the colour switch redraw only when it moves. */
  private version = 0;
  private distributionsDrawn = '';
  private readonly q = <T extends Element>(sel: string): T => this.element.querySelector(sel) as T;

  constructor(private readonly onChange: () => void) {
    const option = (value: string, text: string) => el('option', { attrs: { value }, text });
    this.element = el('section', { class: 'gradients-pane', attrs: { 'aria-label': 'Gradient flow' } },
      el('div', { class: 'toolbar', attrs: { role: 'toolbar', 'aria-label': 'Gradient view settings' } },
        el('label', {}, 'run ', el('select', { class: 'grad-run', attrs: { 'aria-label': 'Run' } })),
        el('label', {}, 'compare with ', el('select', { class: 'grad-compare', attrs: { 'aria-label': 'Compare with run' } })),
        el('label', {}, 'colour ', el('select', { class: 'grad-metric', attrs: { 'aria-label': 'Colour by' } },
          option('gradNorm', 'log10 gradient norm'), option('updateRatio', 'log10 update / weight'))),
        el('span', { class: 'grad-legend', attrs: { 'aria-label': 'Legend' } })),
      el('ul', { class: 'grad-alerts', attrs: { 'aria-label': 'Alerts', 'aria-live': 'polite' } }),
      el('p', { class: 'grad-summary hint' }),
      el('div', { class: 'heatmap-wrap' },
        el('div', { class: 'heatmap-labels' }),
        el('div', { class: 'heatmap-plot' },
          el('canvas', { class: 'heatmap', attrs: { role: 'img', 'aria-label': 'Gradient heatmap: click a cell for its numbers' } }),
          el('div', { class: 'heatmap-axis' }, el('span', { class: 'first-step' }), el('span', { class: 'last-step' })))),
      el('div', { class: 'cell-details', attrs: { 'aria-live': 'polite' } },
        el('p', { class: 'hint', text: "Click a cell for that step's numbers; click a variable's name for its line." })),
      el('figure', { class: 'grad-lines' }, el('figcaption', { text: 'Per-variable lines' }), svgPlot('plot lines-plot')),
      el('figure', { class: 'grad-distributions' },
        el('figcaption', {}, 'Distributions of ', el('select', { class: 'dist-variable', attrs: { 'aria-label': 'Variable' } })),
        el('div', { class: 'dist-pair' },
          el('div', {}, el('h4', { text: 'gradient' }), svgPlot('plot dist-grad')),
          el('div', {}, el('h4', { text: 'weights' }), svgPlot('plot dist-weight')))));
    const metric = this.q<HTMLSelectElement>('.grad-metric');
    metric.addEventListener('change', () => { this.settings.metric = metric.value as HeatmapMetric; this.changed(); });
    const run = this.q<HTMLSelectElement>('.grad-run');
    run.addEventListener('change', () => { this.settings.runId = Number(run.value); this.selectedCell = undefined; this.changed(); });
    const compare = this.q<HTMLSelectElement>('.grad-compare');
    compare.addEventListener('change', () => { this.settings.compareRunId = compare.value === '' ? undefined : Number(compare.value); this.changed(); });
    const dist = this.q<HTMLSelectElement>('.dist-variable');
    dist.addEventListener('change', () => { this.settings.distribution = dist.value; this.changed(); });
    this.q<HTMLCanvasElement>('canvas.heatmap').addEventListener('click', (e) => this.clickCell(e));
  }

  shown(): void {
    this.requestRedraw();
  }

  add(runId: number, steps: StepTelemetry[], label?: string): void {
    this.store.add(runId, steps, label);
    this.version++;
    if (this.settings.runId === undefined || !this.store.runs.has(this.settings.runId) || steps.length > 0) this.settings.runId = this.latestRunId(runId);
    this.requestRedraw();
  }

  /** A restored run moves to another id (see the inspector's separateRestoredRun). */
  rekey(from: number, to: number): void {
    this.store.rekey(from, to);
    if (this.settings.runId === from) this.settings.runId = to;
    this.version++;
  }

  rename(runId: number, label: string): void {
    const run = this.store.runs.get(runId);
    if (!run) return;
    run.label = label;
    this.version++;
    this.requestRedraw();
  }

  save(): SavedGradients {
    return { settings: { ...this.settings }, runs: this.store.save(SAVED_STEPS) };
  }

  restore(saved: SavedGradients): void {
    this.settings = { ...this.settings, ...saved.settings };
    for (const r of saved.runs) {
      const run = this.store.add(r.runId, r.steps, r.hostLabel ?? r.label);
      run.label = r.label;
    }
    this.version++;
    this.requestRedraw();
  }

  /** Coalesces bursts of steps into at most one redraw per animation frame and per 50 ms. */
  requestRedraw(): void {
    this.throttle.request();
  }

  redraw(): void {
    const start = performance.now();
    this.throttle.drawing(start);
    const run = this.currentRun();
    this.drawToolbar(run);
    this.drawAlerts(run);
    this.drawHeatmap(run);
    this.drawDetails(run);
    this.drawLines(run);
    this.drawDistributions(run);
    this.lastDrawMs = performance.now() - start;
    performance.measure('tapescope:gradients-redraw', { start, end: start + this.lastDrawMs });
  }

  private changed(): void {
    this.requestRedraw();
    this.onChange();
  }

  private latestRunId(fallback: number): number {
    const ids = [...this.store.runs.keys()];
    return ids.includes(fallback) ? fallback : ids[ids.length - 1];
  }

  private currentRun(): TelemetryRun | undefined {
    return this.settings.runId === undefined ? undefined : this.store.runs.get(this.settings.runId);
  }

  private drawToolbar(run: TelemetryRun | undefined): void {
    select(this.q<HTMLSelectElement>('.grad-run')).selectAll('option')
      .data([...this.store.runs.values()], (r) => String((r as TelemetryRun).runId))
      .join('option').attr('value', (r) => String(r.runId)).text((r) => r.label);
    if (run) this.q<HTMLSelectElement>('.grad-run').value = String(run.runId);
    const others = [...this.store.runs.values()].filter((r) => r !== run);
    select(this.q<HTMLSelectElement>('.grad-compare')).selectAll('option')
      .data([undefined, ...others], (r) => String((r as TelemetryRun | undefined)?.runId ?? 'none'))
      .join('option').attr('value', (r) => (r ? String(r.runId) : '')).text((r) => (r ? r.label : 'none'));
    const compareWith = others.find((r) => r.runId === this.settings.compareRunId);
    this.q<HTMLSelectElement>('.grad-compare').value = compareWith ? String(compareWith.runId) : '';
    this.q<HTMLSelectElement>('.grad-metric').value = this.settings.metric;
    const legend = this.q<HTMLElement>('.grad-legend');
    if (legend.childElementCount === 0) {
      legend.replaceChildren(...(['vanishing', 'exploding', 'nan'] as const).map((flag) => {
        const swatch = el('i');
        swatch.style.background = FLAG_COLOURS[flag];
        return el('span', { class: `legend-item flag-${flag}` }, swatch, flag === 'vanishing' ? 'vanishing (<1e-7 of largest)' : flag === 'exploding' ? 'exploding (>1e3)' : 'NaN / Inf');
      }));
    }
  }

  private drawAlerts(run: TelemetryRun | undefined): void {
    const alerts = run?.alerts ?? [];
    select(this.q<HTMLUListElement>('.grad-alerts')).selectAll('li')
      .data(alerts)
      .join('li')
      .attr('class', (a) => `grad-alert flag-${a.flag}`)
      .text((a) => `${a.variable}: ${a.flag === 'nan' ? 'NaN/Inf gradient' : `gradient ${a.flag === 'vanishing' ? 'vanished' : 'exploded'}`} first at step ${a.step} (norm ${formatNumber(a.gradNorm)})`);
  }

  private drawHeatmap(run: TelemetryRun | undefined): void {
    const canvas = this.q<HTMLCanvasElement>('canvas.heatmap');
    const labels = this.q<HTMLElement>('.heatmap-labels');
    const summary = this.q<HTMLElement>('.grad-summary');
    if (!run || run.series.length === 0) {
      summary.textContent = 'No optimizer steps yet. Every optimizer.applyGradients (and model.fit) fills this view as it trains.';
      labels.replaceChildren();
      canvas.width = 0;
      this.grid = undefined;
      return;
    }
    const stepCount = run.lastStep - run.firstStep + 1;
    summary.textContent = `${run.series.length} variables × ${stepCount} steps (${run.firstStep}–${run.lastStep})`;
    this.rows = layoutRows(run.series);
    const height = this.rows.length === 0 ? 0 : this.rows[this.rows.length - 1].y + ROW_HEIGHT;
    const plot = this.q<HTMLElement>('.heatmap-plot');
    const width = Math.max(60, Math.floor(plot.clientWidth || 400));
    const grid = binHeatmap(run.series, this.settings.metric, width, run.firstStep, run.lastStep);
    this.grid = grid;
    this.paint(canvas, grid, width, height);
    select(labels).selectAll<HTMLElement, RowLayout>('.row-label')
      .data(this.rows, (r) => r.series.key)
      .join((enter) => enter.append('button').attr('type', 'button').attr('class', 'row-label')
        .on('click', (_, r) => this.toggleLine(r.series.key)))
      .style('top', (r) => `${r.y}px`)
      .attr('aria-pressed', (r) => String(this.settings.lines.includes(r.series.key)))
      .attr('title', (r) => `${r.series.variable} (${r.series.size} entries, ${r.series.optimizer})`)
      .text((r) => r.series.variable);
    labels.style.height = `${height}px`;
    this.q<HTMLElement>('.first-step').textContent = `step ${run.firstStep}`;
    this.q<HTMLElement>('.last-step').textContent = `step ${run.lastStep}`;
  }

  private paint(canvas: HTMLCanvasElement, grid: HeatmapGrid, width: number, height: number): void {
    canvas.width = width;
    canvas.height = height;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    canvas.dataset.columns = String(grid.columns);
    canvas.dataset.stepsPerColumn = String(grid.stepsPerColumn);
    canvas.dataset.firstStep = String(grid.firstStep);
    const ctx = canvas.getContext('2d');
    if (!ctx || width === 0 || height === 0) return;
    const [lo, hi] = grid.extent;
    const lut = rampLookup();
    const scale = hi > lo ? (RAMP_STEPS - 1) / (hi - lo) : 0;
    const flagRgb = [0, rgb(FLAG_COLOURS.vanishing), rgb(FLAG_COLOURS.exploding), rgb(FLAG_COLOURS.nan)];
    const empty = 0x00000000;
    const image = ctx.createImageData(width, height);
    const pixels = new Uint32Array(image.data.buffer);
    const cellColour = new Uint32Array(grid.columns);
    for (let r = 0; r < grid.rows; r++) {
      for (let c = 0; c < grid.columns; c++) {
        const k = r * grid.columns + c;
        const flag = grid.flags[k];
        const v = grid.values[k];
        if (flag > 0) cellColour[c] = flagRgb[flag];
        else if (grid.index[k] < 0 || Number.isNaN(v)) cellColour[c] = empty;
        else cellColour[c] = lut[v === Infinity ? RAMP_STEPS - 1 : v === -Infinity ? 0 : Math.round((Math.min(hi, Math.max(lo, v)) - lo) * scale)];
      }
      const y0 = this.rows[r].y;
      for (let x = 0; x < width; x++) pixels[y0 * width + x] = cellColour[Math.floor((x * grid.columns) / width)];
      for (let y = 1; y < ROW_HEIGHT - 1; y++) pixels.copyWithin((y0 + y) * width, y0 * width, y0 * width + width);
    }
    ctx.putImageData(image, 0, 0);
    if (this.selectedCell) {
      const r = this.rows.findIndex((row) => row.series.key === this.selectedCell!.key);
      if (r >= 0) {
        const c = columnOfStep(grid, this.selectedCell.step);
        ctx.strokeStyle = '#ffffff';
        ctx.lineWidth = 2;
        ctx.strokeRect((c * width) / grid.columns, this.rows[r].y, Math.max(2, width / grid.columns), ROW_HEIGHT - 1);
      }
    }
  }

  private clickCell(event: MouseEvent): void {
    const grid = this.grid;
    if (!grid) return;
    const canvas = event.currentTarget as HTMLCanvasElement;
    const box = canvas.getBoundingClientRect();
    const x = event.clientX - box.left;
    const y = event.clientY - box.top;
    const row = this.rows.find((r) => y >= r.y && y < r.y + ROW_HEIGHT);
    if (!row) return;
    const r = this.rows.indexOf(row);
    const c = Math.min(grid.columns - 1, Math.max(0, Math.floor((x / box.width) * grid.columns)));
    const i = grid.index[r * grid.columns + c];
    if (i < 0) return;
    this.selectedCell = { key: row.series.key, step: row.series.steps[i] };
    this.settings.distribution = row.series.key;
    this.changed();
  }

  private drawDetails(run: TelemetryRun | undefined): void {
    const box = this.q<HTMLElement>('.cell-details');
    const cell = this.selectedCell;
    const s = cell && run?.series.find((x) => x.key === cell.key);
    const i = s ? s.steps.indexOf(cell!.step) : -1;
    if (!s || i < 0) return;
    const flag = FLAG_OF_CODE[s.flag[i]];
    const rows: Array<[string, string]> = [
      ['variable', s.variable], ['step', String(s.steps[i])], ['flag', flag ?? 'none'],
      ['gradient norm', formatNumber(s.gradNorm[i])], ['weight norm', formatNumber(s.weightNorm[i])],
      ['update norm', formatNumber(s.updateNorm[i])], ['update / weight', formatNumber(s.updateRatio[i])],
      ['zero gradient fraction', formatNumber(s.zeroFraction[i])], ['NaN / Inf entries', `${s.nanCount[i]} / ${s.infCount[i]}`],
      ...Object.entries(s.slots).map(([slot, column]): [string, string] => [`‖${slot}‖ (slot)`, formatNumber(column[i])]),
    ];
    const sizes = run!.stepSizes.get(s.optimizer);
    const at = sizes ? sizes.steps.indexOf(s.steps[i]) : -1;
    if (at >= 0) rows.push(['step size', formatNumber(sizes!.values[at])]);
    box.replaceChildren(el('table', { class: `cell-table${flag ? ` flag-${flag}` : ''}` },
      ...rows.map(([k, v]) => el('tr', {}, el('th', { text: k }), el('td', { text: v })))));
  }

  private toggleLine(key: string): void {
    const lines = this.settings.lines;
    this.settings.lines = lines.includes(key) ? lines.filter((k) => k !== key) : [...lines, key];
    this.changed();
  }

  private drawLines(run: TelemetryRun | undefined): void {
    const figure = this.q<HTMLElement>('.grad-lines');
    const chosen = (run?.series ?? []).filter((s) => this.settings.lines.includes(s.key));
    figure.hidden = chosen.length === 0;
    if (chosen.length === 0 || !run) return;
    const svgEl = this.q<SVGSVGElement>('svg.lines-plot');
    const width = Math.max(200, svgEl.clientWidth || 400);
    const metric = this.settings.metric;
    const valuesOf = (s: VariableSeries) => (metric === 'gradNorm' ? s.gradNorm : s.updateRatio);
    // The compared run draws the same variables (by name) dashed.
    const other = this.settings.compareRunId === undefined ? undefined : this.store.runs.get(this.settings.compareRunId);
    const lines = chosen.flatMap((s, k) => {
      const colour = LINE_COLOURS[k % LINE_COLOURS.length];
      const own = { label: s.variable, colour, dashed: false, points: logPoints(s.steps, valuesOf(s), width) };
      const twin = other && other !== run ? other.series.find((o) => o.variable === s.variable) : undefined;
      return twin ? [own, { label: `${s.variable} (${other!.label})`, colour, dashed: true, points: logPoints(twin.steps, valuesOf(twin), width) }] : [own];
    });
    const height = 160;
    const margin = { top: 8, right: 12, bottom: 22, left: 44 };
    const xs = lines.flatMap((l) => l.points.map((p) => p[0]));
    const ys = lines.flatMap((l) => l.points.map((p) => p[1]));
    const x = scaleLinear().domain(xs.length ? [Math.min(...xs), Math.max(Math.min(...xs) + 1, Math.max(...xs))] : [0, 1]).range([margin.left, width - margin.right]);
    const y = scaleLinear().domain(ys.length ? [Math.min(...ys), Math.max(...ys)] : [0, 1]).nice().range([height - margin.bottom, margin.top]);
    const svg = select(svgEl).attr('viewBox', `0 0 ${width} ${height}`).attr('height', height);
    svg.selectAll('*').remove();
    svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(axisBottom(x).ticks(6));
    svg.append('g').attr('transform', `translate(${margin.left},0)`).call(axisLeft(y).ticks(5).tickFormat((d) => `1e${d}`));
    const path = line<[number, number]>().x((p) => x(p[0])).y((p) => y(p[1]));
    lines.forEach((l, k) => {
      svg.append('path').attr('class', l.dashed ? 'var-line compared' : 'var-line').attr('fill', 'none').attr('stroke', l.colour)
        .attr('stroke-width', 1.5).attr('stroke-dasharray', l.dashed ? '4 3' : null).attr('d', path(l.points) ?? '');
      svg.append('text').attr('x', margin.left + 6).attr('y', margin.top + 12 + 12 * k).attr('fill', l.colour).attr('font-size', 11).text(l.label);
    });
  }

  private drawDistributions(run: TelemetryRun | undefined): void {
    const figure = this.q<HTMLElement>('.grad-distributions');
    const withDist = (run?.series ?? []).filter((s) => s.distributions.length > 0);
    figure.hidden = withDist.length === 0;
    if (withDist.length === 0) return;
    const chosen = withDist.find((s) => s.key === this.settings.distribution) ?? withDist[0];
    const drawn = `${this.version}|${run!.runId}|${chosen.key}|${this.element.clientWidth}`;
    if (drawn === this.distributionsDrawn) return;
    this.distributionsDrawn = drawn;
    select(this.q<HTMLSelectElement>('.dist-variable')).selectAll('option')
      .data(withDist, (s) => (s as VariableSeries).key)
      .join('option').attr('value', (s) => s.key).text((s) => s.variable);
    this.q<HTMLSelectElement>('.dist-variable').value = chosen.key;
    drawBands(this.q<SVGSVGElement>('svg.dist-grad'), chosen.distributions.map((d) => [d.step, d.grad] as const));
    drawBands(this.q<SVGSVGElement>('svg.dist-weight'), chosen.distributions.map((d) => [d.step, d.weight] as const));
  }
}

function svgPlot(className: string): SVGSVGElement {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('class', className);
  return svg;
}

/** Row positions: one row per variable, a gap between layers. */
export function layoutRows(series: VariableSeries[]): RowLayout[] {
  let y = 0;
  return series.map((s, i) => {
    if (i > 0 && s.layer !== series[i - 1].layer) y += LAYER_GAP;
    const row = { series: s, y };
    y += ROW_HEIGHT;
    return row;
  });
}

/** [step, log10 value] pairs, finite ones only, thinned to about two per pixel. */
function logPoints(steps: number[], values: number[], width: number): Array<[number, number]> {
  const stride = Math.max(1, Math.floor(steps.length / (2 * width)));
  const out: Array<[number, number]> = [];
  for (let i = 0; i < steps.length; i += stride) {
    const v = values[i];
    if (v > 0 && Number.isFinite(v)) out.push([steps[i], Math.log10(v)]);
  }
  return out;
}

/** Percentile bands (min–max, ±1.5σ, ±1σ, ±0.5σ) and the median, as TensorBoard's distributions. */
function drawBands(svgEl: SVGSVGElement, samples: ReadonlyArray<readonly [number, number[]]>): void {
  const width = Math.max(160, svgEl.clientWidth || 300);
  const height = 150;
  const margin = { top: 6, right: 8, bottom: 22, left: 48 };
  const finite = samples.filter(([, p]) => p.every(Number.isFinite));
  const svg = select(svgEl).attr('viewBox', `0 0 ${width} ${height}`).attr('height', height);
  svg.selectAll('*').remove();
  if (finite.length === 0) return;
  const steps = finite.map(([s]) => s);
  const x = scaleLinear().domain([Math.min(...steps), Math.max(Math.min(...steps) + 1, Math.max(...steps))]).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([Math.min(...finite.map(([, p]) => p[0])), Math.max(...finite.map(([, p]) => p[p.length - 1]))]).nice().range([height - margin.bottom, margin.top]);
  svg.append('g').attr('transform', `translate(0,${height - margin.bottom})`).call(axisBottom(x).ticks(4));
  svg.append('g').attr('transform', `translate(${margin.left},0)`).call(axisLeft(y).ticks(4).tickFormat((d) => formatNumber(Number(d))));
  for (let band = 0; band < 4; band++) {
    const lo = band, hi = 8 - band;
    const shape = area<readonly [number, number[]]>().x((d) => x(d[0])).y0((d) => y(d[1][lo])).y1((d) => y(d[1][hi]));
    svg.append('path').attr('class', 'dist-band').attr('fill', '#ff7f0e').attr('fill-opacity', 0.15 + 0.12 * band).attr('d', shape(finite) ?? '');
  }
  const median = line<readonly [number, number[]]>().x((d) => x(d[0])).y((d) => y(d[1][4]));
  svg.append('path').attr('class', 'dist-median').attr('fill', 'none').attr('stroke', '#a34700').attr('stroke-width', 1.2).attr('d', median(finite) ?? '');
}

const RAMP_STEPS = 256;
let rampPixels: Uint32Array | undefined;

/** The sequential ramp as RAMP_STEPS opaque pixels, built once. */
function rampLookup(): Uint32Array {
  if (rampPixels) return rampPixels;
  const scale = scaleLinear<string>().domain(RAMP.map((_, i) => i / (RAMP.length - 1))).range(RAMP);
  rampPixels = Uint32Array.from({ length: RAMP_STEPS }, (_, i) => rgb(scale(i / (RAMP_STEPS - 1))));
  return rampPixels;
}

/** '#rrggbb' or 'rgb(r, g, b)' as a little-endian RGBA pixel (opaque). */
function rgb(colour: string): number {
  let r = 0, g = 0, b = 0;
  const m = /rgb\((\d+),\s*(\d+),\s*(\d+)\)/.exec(colour);
  if (m) [r, g, b] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else if (colour.startsWith('#')) [r, g, b] = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}
