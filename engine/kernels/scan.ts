// Cumulative sums and products along one axis of a [outer, len, inner] layout, optionally exclusive/reversed.
import type { TypedArray } from '../tensor/dtype';

export function scanKernel(x: TypedArray, out: TypedArray, outer: number, len: number, inner: number, product: boolean, exclusive: boolean, reverse: boolean): void {
  const identity = product ? 1 : 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let acc = identity;
      for (let s = 0; s < len; s++) {
        const k = reverse ? len - 1 - s : s;
        const at = (o * len + k) * inner + i;
        if (exclusive) {
          out[at] = acc;
          acc = product ? acc * x[at] : acc + x[at];
        } else {
          acc = product ? acc * x[at] : acc + x[at];
          out[at] = acc;
        }
      }
    }
  }
}
