// Colours by gradient magnitude on a log scale, so a vanishing (1e-9) and an exploding (1e+6)
// gradient sit at opposite ends however many decades lie between them.
import { scaleLog, type ScaleLogarithmic } from 'd3-scale';
import type { TensorSummary } from '../../engine/trace/trace_format';

/** Root-mean-square of the gradient: one number per tensor that does not grow with its size. */
export function gradientMagnitude(grad: TensorSummary | null | undefined): number | undefined {
  if (!grad || grad.size === 0 || grad.l2 === null || !Number.isFinite(grad.l2)) return undefined;
  return grad.l2 / Math.sqrt(grad.size);
}

/** Dark blue (vanishing) through teal and yellow to red (exploding); readable on dark and light themes. */
const RAMP = ['#3b4cc0', '#2a9d8f', '#e9c46a', '#e63946'];

export interface GradientColour {
  colour(grad: TensorSummary | null | undefined): string | undefined;
  domain: [number, number];
  ramp: string[];
}

export function gradientColourScale(grads: Array<TensorSummary | null | undefined>): GradientColour | undefined {
  const magnitudes = grads.map(gradientMagnitude).filter((m): m is number => m !== undefined && m > 0);
  if (magnitudes.length === 0) return undefined;
  let lo = Math.min(...magnitudes);
  let hi = Math.max(...magnitudes);
  if (lo === hi) { lo /= 10; hi *= 10; }
  const logLo = Math.log10(lo);
  const step = (Math.log10(hi) - logLo) / (RAMP.length - 1);
  const scale: ScaleLogarithmic<string, string> = scaleLog<string>()
    .domain(RAMP.map((_, i) => 10 ** (logLo + i * step)))
    .range(RAMP)
    .clamp(true);
  return {
    domain: [lo, hi],
    ramp: RAMP,
    colour(grad) {
      const m = gradientMagnitude(grad);
      if (m === undefined) return undefined;
      return m === 0 ? 'var(--ts-zero-grad)' : scale(m);
    },
  };
}
