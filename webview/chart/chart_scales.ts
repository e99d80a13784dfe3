// The training chart's axes as a pure function of the points drawn: the domains (finite values only; on
// a log axis only positive ones; an empty or flat series still gets a usable range) and the d3 scales.
import { scaleLinear, scaleLog, scaleTime, type ScaleLinear, type ScaleLogarithmic } from 'd3-scale';
import { extent } from 'd3-array';

export interface PlottedSeries { xs: readonly number[]; ys: readonly number[] }

export interface ScaleOptions { logX: boolean; logY: boolean; wallTime: boolean; width: number; height: number }

/** A value drawn on an axis: finite, and positive on a log axis. */
export const usableOn = (v: number, log: boolean): boolean => Number.isFinite(v) && (!log || v > 0);

function domainOf(values: number[], log: boolean, widenFlat: 'up' | 'both'): [number, number] {
  let [lo, hi] = extent(values) as [number | undefined, number | undefined];
  if (lo === undefined || hi === undefined) return log ? [1, 10] : [0, 1];
  if (lo === hi) {
    if (widenFlat === 'up') hi = log ? lo * 10 : lo + 1;
    else { lo = log ? lo / 10 : lo - 1; hi = log ? hi * 10 : hi + 1; }
  }
  return [lo, hi];
}

/** The x and y domains of every usable point of every series (a flat y range is widened both ways). */
export function chartDomains(series: readonly PlottedSeries[], logX: boolean, logY: boolean): { x: [number, number]; y: [number, number] } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const s of series) {
    for (let i = 0; i < s.xs.length; i++) {
      if (usableOn(s.xs[i], logX)) xs.push(s.xs[i]);
      if (usableOn(s.ys[i], logY)) ys.push(s.ys[i]);
    }
  }
  return { x: domainOf(xs, logX, 'up'), y: domainOf(ys, logY, 'both') };
}

export interface ChartScales {
  /** d3 scales for the axes. */
  xScale: ((v: number) => number) & { invert(px: number): number | Date };
  yScale: ScaleLinear<number, number> | ScaleLogarithmic<number, number>;
  /** Pixel of a value, NaN where the axis cannot show it (a gap in the line). */
  toX(v: number): number;
  toY(v: number): number;
  invertX(px: number): number;
}

export function chartScales(series: readonly PlottedSeries[], o: ScaleOptions): ChartScales {
  const logX = o.logX && !o.wallTime;
  const { x, y } = chartDomains(series, logX, o.logY);
  const xScale = (o.wallTime
    ? scaleTime().domain([new Date(x[0]), new Date(x[1])]).range([0, o.width])
    : (logX ? scaleLog() : scaleLinear()).domain(x).range([0, o.width])) as unknown as ChartScales['xScale'];
  const yScale: ChartScales['yScale'] = (o.logY ? scaleLog<number, number>() : scaleLinear<number, number>()).domain(y).range([o.height, 0]);
  if (!o.logY) (yScale as ScaleLinear<number, number>).nice();
  return {
    xScale, yScale,
    toX: (v) => (usableOn(v, logX) ? xScale(v) : NaN),
    toY: (v) => (usableOn(v, o.logY) ? yScale(v) : NaN),
    invertX: (px) => Number(xScale.invert(px)),
  };
}
