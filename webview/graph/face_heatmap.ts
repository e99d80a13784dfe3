// Paints a face heatmap (node_face.ts's FaceMap) once into a PNG data URL that an SVG <image> shows:
// one element per map instead of one rect per cell, so a graph of small matrices stays light.
import type { FaceMap } from './node_face';

/** Red for positive, blue for negative (the details pane's scale), strength by |v| against the map's largest. */
export function heatmapColour(v: number, extent: number): string {
  if (!Number.isFinite(v)) return 'rgb(255, 0, 255)';
  const alpha = 0.08 + 0.92 * Math.min(1, Math.abs(v) / extent);
  return `rgba(${v >= 0 ? '230, 57, 70' : '59, 76, 192'}, ${alpha.toFixed(3)})`;
}

/** The largest finite |v| of a map (never 0, so an all-zero map paints faintly). */
export function heatmapExtent(cells: readonly number[]): number {
  let extent = 1e-30;
  for (const v of cells) if (Number.isFinite(v) && Math.abs(v) > extent) extent = Math.abs(v);
  return extent;
}

/** By map: node_face.ts hands out one FaceMap per tensor summary, so a redraw reuses the PNG. */
const painted = new WeakMap<FaceMap, string>();

/** The map as a PNG, one pixel per cell (the <image> scales it up with crisp edges). */
export function heatmapDataUrl(map: FaceMap): string {
  const had = painted.get(map);
  if (had) return had;
  const canvas = document.createElement('canvas');
  canvas.width = map.cols;
  canvas.height = map.rows;
  const ctx = canvas.getContext('2d')!;
  const extent = heatmapExtent(map.cells);
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.cols; c++) {
      ctx.fillStyle = heatmapColour(map.cells[r * map.cols + c], extent);
      ctx.fillRect(c, r, 1, 1);
    }
  }
  const url = canvas.toDataURL('image/png');
  painted.set(map, url);
  return url;
}
