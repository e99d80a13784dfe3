// How the kernel shows values: Python-like `print`, and the full / short views of a cell's last value.
// Tensors are recognised by shape (repr + dataSync) so this file needs no engine import.
import { inspect } from 'node:util';

interface TensorLike { repr(): string; toString(): string; dataSync(): unknown }

export function isTensorLike(value: unknown): value is TensorLike {
  return typeof value === 'object' && value !== null
    && typeof (value as TensorLike).repr === 'function' && typeof (value as TensorLike).dataSync === 'function';
}

function isVariableLike(value: TensorLike): boolean {
  return typeof (value as { assign?: unknown }).assign === 'function';
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A short repr of a function or a Node handle (timer, promise) instead of its internals, else undefined. */
function handleRepr(value: object | ((...args: unknown[]) => unknown)): string | undefined {
  if (typeof value === 'function') {
    const name = value.name || 'anonymous';
    return /^class[\s{]/.test(Function.prototype.toString.call(value)) ? `<class ${name}>` : `<function ${name}>`;
  }
  if (value instanceof Promise) {
    // "Promise { <pending> }", "Promise { 42, [Symbol(async_id_symbol)]: 7 }" (with async hooks on)
    const inner = inspect(value, { depth: 0, breakLength: Infinity }).replace(/^Promise \{\s*/, '').replace(/(, \[Symbol\(.*)?\s*\}$/, '');
    if (inner.startsWith('<pending>')) return '<Promise pending>';
    return inner.startsWith('<rejected>') ? '<Promise rejected>' : `<Promise fulfilled: ${inner}>`;
  }
  const kind = value.constructor?.name;
  if (kind === 'Timeout') {
    const t = value as { _idleTimeout?: number; _repeat?: number | null; _destroyed?: boolean };
    return t._destroyed ? '<Timeout done>' : `<Timeout ${t._repeat ? `every ${t._repeat} ms` : `after ${t._idleTimeout} ms`}>`;
  }
  if (kind === 'Immediate') return '<Immediate>';
  return undefined;
}

/** Python's repr() of a value: what a REPL echoes and what appears inside a printed list. */
export function reprValue(value: unknown, seen = new Set<object>()): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return handleRepr(value)!;
  if (typeof value !== 'object') return inspect(value);
  if (isTensorLike(value)) return value.repr();
  const handle = handleRepr(value);
  if (handle !== undefined) return handle;
  if (seen.has(value)) return Array.isArray(value) ? '[...]' : '{...}';
  seen.add(value);
  try {
    if (Array.isArray(value)) return `[${value.map((v) => reprValue(v, seen)).join(', ')}]`;
    if (isPlainObject(value)) {
      const entries = Object.entries(value).map(([k, v]) => `'${k}': ${reprValue(v, seen)}`);
      return `{${entries.join(', ')}}`;
    }
    return inspect(value, { depth: 3, breakLength: 100 });
  } finally {
    seen.delete(value);
  }
}

/** str() of one print() argument: a tensor prints as TF's print(t), a Variable as its repr. */
export function strValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isTensorLike(value)) return isVariableLike(value) ? value.repr() : value.toString();
  return reprValue(value);
}

/** Python-like print(): arguments' str() joined by spaces. */
export function formatPrint(args: unknown[]): string {
  return args.map((a) => strValue(a)).join(' ');
}

/** Arguments for console.* with tensors shown as TF prints them instead of as object internals. */
export function consoleArgs(args: unknown[]): unknown[] {
  return args.map((a) => (isTensorLike(a) ? { [inspect.custom]: () => strValue(a) } : a));
}

/** One line, cut to `max` characters, for the inline decoration. */
export function shortValue(full: string, max = 100): string {
  const oneLine = full.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
