// Rank-4 tensors as small image grids for the inspector: activations (NHWC) as one tile per channel for the
// first images of the batch, conv filters (HWIO) as one tile per output channel for the first input channels.
// Bounded so a CNN step's trace stays small: at most 2×16 activation tiles of 16×16, 4×32 filter tiles.
import { IMAGE_GRID_LIMITS as LIMITS, type ImageGrid } from './trace_format';
const DIGITS = 3;

/** The grid of a rank-4 tensor's values laid out as `layout`. */
export function imageGrid(values: ArrayLike<number>, shape: readonly number[], layout: ImageGrid['layout']): ImageGrid {
  const [d0, d1, d2, d3] = shape;
  // NHWC: rows = images (d0), tile = d1×d2, cols = channels (d3). HWIO: tile = d0×d1, rows = in (d2), cols = out (d3).
  const [totalRows, height, width] = layout === 'NHWC' ? [d0, d1, d2] : [d2, d0, d1];
  const totalCols = d3;
  const limit = LIMITS[layout];
  const rows = Math.min(totalRows, limit.rows), cols = Math.min(totalCols, limit.cols);
  const tileHeight = Math.min(height, limit.tile), tileWidth = Math.min(width, limit.tile);
  const at = layout === 'NHWC'
    ? (r: number, y: number, x: number, c: number) => ((r * d1 + y) * d2 + x) * d3 + c
    : (r: number, y: number, x: number, c: number) => ((y * d1 + x) * d2 + r) * d3 + c;
  const out: number[] = new Array(rows * cols * tileHeight * tileWidth).fill(0);
  let k = 0;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      for (let ty = 0; ty < tileHeight; ty++) {
        const y0 = Math.floor((ty * height) / tileHeight), y1 = Math.floor(((ty + 1) * height) / tileHeight);
        for (let tx = 0; tx < tileWidth; tx++, k++) {
          const x0 = Math.floor((tx * width) / tileWidth), x1 = Math.floor(((tx + 1) * width) / tileWidth);
          let sum = 0, n = 0;
          for (let y = y0; y < y1; y++) {
            for (let x = x0; x < x1; x++) {
              const v = values[at(r, y, x, c)];
              if (Number.isFinite(v)) { sum += v; n++; }
            }
          }
          out[k] = n === 0 ? 0 : Number((sum / n).toPrecision(DIGITS));
        }
      }
    }
  }
  return { layout, rows, cols, totalRows, totalCols, tileHeight, tileWidth, sourceTile: [height, width], values: out };
}
