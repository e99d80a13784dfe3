// TF's shape rules for sliding-window ops over NHWC images: strides, dilations and padding ('SAME', 'VALID'
// or explicit) resolved to a ConvGeometry, with TF's checks and error texts naming the op.
import type { ConvGeometry } from '../kernels/conv/conv_geometry';
import { formatShape } from './shape';

/**
 * 'SAME' (output ⌈in/stride⌉, zeros split evenly, the extra one after), 'VALID' (no padding), or explicit
 * [[0, 0], [top, bottom], [left, right], [0, 0]] (TF) / a number for every side (TF.js).
 */
export type Padding = 'SAME' | 'VALID' | 'same' | 'valid' | number | ReadonlyArray<readonly [number, number] | readonly number[]>;

/** A stride or dilation as TF accepts it: n, [h, w], or [1, h, w, 1]. */
export type Window = number | readonly number[];

/** [h, w] from n, [h, w] or [1, h, w, 1]; positive integers. */
export function windowPair(op: string, what: 'strides' | 'dilations' | 'ksize', value: Window | undefined): [number, number] {
  const v = value === undefined ? 1 : value;
  let pair: number[];
  if (typeof v === 'number') pair = [v, v];
  else if (v.length === 1) pair = [v[0], v[0]];
  else if (v.length === 2) pair = [v[0], v[1]];
  else if (v.length === 4) {
    if (v[0] !== 1 || v[3] !== 1) {
      throw new Error(`${op}: ${what} ${formatShape(v)}: ${what} in the batch and depth dimensions must be 1 (NHWC)`);
    }
    pair = [v[1], v[2]];
  } else throw new Error(`${op}: ${what} must be a number, [h, w] or [1, h, w, 1], got ${formatShape(v)}`);
  if (!pair.every((s) => Number.isInteger(s) && s > 0)) throw new Error(`${op}: ${what} must be positive integers, got ${formatShape(pair)}`);
  return [pair[0], pair[1]];
}

/** One spatial axis: output size and the zeros before it. */
function axisOutput(op: string, padding: Padding, axis: 0 | 1, inSize: number, filter: number, stride: number, dilation: number): { out: number; before: number } {
  const effective = (filter - 1) * dilation + 1;
  let out: number;
  let before = 0;
  if (typeof padding === 'string') {
    const mode = padding.toUpperCase();
    if (mode === 'SAME') {
      out = Math.ceil(inSize / stride);
      const total = Math.max((out - 1) * stride + effective - inSize, 0);
      before = Math.floor(total / 2);
      return { out, before };
    }
    if (mode !== 'VALID') throw new Error(`${op}: padding must be 'SAME', 'VALID' or explicit [[0, 0], [top, bottom], [left, right], [0, 0]], got "${padding}"`);
    out = Math.floor((inSize - effective) / stride) + 1;
  } else {
    const [lo, hi] = typeof padding === 'number' ? [padding, padding] : explicitPair(op, padding, axis);
    before = lo;
    out = Math.floor((inSize + lo + hi - effective) / stride) + 1;
  }
  if (out <= 0) {
    throw new Error(`${op}: computed output size would be ${out < 0 ? 'negative' : 'zero'}: ${out} [input_size: ${inSize}, effective_filter_size: ${effective}, stride: ${stride}]`);
  }
  return { out, before };
}

function explicitPair(op: string, padding: Exclude<Padding, string | number>, axis: 0 | 1): [number, number] {
  const pairs = padding.length === 4 ? padding : null;
  const ok = pairs !== null && pairs.every((p) => p.length === 2 && p.every((n) => Number.isInteger(n) && n >= 0));
  if (!ok) throw new Error(`${op}: explicit padding must be [[0, 0], [top, bottom], [left, right], [0, 0]] of non-negative integers, got ${JSON.stringify(padding)}`);
  if (pairs[0][0] !== 0 || pairs[0][1] !== 0 || pairs[3][0] !== 0 || pairs[3][1] !== 0) {
    throw new Error(`${op}: padding in the batch and depth dimensions must be zero, got ${JSON.stringify(padding)}`);
  }
  const p = pairs[axis + 1];
  return [p[0], p[1]];
}

export interface WindowSpec {
  filterHeight: number;
  filterWidth: number;
  strides: Window | undefined;
  dilations?: Window;
  padding: Padding;
}

/** The geometry of a window op on x [batch, h, w, channels] producing `outChannels`. */
export function windowGeometry(op: string, xShape: readonly number[], spec: WindowSpec, outChannels: number): ConvGeometry {
  const [batch, inHeight, inWidth, inChannels] = xShape;
  const [strideHeight, strideWidth] = windowPair(op, 'strides', spec.strides);
  const [dilationHeight, dilationWidth] = windowPair(op, 'dilations', spec.dilations);
  const rows = axisOutput(op, spec.padding, 0, inHeight, spec.filterHeight, strideHeight, dilationHeight);
  const cols = axisOutput(op, spec.padding, 1, inWidth, spec.filterWidth, strideWidth, dilationWidth);
  return {
    batch, inHeight, inWidth, inChannels, outHeight: rows.out, outWidth: cols.out, outChannels,
    filterHeight: spec.filterHeight, filterWidth: spec.filterWidth, strideHeight, strideWidth, dilationHeight, dilationWidth,
    padTop: rows.before, padLeft: cols.before,
  };
}

/** The attributes a window op records for the inspector: kernel size, strides, dilations, padding. */
export function windowAttrs(g: ConvGeometry, padding: Padding): Record<string, unknown> {
  return {
    kernelSize: [g.filterHeight, g.filterWidth],
    strides: [g.strideHeight, g.strideWidth],
    dilations: [g.dilationHeight, g.dilationWidth],
    padding: typeof padding === 'string' ? padding.toUpperCase() : typeof padding === 'number' ? [padding, padding, padding, padding] : padding.slice(1, 3).flat(),
  };
}
