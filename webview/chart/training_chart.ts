// Training curves: one card per metric, one line per cell run, redrawn live at most ~20 times a
// second. Smoothing, log axes, step / relative / wall-time x, hover read-out, exports.
import { select } from 'd3-selection';
import { axisBottom, axisLeft } from 'd3-axis';
import { line } from 'd3-shape';
import { bisectLeft } from 'd3-array';
import type { MetricPoint } from '../../engine/trace/trace_format';
import type { ExportFileMessage } from '../../src/protocol/inspector_messages';
import { MetricStore, type Run, type SavedRun, type Series } from './metric_store';
import { debiasedEma } from './smoothing';
import { minMaxPerPixel, type PixelPoint } from './downsample';
import { chartToPng, chartToSvg } from './chart_export';
import { formatNumber } from '../number_format';
import { chartScales } from './chart_scales';
import type { InspectorView } from '../layout/inspector_view';
import { RedrawThrottle } from '../redraw_throttle';

export type XAxisMode = 'step' | 'relative' | 'wall';
export interface ChartSettings { smoothing: number; logY: boolean; logX: boolean; xAxis: XAxisMode }
export interface SavedChart { settings: ChartSettings; runs: SavedRun[] }

const MARGIN = { top: 10, right: 16, bottom: 28, left: 56 };
const CARD_HEIGHT = 230;
const pathOf = line<PixelPoint>().x((p) => p.x).y((p) => p.y).defined((p) => Number.isFinite(p.y));

interface Scales { x: (v: number) => number; y: (v: number) => number; invertX: (px: number) => number }

export class TrainingChart implements InspectorView {
  readonly id = 'chart';
  readonly title = 'Training';
  readonly element: HTMLElement;
  readonly store = new MetricStore();
  settings: ChartSettings = { smoothing: 0.6, logY: false, logX: false, xAxis: 'step' };
  /** Milliseconds the last redraw took, read by the bench. */
  lastDrawMs = 0;
  redrawCount = 0;
  private readonly cards: HTMLElement;
  private readonly runTable: HTMLElement;
  private readonly summary: HTMLElement;
  private readonly throttle = new RedrawThrottle(() => this.redraw());
  private scalesByTag = new Map<string, Scales>();
  private cursorStep = new Map<string, number>();

  constructor(private readonly exportFile: (message: ExportFileMessage) => void, private readonly onChange: () => void) {
    this.element = document.createElement('section');
    this.element.className = 'chart-pane';
    this.element.setAttribute('aria-label', 'Training curves');
    this.element.innerHTML = `
      <div class="toolbar" role="toolbar" aria-label="Chart settings">
        <label>Smoothing <input type="range" class="smoothing" min="0" max="0.99" step="0.01" aria-label="Smoothing weight">
          <output class="smoothing-value"></output></label>
        <label class="toggle"><input type="checkbox" class="log-y"> log y</label>
        <label class="toggle"><input type="checkbox" class="log-x"> log x</label>
        <label>x axis <select class="x-axis" aria-label="Horizontal axis">
          <option value="step">step</option><option value="relative">relative time</option><option value="wall">wall time</option></select></label>
        <button type="button" class="export-csv">CSV</button>
        <button type="button" class="export-svg">SVG</button>
        <button type="button" class="export-png">PNG</button>
      </div>
      <table class="runs" aria-label="Runs"><thead><tr><th></th><th>run</th><th>points</th><th>show</th><th>pin</th><th>remove</th></tr></thead><tbody></tbody></table>
      <div class="chart-summary hint" aria-live="polite"></div>
      <div class="cards"></div>`;
    const q = <T extends Element>(sel: string): T => this.element.querySelector(sel) as T;
    this.cards = q('.cards');
    this.runTable = q('table.runs tbody');
    this.summary = q('.chart-summary');
    const smoothing = q<HTMLInputElement>('.smoothing');
    const smoothingValue = q<HTMLOutputElement>('.smoothing-value');
    const logY = q<HTMLInputElement>('.log-y');
    const logX = q<HTMLInputElement>('.log-x');
    const xAxis = q<HTMLSelectElement>('.x-axis');
    const syncInputs = (): void => {
      smoothing.value = String(this.settings.smoothing);
      smoothingValue.textContent = this.settings.smoothing.toFixed(2);
      logY.checked = this.settings.logY;
      logX.checked = this.settings.logX;
      logX.disabled = this.settings.xAxis === 'wall';
      xAxis.value = this.settings.xAxis;
    };
    this.syncInputs = syncInputs;
    syncInputs();
    const changed = (): void => { syncInputs(); this.requestRedraw(); this.onChange(); };
    smoothing.addEventListener('input', () => { this.settings.smoothing = Number(smoothing.value); changed(); });
    logY.addEventListener('change', () => { this.settings.logY = logY.checked; changed(); });
    logX.addEventListener('change', () => { this.settings.logX = logX.checked; changed(); });
    xAxis.addEventListener('change', () => { this.settings.xAxis = xAxis.value as XAxisMode; changed(); });
    q('.export-csv').addEventListener('click', () => this.exportFile({ type: 'export', format: 'csv', suggestedName: 'tapescope-metrics.csv', data: this.store.toCsv() }));
    q('.export-svg').addEventListener('click', () => this.exportFile({ type: 'export', format: 'svg', suggestedName: 'tapescope-chart.svg', data: chartToSvg(this.cardSvgs()) }));
    q('.export-png').addEventListener('click', () => {
      void chartToPng(this.cardSvgs()).then((data) => this.exportFile({ type: 'export', format: 'png', suggestedName: 'tapescope-chart.png', data }));
    });
  }

  private syncInputs: () => void = () => undefined;
  /** Told when the user renames a run, so every view uses the new name. */
  onRename: ((runId: number, label: string) => void) | undefined;

  add(runId: number, points: MetricPoint[], label?: string): void {
    this.store.add(runId, points, label);
    this.requestRedraw();
  }

  save(): SavedChart { return { settings: { ...this.settings }, runs: this.store.save() }; }

  restore(saved: SavedChart): void {
    this.settings = { ...this.settings, ...saved.settings };
    this.store.restore(saved.runs);
    this.syncInputs();
    this.requestRedraw();
  }

  shown(): void { this.requestRedraw(); }

  /** Coalesces bursts of points into at most one redraw per animation frame and per 50 ms. */
  requestRedraw(): void {
    this.throttle.request();
  }

  redraw(): void {
    const start = performance.now();
    this.throttle.drawing(start);
    this.redrawCount++;
    this.drawRunTable();
    const tags = this.store.tags();
    this.summary.textContent = tags.length === 0
      ? 'No metrics yet. Log scalars with tf.summary.scalar(name, value, step) in a cell.'
      : `${this.store.pointCount()} points in ${this.store.runs.size} run${this.store.runs.size === 1 ? '' : 's'}`;
    select(this.cards).selectAll<HTMLElement, string>('figure.card')
      .data(tags, (t) => t)
      .join((enter) => enter.append('figure').attr('class', 'card').each((tag, i, nodes) => this.createCard(nodes[i] as HTMLElement, tag)))
      .each((tag, i, nodes) => this.drawCard(nodes[i] as HTMLElement, tag));
    this.lastDrawMs = performance.now() - start;
    performance.measure('tapescope:chart-redraw', { start, end: start + this.lastDrawMs });
  }

  private cardSvgs(): SVGSVGElement[] {
    return [...this.cards.querySelectorAll<SVGSVGElement>('svg.plot')];
  }

  private drawRunTable(): void {
    const rows = select(this.runTable).selectAll<HTMLTableRowElement, Run>('tr')
      .data([...this.store.runs.values()], (r) => String(r.runId))
      .join((enter) => {
        const tr = enter.append('tr');
        tr.append('td').append('span').attr('class', 'swatch');
        tr.append('td').attr('class', 'run-label').append('input').attr('type', 'text').attr('class', 'run-name')
          .on('change', (e: Event, r) => {
            const name = (e.target as HTMLInputElement).value.trim();
            r.label = name === '' ? r.hostLabel ?? `run ${r.runId}` : name;
            this.onRename?.(r.runId, r.label);
            this.requestRedraw();
            this.onChange();
          });
        tr.append('td').attr('class', 'run-points');
        tr.append('td').append('input').attr('type', 'checkbox').attr('class', 'run-visible')
          .on('change', (e: Event, r) => { r.visible = (e.target as HTMLInputElement).checked; this.requestRedraw(); this.onChange(); });
        tr.append('td').append('button').attr('type', 'button').attr('class', 'run-pin')
          .on('click', (_e, r) => { r.pinned = !r.pinned; this.requestRedraw(); this.onChange(); });
        tr.append('td').append('button').attr('type', 'button').attr('class', 'run-remove').text('✕')
          .on('click', (_e, r) => { this.store.remove(r.runId); this.requestRedraw(); this.onChange(); });
        return tr;
      });
    rows.attr('data-run', (r) => r.runId).classed('hidden-run', (r) => !r.visible);
    rows.select('.swatch').style('background', (r) => r.colour);
    rows.select<HTMLInputElement>('.run-name').property('value', (r) => r.label).attr('aria-label', (r) => `name of ${r.label} (edit to rename)`)
      .attr('title', (r) => r.hostLabel ?? r.label);
    rows.select('.run-points').text((r) => [...r.series.values()].reduce((n, s) => n + s.steps.length, 0));
    rows.select<HTMLInputElement>('.run-visible').property('checked', (r) => r.visible)
      .attr('aria-label', (r) => `show ${r.label}`);
    rows.select('.run-pin').text((r) => (r.pinned ? '📌' : 'pin')).attr('aria-pressed', (r) => String(r.pinned))
      .attr('aria-label', (r) => `pin ${r.label} (pinned runs are never dropped)`);
    rows.select('.run-remove').attr('aria-label', (r) => `remove ${r.label}`);
  }

  private createCard(card: HTMLElement, tag: string): void {
    card.dataset.tag = tag;
    card.innerHTML = '<figcaption></figcaption><svg class="plot" tabindex="0" role="img"><g class="plot-area"><g class="x-axis"></g><g class="y-axis"></g><g class="lines"></g><line class="cursor" y1="0"></line><rect class="hover-target"></rect></g></svg><div class="readout" aria-live="polite"></div>';
    card.querySelector('figcaption')!.textContent = tag;
    const svg = card.querySelector<SVGSVGElement>('svg')!;
    svg.setAttribute('aria-label', `${tag} against ${this.settings.xAxis}. Left and right arrows move the read-out.`);
    const hover = card.querySelector<SVGRectElement>('rect.hover-target')!;
    hover.addEventListener('mousemove', (e) => {
      const scales = this.scalesByTag.get(tag);
      if (!scales) return;
      const box = hover.getBoundingClientRect();
      this.cursorStep.set(tag, scales.invertX(e.clientX - box.left));
      this.drawReadout(card, tag);
    });
    hover.addEventListener('mouseleave', () => { this.cursorStep.delete(tag); this.drawReadout(card, tag); });
    svg.addEventListener('keydown', (e) => {
      if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
      e.preventDefault();
      this.stepCursor(tag, e.key === 'ArrowLeft' ? -1 : 1);
      this.drawReadout(card, tag);
    });
  }

  private xValues(run: Run, series: Series): number[] {
    if (this.settings.xAxis === 'step') return series.steps;
    if (this.settings.xAxis === 'relative') return series.wallTimes.map((t) => (t - run.firstWallTime) / 1000);
    return series.wallTimes;
  }

  private drawCard(card: HTMLElement, tag: string): void {
    const width = Math.max(240, (this.cards.clientWidth || 600) - 4);
    const innerW = width - MARGIN.left - MARGIN.right;
    const innerH = CARD_HEIGHT - MARGIN.top - MARGIN.bottom;
    const svg = select(card).select<SVGSVGElement>('svg.plot').attr('width', width).attr('height', CARD_HEIGHT)
      .attr('viewBox', `0 0 ${width} ${CARD_HEIGHT}`);
    const area = svg.select('g.plot-area').attr('transform', `translate(${MARGIN.left},${MARGIN.top})`);
    const logY = this.settings.logY;

    const visible = [...this.store.runs.values()].filter((r) => r.visible && r.series.has(tag));
    const drawn = visible.map((run) => {
      const series = run.series.get(tag)!;
      return { run, series, xs: this.xValues(run, series), smoothed: debiasedEma(series.values, this.settings.smoothing) };
    });
    const { xScale, yScale, toX, toY, invertX } = chartScales(drawn.map((d) => ({ xs: d.xs, ys: d.series.values })), {
      logX: this.settings.logX, logY, wallTime: this.settings.xAxis === 'wall', width: innerW, height: innerH,
    });
    this.scalesByTag.set(tag, { x: toX, y: toY, invertX });

    area.select<SVGGElement>('g.x-axis').attr('transform', `translate(0,${innerH})`)
      .call(axisBottom(xScale as never).ticks(Math.max(2, Math.floor(innerW / 90))) as never);
    area.select<SVGGElement>('g.y-axis').call(axisLeft(yScale).ticks(5, logY ? '~g' : undefined) as never);
    area.select('line.cursor').attr('y2', innerH);
    area.select('rect.hover-target').attr('width', innerW).attr('height', innerH);

    const lines = area.select('g.lines').selectAll<SVGGElement, (typeof drawn)[number]>('g.run-lines')
      .data(drawn, (d) => String(d.run.runId))
      .join((enter) => {
        const g = enter.append('g').attr('class', 'run-lines');
        g.append('path').attr('class', 'line raw');
        g.append('path').attr('class', 'line smoothed');
        return g;
      });
    lines.attr('data-run', (d) => d.run.runId);
    lines.each((d, i, nodes) => {
      const pxs = d.xs.map(toX);
      const raw = minMaxPerPixel(pxs, d.series.values.map(toY));
      const smooth = minMaxPerPixel(pxs, d.smoothed.map(toY));
      const g = select(nodes[i]);
      g.select('path.raw').attr('d', pathOf(raw) ?? '').attr('stroke', d.run.colour)
        .attr('data-drawn-points', raw.length).attr('opacity', this.settings.smoothing > 0 ? 0.25 : 1);
      g.select('path.smoothed').attr('d', pathOf(smooth) ?? '').attr('stroke', d.run.colour)
        .attr('data-drawn-points', smooth.length).attr('display', this.settings.smoothing > 0 ? null : 'none');
    });
    this.drawReadout(card, tag);
  }

  private stepCursor(tag: string, direction: -1 | 1): void {
    const first = [...this.store.runs.values()].find((r) => r.visible && r.series.has(tag));
    if (!first) return;
    const series = first.series.get(tag)!;
    const xs = this.xValues(first, series);
    const current = this.cursorStep.get(tag);
    let index = current === undefined ? (direction > 0 ? -1 : xs.length) : bisectLeft(xs, current);
    if (current !== undefined && xs[index] !== current && direction < 0) index++;
    index = Math.min(xs.length - 1, Math.max(0, index + direction));
    this.cursorStep.set(tag, xs[index]);
  }

  private drawReadout(card: HTMLElement, tag: string): void {
    const readout = card.querySelector<HTMLElement>('.readout')!;
    const cursor = card.querySelector<SVGLineElement>('line.cursor')!;
    const at = this.cursorStep.get(tag);
    const scales = this.scalesByTag.get(tag);
    if (at === undefined || !scales) {
      readout.textContent = '';
      cursor.style.display = 'none';
      return;
    }
    cursor.style.display = '';
    const px = scales.x(at);
    cursor.setAttribute('x1', String(px));
    cursor.setAttribute('x2', String(px));
    readout.innerHTML = '';
    for (const run of this.store.runs.values()) {
      const series = run.series.get(tag);
      if (!run.visible || !series) continue;
      const xs = this.xValues(run, series);
      let i = Math.min(xs.length - 1, bisectLeft(xs, at));
      if (i > 0 && Math.abs(xs[i - 1] - at) < Math.abs(xs[i] - at)) i--;
      const smoothed = debiasedEma(series.values.slice(0, i + 1), this.settings.smoothing)[i];
      const row = document.createElement('div');
      row.className = 'readout-row';
      row.dataset.run = String(run.runId);
      const swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = run.colour;
      const when = this.settings.xAxis === 'wall' ? new Date(series.wallTimes[i]).toLocaleTimeString()
        : this.settings.xAxis === 'relative' ? `${formatNumber(xs[i])} s` : '';
      row.append(swatch, `${run.label}  step ${series.steps[i]}${when ? ` (${when})` : ''}  value ${formatNumber(series.values[i])}  smoothed ${formatNumber(smoothed)}`);
      readout.append(row);
    }
  }
}
