// A rank-4 tensor drawn as small images: for activations a row per image of the batch and a tile per channel,
// for conv filters a row per input channel and a tile per output channel (engine/trace/image_grid.ts chooses).
// Colours as in the heatmap: red > 0, blue < 0, white where the value is exactly zero — so a filter's dead
// gradient or max pooling's unused inputs show as blank space.
import type { ImageGrid } from '../../engine/trace/trace_format';
import { formatNumber } from '../number_format';

/** Red for positive, blue for negative, opacity by magnitude against `extent`; zero is fully transparent (white). */
function paint(data: Uint8ClampedArray, at: number, v: number, extent: number): void {
  const strength = Math.min(1, Math.abs(v) / extent);
  const [r, g, b] = v >= 0 ? [230, 57, 70] : [59, 76, 192];
  // blend onto white so the tile reads the same on light and dark themes
  data[at] = 255 + (r - 255) * strength;
  data[at + 1] = 255 + (g - 255) * strength;
  data[at + 2] = 255 + (b - 255) * strength;
  data[at + 3] = 255;
}

function tile(grid: ImageGrid, index: number, extent: number, label: string): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.className = 'image-tile';
  canvas.width = grid.tileWidth;
  canvas.height = grid.tileHeight;
  canvas.title = label;
  const ctx = canvas.getContext('2d');
  if (ctx === null) return canvas;
  const image = ctx.createImageData(grid.tileWidth, grid.tileHeight);
  const size = grid.tileWidth * grid.tileHeight;
  for (let i = 0; i < size; i++) paint(image.data, i * 4, grid.values[index * size + i], extent);
  ctx.putImageData(image, 0, 0);
  return canvas;
}

/** The grid as a figure of labelled tile rows, with a caption saying what is shown and what was left out. */
export function renderImageGrid(grid: ImageGrid): HTMLElement {
  const figure = document.createElement('figure');
  figure.className = 'image-grid';
  figure.dataset.layout = grid.layout;
  const filters = grid.layout === 'HWIO';
  const rowName = filters ? 'input channel' : 'image';
  const colName = filters ? 'filter' : 'channel';
  figure.setAttribute('role', 'img');
  figure.setAttribute('aria-label', `${grid.rows} ${rowName}${grid.rows === 1 ? '' : 's'} × ${grid.cols} ${colName}s as ${grid.sourceTile.join('×')} images`);
  const extent = Math.max(1e-30, ...grid.values.map(Math.abs));
  for (let r = 0; r < grid.rows; r++) {
    const row = document.createElement('div');
    row.className = 'image-grid-row';
    const name = document.createElement('span');
    name.className = 'image-grid-label';
    name.textContent = filters ? `in ${r}` : `#${r}`;
    row.append(name);
    for (let c = 0; c < grid.cols; c++) row.append(tile(grid, r * grid.cols + c, extent, `${rowName} ${r}, ${colName} ${c}`));
    figure.append(row);
  }
  const caption = document.createElement('figcaption');
  const shown = filters
    ? `${grid.cols} of ${grid.totalCols} filters (${grid.sourceTile.join('×')}), ${grid.rows === 1 ? 'input channel 0' : `input channels 0–${grid.rows - 1}`} of ${grid.totalRows}`
    : `first ${grid.rows} of ${grid.totalRows} image${grid.totalRows === 1 ? '' : 's'}, ${grid.cols} of ${grid.totalCols} channels (${grid.sourceTile.join('×')})`;
  const averaged = grid.tileHeight < grid.sourceTile[0] || grid.tileWidth < grid.sourceTile[1] ? `, averaged to ${grid.tileHeight}×${grid.tileWidth}` : '';
  caption.textContent = `${shown}${averaged}; red > 0, blue < 0, white = 0, ±${formatNumber(extent)} full colour`;
  figure.append(caption);
  return figure;
}
