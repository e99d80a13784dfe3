// The small type guards both protocol validators (kernel_messages.ts, inspector_messages.ts) build their rules from.
// Each receiver checks what arrives with them before acting on it; the vocabularies come from trace_format.ts.

/** A message's fields, before they are checked. */
export type Fields = Record<string, unknown>;

export function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const isNumber = (v: unknown): v is number => typeof v === 'number';
export const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
export const isInt = (v: unknown): v is number => Number.isInteger(v);
export const isString = (v: unknown): v is string => typeof v === 'string';
export const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every(isString);
export const isShape = (v: unknown): v is number[] => Array.isArray(v) && v.every((d) => isInt(d) && (d as number) >= 0);
export const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every(isNumber);
/** Run ids count from 0. */
export const isRunId = (v: unknown): v is number => isInt(v) && (v as number) >= 0;

/** Whether `value` is one of a vocabulary declared `as const` in trace_format.ts. */
export function isOneOf<T extends string>(vocabulary: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (vocabulary as readonly string[]).includes(value);
}

/** {file, line, column} of a user's cell, as SourceLocation. */
export function isLocation(value: unknown): boolean {
  return isObject(value) && isString(value.file) && isNumber(value.line) && isNumber(value.column);
}
