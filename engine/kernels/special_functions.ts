// Scalar special functions the elementwise ops map over tensors (plain numbers in, numbers out).

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function to double precision: erf(x) = 2/√π · e^(-x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)).
 * Every term is positive, so the series loses nothing to cancellation; past |x| = 6, erf is ±1 in doubles.
 */
export function erf(x: number): number {
  if (x !== x) return x;
  const a = Math.abs(x);
  if (a >= 6) return Math.sign(x);
  const x2 = a * a;
  let term = a;
  let sum = a;
  for (let n = 0; n < 400 && term > sum * 1e-17; n++) {
    term *= (2 * x2) / (2 * n + 3);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, TWO_OVER_SQRT_PI * Math.exp(-x2) * sum);
}

/** log(sigmoid(x)) without overflow: -softplus(-x). */
export function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

/** Python's x // y for floats: floor of the quotient. */
export function floorDiv(a: number, b: number): number {
  return Math.floor(a / b);
}

/** Python's x % y: the remainder takes the divisor's sign (TF's floormod). */
export function floorMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}

/** Banker's rounding (half to even), as tf.round. */
export function roundHalfToEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
