// NumPy-style text for tensor values, so a cell prints what the TF tutorials print:
// `tf.Tensor(12.0, shape=(), dtype=float32)` and
// `<tf.Tensor: shape=(4,), dtype=float32, numpy=array([0.5, 0.5, 0.5, 0.5], dtype=float32)>`.
import type { DType, TypedArray } from './dtype';
import { shortestDecimal } from './float_text';

const LINE_WIDTH = 75;
const SUMMARIZE_ABOVE = 1000; // numpy's default threshold
const EDGE_ITEMS = 3;
const PRECISION = 8;

/** Python's tuple spelling of a shape. */
export function formatShapeTuple(shape: readonly number[]): string {
  if (shape.length === 0) return '()';
  if (shape.length === 1) return `(${shape[0]},)`;
  return `(${shape.join(', ')})`;
}

function shortestDigits(x: number, dtype: DType): string {
  return shortestDecimal(x, dtype === 'float32' ? 'float32' : 'float64');
}

/** numpy's repr of one float scalar: '2.0', '-0.3333333', '1e-05', 'nan', 'inf'. */
export function formatFloatScalar(x: number, dtype: DType): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(x);
  if (abs >= 1e16 || abs < 1e-4) {
    const [mant, exp] = Number(shortestDigits(x, dtype)).toExponential().split('e');
    const e = Number(exp);
    return `${mant}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  const s = positional(x, dtype);
  return s.includes('.') ? s : `${s}.0`;
}

/** Positional digits, unique for the dtype, at most PRECISION fractional digits. */
function positional(x: number, dtype: DType): string {
  let s = shortestDigits(x, dtype);
  if (s.includes('e')) s = x.toFixed(PRECISION);
  const dot = s.indexOf('.');
  if (dot >= 0 && s.length - dot - 1 > PRECISION) {
    s = x.toFixed(PRECISION).replace(/0+$/, '');
  }
  return s;
}

type ElementFormatter = (x: number) => string;

/** Builds one formatter for all elements, as numpy does: common padding, maxprec digits. */
function makeFormatter(values: ArrayLike<number>, indices: number[], dtype: DType): ElementFormatter {
  if (dtype === 'bool') {
    const anyTrue = indices.some((i) => values[i]);
    const width = anyTrue && indices.some((i) => !values[i]) ? 5 : anyTrue ? 4 : 5;
    return (x) => (x ? 'True' : 'False').padStart(width);
  }
  if (dtype === 'int32') {
    let width = 1;
    for (const i of indices) width = Math.max(width, String(values[i]).length);
    return (x) => String(x).padStart(width);
  }
  const finite = indices.map((i) => values[i]).filter((v) => Number.isFinite(v));
  const special = indices.some((i) => !Number.isFinite(values[i]));
  const absNonZero = finite.map(Math.abs).filter((v) => v > 0);
  const maxAbs = absNonZero.length ? Math.max(...absNonZero) : 0;
  const minAbs = absNonZero.length ? Math.min(...absNonZero) : 0;
  const scientific = absNonZero.length > 0 && (maxAbs >= 1e8 || minAbs < 1e-4 || maxAbs / minAbs > 1e3);
  const specialText = (x: number) => (Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf');

  if (scientific) {
    const parts = finite.map((v) => {
      const [m, e] = Number(shortestDigits(v, dtype)).toExponential().split('e');
      const mant = Number(m).toString();
      return { mant: mant.includes('.') ? mant : `${mant}.`, exp: Number(e) };
    });
    let fracWidth = 0;
    let intWidth = 0;
    let expWidth = 2;
    for (const p of parts) {
      const [i, f] = p.mant.split('.');
      fracWidth = Math.max(fracWidth, f.length);
      intWidth = Math.max(intWidth, i.length);
      expWidth = Math.max(expWidth, String(Math.abs(p.exp)).length);
    }
    const width = intWidth + 1 + fracWidth + 2 + expWidth;
    return (x) => {
      if (!Number.isFinite(x)) return specialText(x).padStart(width);
      const [m, e] = Number(shortestDigits(x, dtype)).toExponential().split('e');
      const mant = Number(m).toString();
      const [i, f = ''] = mant.split('.');
      const exp = Number(e);
      return `${i.padStart(intWidth)}.${f.padEnd(fracWidth, '0')}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(expWidth, '0')}`;
    };
  }

  let intWidth = 0;
  let fracWidth = 0;
  for (const v of finite) {
    const s = positional(v, dtype);
    const [i, f = ''] = s.split('.');
    intWidth = Math.max(intWidth, i.length);
    fracWidth = Math.max(fracWidth, f.length);
  }
  if (special) {
    // numpy: 'nan'/'inf' (with '-' when a -inf is present) must fit in int + '.' + fraction
    const negInf = indices.some((i) => values[i] === -Infinity);
    intWidth = Math.max(intWidth, 3 - (fracWidth + 1), 3 + (negInf ? 1 : 0) - (fracWidth + 1));
  }
  return (x) => {
    if (!Number.isFinite(x)) return specialText(x).padStart(intWidth + 1 + fracWidth);
    const s = positional(x, dtype);
    const [i, f = ''] = s.split('.');
    return `${i.padStart(intWidth)}.${f.padEnd(fracWidth)}`;
  };
}

/** Flat indices that a summarised view shows (all of them when the tensor is small). */
function shownIndices(shape: readonly number[], summarize: boolean): number[] {
  const out: number[] = [];
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  const walk = (axis: number, offset: number) => {
    if (axis === shape.length) { out.push(offset); return; }
    const n = shape[axis];
    for (let i = 0; i < n; i++) {
      if (summarize && n > 2 * EDGE_ITEMS && i === EDGE_ITEMS) i = n - EDGE_ITEMS;
      walk(axis + 1, offset + i * strides[axis]);
    }
  };
  walk(0, 0);
  return out;
}

/**
 * numpy's array text. `separator` is ', ' for repr and ' ' for str; `prefix` is what stands before the
 * first '[' on the first line (its width indents continuation lines).
 */
export function formatArrayBody(values: TypedArray, shape: readonly number[], dtype: DType, separator: string, prefix: string): string {
  const size = values.length;
  const summarize = size > SUMMARIZE_ABOVE;
  const indices = shownIndices(shape, summarize);
  const fmt = makeFormatter(values, indices, dtype);
  if (shape.length === 0) return fmt(values[0]).trim();
  const strides: number[] = [];
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) { strides[i] = s; s *= shape[i]; }
  const trimmedSep = separator.trimEnd();

  const block = (axis: number, offset: number, indent: string): string => {
    const n = shape[axis];
    const skip = summarize && n > 2 * EDGE_ITEMS;
    if (axis === shape.length - 1) {
      // one row of numbers, wrapped at the line width
      const items: string[] = [];
      for (let i = 0; i < n; i++) {
        if (skip && i === EDGE_ITEMS) { items.push('...'); i = n - EDGE_ITEMS; }
        items.push(fmt(values[offset + i * strides[axis]]));
      }
      const lines: string[] = [];
      let line = '[';
      for (let k = 0; k < items.length; k++) {
        const piece = items[k] + (k < items.length - 1 ? trimmedSep : ']');
        const candidate = line.length > 1 ? `${line} ${piece}` : line + piece;
        if ((lines.length === 0 ? indent.length : indent.length + 1) + candidate.length > LINE_WIDTH && line.length > 1) {
          lines.push(line);
          line = ' ' + piece;
        } else {
          line = candidate;
        }
      }
      lines.push(line);
      return lines.join('\n' + indent);
    }
    const inner: string[] = [];
    for (let i = 0; i < n; i++) {
      if (skip && i === EDGE_ITEMS) { inner.push('...'); i = n - EDGE_ITEMS; }
      inner.push(block(axis + 1, offset + i * strides[axis], indent + ' '));
    }
    const gap = trimmedSep + '\n'.repeat(shape.length - 1 - axis) + indent + ' ';
    return '[' + inner.join(gap) + ']';
  };
  return block(0, 0, ' '.repeat(prefix.length));
}

/** numpy's str(): '[0.5 0.5]', '12.0'. */
export function formatNumpyStr(values: TypedArray, shape: readonly number[], dtype: DType): string {
  if (shape.length === 0) return formatScalar(values[0], dtype);
  return formatArrayBody(values, shape, dtype, ' ', '');
}

/** numpy's repr() as TF shows it after `numpy=`: '2.0' for scalars, 'array([...], dtype=float32)' otherwise. */
export function formatNumpyRepr(values: TypedArray, shape: readonly number[], dtype: DType): string {
  if (shape.length === 0) return formatScalar(values[0], dtype);
  const body = formatArrayBody(values, shape, dtype, ', ', 'array(');
  const dtypeNote = dtype === 'float64' || dtype === 'bool' ? '' : `, dtype=${dtype}`;
  return `array(${body}${dtypeNote})`;
}

export function formatScalar(x: number, dtype: DType): string {
  if (dtype === 'bool') return x ? 'True' : 'False';
  if (dtype === 'int32') return String(x);
  return formatFloatScalar(x, dtype);
}

/** TF puts multi-line numpy text on its own line. */
export function numpyText(text: string): string {
  return text.includes('\n') ? `\n${text}` : text;
}
