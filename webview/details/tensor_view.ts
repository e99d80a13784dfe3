// One tensor summary as a person reads it: the numbers when there are few, a heatmap for a matrix,
// a histogram and statistics for a large tensor — and NaN/Inf called out whatever its size.
import { scaleLinear } from 'd3-scale';
import type { TensorSummary } from '../../engine/trace/trace_format';
import { decodeValue, formatNumber } from '../number_format';
import { shapeText } from '../graph/view_graph';
import { renderImageGrid } from './image_grid';

export function renderTensorSummary(summary: TensorSummary, caption: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'tensor-summary';
  const head = document.createElement('div');
  head.className = 'tensor-head';
  head.textContent = `${caption} ${shapeText(summary.shape)} ${summary.dtype}`;
  box.append(head);

  if (summary.nanCount > 0 || summary.infCount > 0) {
    const alert = document.createElement('div');
    alert.className = 'numerics-alert';
    alert.setAttribute('role', 'alert');
    const parts = [];
    if (summary.nanCount > 0) parts.push(`${summary.nanCount} NaN`);
    if (summary.infCount > 0) parts.push(`${summary.infCount} Inf`);
    alert.textContent = `⚠ ${parts.join(' and ')} in ${summary.size} element${summary.size === 1 ? '' : 's'}`;
    box.append(alert);
  }

  if (summary.values) box.append(renderValues(summary));
  else if (summary.heatmap) box.append(renderHeatmap(summary));
  if (summary.imageGrid) box.append(renderImageGrid(summary.imageGrid));
  if (!summary.values && summary.histogram) box.append(renderHistogram(summary));
  if (summary.size > 1) box.append(renderStats(summary));
  return box;
}

/** Small tensors: every number, laid out by shape (a matrix as a grid tinted by value). */
function renderValues(summary: TensorSummary): HTMLElement {
  const values = summary.values!;
  if (summary.shape.length === 0) {
    const scalar = document.createElement('div');
    scalar.className = 'scalar-value';
    scalar.dataset.value = String(decodeValue(values[0]));
    scalar.textContent = formatNumber(values[0]);
    return scalar;
  }
  const cols = summary.shape[summary.shape.length - 1] || 1;
  const rows = Math.ceil(values.length / cols);
  const finite = values.map(decodeValue).filter(Number.isFinite);
  const extent = Math.max(1e-30, ...finite.map(Math.abs));
  const tint = scaleLinear<number>().domain([0, extent]).range([0, 0.55]).clamp(true);
  const table = document.createElement('table');
  table.className = 'value-grid';
  table.setAttribute('aria-label', `values ${shapeText(summary.shape)}`);
  for (let r = 0; r < rows; r++) {
    const tr = table.insertRow();
    for (let c = 0; c < cols; c++) {
      const raw = values[r * cols + c];
      if (raw === undefined) continue;
      const td = tr.insertCell();
      const v = decodeValue(raw);
      td.textContent = formatNumber(raw);
      td.dataset.value = String(v);
      if (!Number.isFinite(v)) td.className = 'non-finite';
      else if (summary.shape.length >= 2) {
        td.style.background = `rgba(${v >= 0 ? '230, 57, 70' : '59, 76, 192'}, ${tint(Math.abs(v))})`;
      }
    }
  }
  return table;
}

/** Rank-2 tensors too large to print: a block-averaged grid, coloured on a diverging scale. */
function renderHeatmap(summary: TensorSummary): HTMLElement {
  const heat = summary.heatmap!;
  const canvas = document.createElement('canvas');
  canvas.className = 'heatmap';
  const cell = Math.max(3, Math.floor(256 / Math.max(heat.rows, heat.cols)));
  canvas.width = heat.cols * cell;
  canvas.height = heat.rows * cell;
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `heatmap of a ${heat.sourceShape.join('×')} matrix in ${heat.rows}×${heat.cols} blocks`);
  const ctx = canvas.getContext('2d')!;
  const extent = Math.max(1e-30, ...heat.values.filter(Number.isFinite).map(Math.abs));
  for (let r = 0; r < heat.rows; r++) {
    for (let c = 0; c < heat.cols; c++) {
      const v = heat.values[r * heat.cols + c];
      ctx.fillStyle = Number.isFinite(v)
        ? `rgba(${v >= 0 ? '230, 57, 70' : '59, 76, 192'}, ${0.08 + 0.92 * Math.min(1, Math.abs(v) / extent)})`
        : '#ff00ff';
      ctx.fillRect(c * cell, r * cell, cell, cell);
    }
  }
  const wrap = document.createElement('figure');
  wrap.className = 'heatmap-figure';
  const note = document.createElement('figcaption');
  note.textContent = `${heat.sourceShape.join('×')} averaged into ${heat.rows}×${heat.cols} blocks; red > 0, blue < 0, ±${formatNumber(extent)} full colour`;
  wrap.append(canvas, note);
  return wrap;
}

function renderHistogram(summary: TensorSummary): HTMLElement {
  const { edges, counts } = summary.histogram!;
  const width = 280;
  const height = 90;
  const max = Math.max(1, ...counts);
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('class', 'histogram');
  svg.setAttribute('viewBox', `0 0 ${width} ${height + 14}`);
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', `histogram of ${summary.size} values from ${formatNumber(edges[0])} to ${formatNumber(edges[edges.length - 1])}`);
  const barWidth = width / counts.length;
  counts.forEach((count, i) => {
    const rect = document.createElementNS(ns, 'rect');
    const h = (count / max) * height;
    rect.setAttribute('x', String(i * barWidth + 0.5));
    rect.setAttribute('y', String(height - h));
    rect.setAttribute('width', String(Math.max(0.5, barWidth - 1)));
    rect.setAttribute('height', String(h));
    const title = document.createElementNS(ns, 'title');
    title.textContent = `[${formatNumber(edges[i])}, ${formatNumber(edges[i + 1])}): ${count}`;
    rect.append(title);
    svg.append(rect);
  });
  for (const [x, anchor, v] of [[0, 'start', edges[0]], [width, 'end', edges[edges.length - 1]]] as const) {
    const text = document.createElementNS(ns, 'text');
    text.setAttribute('x', String(x));
    text.setAttribute('y', String(height + 12));
    text.setAttribute('text-anchor', anchor);
    text.textContent = formatNumber(v);
    svg.append(text);
  }
  return svg as unknown as HTMLElement;
}

function renderStats(summary: TensorSummary): HTMLElement {
  const dl = document.createElement('dl');
  dl.className = 'stats';
  const rows: Array<[string, number | null]> = [
    ['min', summary.min], ['max', summary.max], ['mean', summary.mean], ['std', summary.std], ['‖·‖₂', summary.l2],
  ];
  for (const [name, value] of rows) {
    const dt = document.createElement('dt');
    dt.textContent = name;
    const dd = document.createElement('dd');
    dd.textContent = formatNumber(value);
    dd.dataset.stat = name;
    dl.append(dt, dd);
  }
  return dl;
}
