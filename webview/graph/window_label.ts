// How a sliding-window op (convolution, pooling) reads on its node and in its details: the kernel size,
// strides, padding and dilations from the node's trace attributes, e.g. "Conv2D 3×3 /1 VALID" on the node and
// "kernel 3×3 · strides 1×1 · padding VALID" in the details. Every other op keeps its plain name.
import type { TraceNode } from '../../engine/trace/trace_format';

type Attrs = Record<string, unknown>;

function pair(value: unknown): [number, number] | null {
  return Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number') ? [value[0], value[1]] : null;
}

/** 3×3 for [3, 3]; one number when both axes agree and `short`. */
function pairText(p: [number, number], short: boolean): string {
  return short && p[0] === p[1] ? String(p[0]) : `${p[0]}×${p[1]}`;
}

/** 'SAME', 'VALID', or explicit [top, bottom, left, right] as "pad t1 b1 l0 r2". */
function paddingText(padding: unknown): string | null {
  if (typeof padding === 'string') return padding;
  if (Array.isArray(padding) && padding.length === 4 && padding.every((v) => typeof v === 'number')) {
    const [t, b, l, r] = padding as number[];
    return `pad t${t} b${b} l${l} r${r}`;
  }
  return null;
}

/** The op's name with its window ("Conv2D 3×3 /1 VALID", "MaxPool 2×2 /2 VALID", "… d2" when dilated). */
export function opLabel(node: Pick<TraceNode, 'op' | 'attrs'>): string {
  const attrs: Attrs = node.attrs ?? {};
  const kernel = pair(attrs.kernelSize);
  if (!kernel) return node.op;
  const parts = [node.op, pairText(kernel, false)];
  const strides = pair(attrs.strides);
  if (strides) parts.push(`/${pairText(strides, true)}`);
  const padding = paddingText(attrs.padding);
  if (padding) parts.push(padding);
  const dilations = pair(attrs.dilations);
  if (dilations && (dilations[0] !== 1 || dilations[1] !== 1)) parts.push(`d${pairText(dilations, true)}`);
  return parts.join(' ');
}

const ATTR_NAMES: Record<string, string> = { kernelSize: 'kernel', strides: 'strides', dilations: 'dilations', padding: 'padding' };

/** The node's attributes as readable name/value rows (window attributes first, the rest as compact JSON). */
export function attrRows(attrs: Attrs | undefined): Array<[string, string]> {
  if (!attrs) return [];
  const rows: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(attrs)) {
    const p = pair(value);
    if (key in ATTR_NAMES && p) rows.push([ATTR_NAMES[key], pairText(p, false)]);
    else if (key === 'padding' && paddingText(value)) rows.push(['padding', paddingText(value)!]);
    else rows.push([key, typeof value === 'string' ? value : JSON.stringify(value)]);
  }
  return rows;
}
