// Sorting rows: the permutation that sorts each row of a [rows, n] layout (stable; NaN sorts last, as NumPy).
export function argsortRows(x: ArrayLike<number>, rows: number, n: number, descending: boolean, out: Int32Array): void {
  const order = new Array<number>(n);
  for (let r = 0; r < rows; r++) {
    const base = r * n;
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((i, j) => {
      const a = x[base + i], b = x[base + j];
      if (a !== a || b !== b) return (a !== a ? 1 : 0) - (b !== b ? 1 : 0) || i - j;
      return (descending ? b - a : a - b) || i - j;
    });
    for (let i = 0; i < n; i++) out[base + i] = order[i];
  }
}
