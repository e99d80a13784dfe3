// TensorBoard's scalar smoothing: an exponential moving average, debiased so the first points are
// not pulled towards zero. Non-finite values pass through unsmoothed and do not poison the average.

export function debiasedEma(values: readonly number[], weight: number): number[] {
  const out = new Array<number>(values.length);
  if (weight <= 0) {
    for (let i = 0; i < values.length; i++) out[i] = values[i];
    return out;
  }
  let last = 0;
  let accumulated = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = v;
      continue;
    }
    last = last * weight + (1 - weight) * v;
    accumulated++;
    const debias = weight === 1 ? 1 : 1 - weight ** accumulated;
    out[i] = last / debias;
  }
  return out;
}
