// Scatter kernels for gatherNd/scatterNd: slices of `sliceSize` values addressed by linear slice indices.
import type { TypedArray } from '../tensor/dtype';

/** out[idx[i]] += updates[i] for each slice (duplicates add up, as tf.scatter_nd). */
export function scatterAddSlices(updates: TypedArray, indices: Int32Array, sliceSize: number, out: TypedArray): void {
  for (let i = 0; i < indices.length; i++) {
    const to = indices[i] * sliceSize;
    const from = i * sliceSize;
    for (let j = 0; j < sliceSize; j++) out[to + j] += updates[from + j];
  }
}

/** out[idx[i]] = updates[i] for each slice (the last write wins, as tf.tensor_scatter_nd_update on CPU). */
export function scatterSetSlices(updates: TypedArray, indices: Int32Array, sliceSize: number, out: TypedArray): void {
  for (let i = 0; i < indices.length; i++) {
    const to = indices[i] * sliceSize;
    const from = i * sliceSize;
    for (let j = 0; j < sliceSize; j++) out[to + j] = updates[from + j];
  }
}
