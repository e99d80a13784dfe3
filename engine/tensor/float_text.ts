// The shortest decimal spelling of a float: the digits NumPy and TF print, the fewest that read back to the same
// value in its dtype. Pure functions, shared by the tensor printer, the kernel's print() and the inspector.

/** Shortest decimal digits that read back as the same value in this dtype ('0.1' for the float32 nearest 0.1). */
export function shortestDecimal(x: number, dtype: 'float32' | 'float64'): string {
  if (dtype !== 'float32' || !Number.isFinite(x)) return String(x);
  for (let p = 1; p <= 9; p++) {
    const s = x.toPrecision(p);
    if (Math.fround(Number(s)) === x) return String(Number(s));
  }
  return String(x);
}

/**
 * Whether a JS number is a float32 read out into a double (numpy(), dataSync(), item() of a float32 tensor):
 * exactly a float32, with a shorter float32 spelling than its float64 one. Doubles computed in float64 are
 * almost never exactly a float32; those that are (0.5, 3) spell the same either way.
 */
export function isWidenedFloat32(x: number): boolean {
  return Number.isFinite(x) && Math.fround(x) === x && shortestDecimal(x, 'float32').length < String(x).length;
}

/** A JS number as its float prints: a widened float32 as the float32 (0.019732, not 0.019731998443603516). */
export function numberText(x: number): string {
  return isWidenedFloat32(x) ? shortestDecimal(x, 'float32') : String(x);
}
