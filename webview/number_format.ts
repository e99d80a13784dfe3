// How numbers read in the inspector: like TF's numpy print, short but never hiding magnitude.
import { isWidenedFloat32, shortestDecimal } from '../engine/tensor/float_text';

export function formatNumber(value: number | string | null): string {
  if (value === null) return 'NaN';
  if (typeof value === 'string') return value === 'Infinity' ? 'inf' : value === '-Infinity' ? '-inf' : 'nan';
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  if (value === 0) return '0';
  const abs = Math.abs(value);
  if (abs >= 1e5 || abs < 1e-4) return value.toExponential(3);
  // A float32 value as TF prints it (its shortest float32 digits); other doubles to 6 significant digits.
  if (isWidenedFloat32(value)) return shortestDecimal(value, 'float32');
  return Number(value.toPrecision(6)).toString();
}

/** Numeric value of a summary entry ('NaN'/'Infinity' strings decoded). */
export function decodeValue(value: number | string): number {
  if (typeof value === 'number') return value;
  return value === 'Infinity' ? Infinity : value === '-Infinity' ? -Infinity : NaN;
}
