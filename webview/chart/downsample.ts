// Downsampling for drawing only: per pixel column keep the first, lowest, highest and last point,
// so spikes and the line's envelope survive while a 100,000-point series draws as ~4 points a pixel.

export interface PixelPoint { x: number; y: number }

/** `xs`/`ys` are already in pixels (NaN y = gap). Returns the points to draw, in order. */
export function minMaxPerPixel(xs: ArrayLike<number>, ys: ArrayLike<number>): PixelPoint[] {
  const out: PixelPoint[] = [];
  let column = NaN;
  let first = -1; let low = -1; let high = -1; let last = -1;
  const flush = (): void => {
    if (first < 0) return;
    const picked = [first, low, high, last].filter((v, i, all) => all.indexOf(v) === i).sort((a, b) => a - b);
    for (const i of picked) out.push({ x: xs[i], y: ys[i] });
    first = -1;
  };
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    if (!Number.isFinite(x)) continue;
    if (!Number.isFinite(y)) {
      // A gap must stay a gap: flush what came before and draw the break.
      flush();
      out.push({ x, y: NaN });
      column = NaN;
      continue;
    }
    const c = Math.floor(x);
    if (c !== column) {
      flush();
      column = c;
      first = low = high = last = i;
      continue;
    }
    if (y < ys[low]) low = i;
    if (y > ys[high]) high = i;
    last = i;
  }
  flush();
  return out;
}
