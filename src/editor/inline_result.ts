// The text of the inline result after a cell: the value first (`→ 12.0`, `→ [2.0, 1.0]`,
// `→ (4, 3) float32 ‖·‖ 0.21`), then whatever fits, cut only between words. The whole repr goes to the hover
// and the output channel. Works on the repr the kernel sends (engine/tensor/format.ts), so it needs no engine.

/** Tensors with at most this many elements show their values inline; larger ones their shape, dtype and norm. */
const MAX_INLINE_ELEMENTS = 8;
/** The fewest characters an inline result is given, however long the line it follows. */
const MIN_BUDGET = 24;

const TENSOR_REPR = /<tf\.Tensor: shape=\(([^)]*)\), dtype=(\w+), numpy=([^>]*)>/g;
const VARIABLE_REPR = /<tf\.Variable '[^']*' shape=\(([^)]*)\) dtype=(\w+), numpy=([^>]*)>/g;

/** Characters an inline result may take after a line of `lineLength` characters, in an editor `columns` wide. */
export function inlineBudget(lineLength: number, columns: number): number {
  return Math.max(MIN_BUDGET, columns - lineLength - 4);
}

/** `→ value`: the cell's value, tensors shortened to their values or their summary, fitted to `budget`. */
export function inlineValueText(repr: string, budget: number): string {
  const short = oneLine(repr.replace(TENSOR_REPR, shortTensor).replace(VARIABLE_REPR, shortTensor));
  return fitToWords(`→ ${short}`, budget);
}

/** `✗ message (line n)`: the line stays whole, the message is cut between words. */
export function inlineErrorText(message: string, line: number | undefined, budget: number): string {
  const where = line === undefined ? '' : ` (line ${line})`;
  return `${fitToWords(`✗ ${oneLine(message)}`, Math.max(MIN_BUDGET, budget - where.length))}${where}`;
}

/** A notice (interrupted, restarted) after `■`, cut between words. */
export function inlineNoticeText(message: string, budget: number): string {
  return fitToWords(`■ ${oneLine(message)}`, budget);
}

/**
 * Cuts after the last whole word that fits, adding `…`. The leading symbol and the first word always show,
 * even past the budget (with its label, if it has one): a value is never cut (a tensor's summary is one word,
 * joined by no-break spaces).
 */
export function fitToWords(text: string, budget: number): string {
  if (text.length <= budget) return text;
  let firstWordEnd = text.indexOf(' ', text.indexOf(' ') + 1);
  // A label stays with its value ({'loss': 0.5, …).
  if (firstWordEnd > 0 && text[firstWordEnd - 1] === ':') firstWordEnd = text.indexOf(' ', firstWordEnd + 1);
  if (firstWordEnd < 0) return text;
  const cut = Math.max(text.lastIndexOf(' ', budget - 1), firstWordEnd);
  return `${text.slice(0, cut).replace(/[,;:\s]+$/, '')}…`;
}

function oneLine(text: string): string {
  return text.replace(/[ \t\n\r]+/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').trim();
}

function shortTensor(_match: string, shapeText: string, dtype: string, numpy: string): string {
  const shape = shapeText.split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  const size = shape.reduce((a, b) => a * b, 1);
  const values = numpy.trim().replace(/^array\(/, '').replace(/(,\s*dtype=\w+)?\)$/, '');
  if (shape.length === 0) return spellFloats(values);
  if (size <= MAX_INLINE_ELEMENTS) return `${spellFloats(oneLine(values)).replace(/\s*,\s*/g, ', ')}${dtype === 'float32' ? '' : ` ${dtype}`}`;
  const summary = `${shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(',\u00a0')})`}\u00a0${dtype}`;
  const numbers = values.includes('...') ? [] : (values.match(/-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?/gi) ?? []).map(Number);
  if (numbers.length !== size || dtype === 'bool') return summary;
  const norm = Math.sqrt(numbers.reduce((sum, v) => sum + v * v, 0));
  return `${summary}\u00a0‖·‖\u00a0${Number(norm.toPrecision(2))}`;
}

/** NumPy's `2.` and `1.  ` as `2.0` and `1.0`. */
function spellFloats(text: string): string {
  return text.replace(/(\d)\.(?!\d)/g, '$1.0');
}
