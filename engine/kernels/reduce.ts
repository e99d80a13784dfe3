// Reductions over a contiguous run of axes, seen as [outer, reduced, inner]: no per-element index arithmetic.
// Reductions over scattered axes are done by the op as a transpose followed by one contiguous reduction.
import type { TypedArray } from '../tensor/dtype';

export type ReduceKind = 'sum' | 'max' | 'min' | 'prod';

export function reduceContiguous(x: TypedArray, out: TypedArray, outer: number, reduced: number, inner: number, kind: ReduceKind): void {
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * reduced;
      let acc = kind === 'sum' ? 0 : kind === 'prod' ? 1 : x[base];
      if (kind === 'sum') for (let k = 0; k < reduced; k++) acc += x[base + k];
      else if (kind === 'max') for (let k = 1; k < reduced; k++) { const v = x[base + k]; if (v > acc || v !== v) acc = v; }
      else if (kind === 'min') for (let k = 1; k < reduced; k++) { const v = x[base + k]; if (v < acc || v !== v) acc = v; }
      else for (let k = 0; k < reduced; k++) acc *= x[base + k];
      out[o] = reduced === 0 ? (kind === 'sum' ? 0 : kind === 'prod' ? 1 : kind === 'max' ? -Infinity : Infinity) : acc;
    }
    return;
  }
  const acc = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * reduced * inner;
    if (reduced === 0) acc.fill(kind === 'sum' ? 0 : kind === 'prod' ? 1 : kind === 'max' ? -Infinity : Infinity);
    else for (let i = 0; i < inner; i++) acc[i] = x[base + i];
    for (let k = 1; k < reduced; k++) {
      const row = base + k * inner;
      if (kind === 'sum') for (let i = 0; i < inner; i++) acc[i] += x[row + i];
      else if (kind === 'max') for (let i = 0; i < inner; i++) { const v = x[row + i]; if (v > acc[i] || v !== v) acc[i] = v; }
      else if (kind === 'min') for (let i = 0; i < inner; i++) { const v = x[row + i]; if (v < acc[i] || v !== v) acc[i] = v; }
      else for (let i = 0; i < inner; i++) acc[i] *= x[row + i];
    }
    const dst = o * inner;
    for (let i = 0; i < inner; i++) out[dst + i] = acc[i];
  }
}

/** Sums into means, in place: v / count, truncated for integers (TF's integer mean). */
export function divideByCount(v: TypedArray, count: number, integer: boolean): void {
  if (integer) for (let i = 0; i < v.length; i++) v[i] = Math.trunc(v[i] / count);
  else for (let i = 0; i < v.length; i++) v[i] = v[i] / count;
}

/** Index of the largest (or smallest) value along the middle axis of [outer, reduced, inner]; first one wins ties. */
export function argReduce(x: TypedArray, out: TypedArray, outer: number, reduced: number, inner: number, largest: boolean): void {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * reduced * inner + i;
      let best = x[base];
      let bestK = 0;
      for (let k = 1; k < reduced; k++) {
        const v = x[base + k * inner];
        if (largest ? v > best : v < best) { best = v; bestK = k; }
      }
      out[o * inner + i] = bestK;
    }
  }
}
