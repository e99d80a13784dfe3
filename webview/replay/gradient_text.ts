// How the replay writes a gradient: the number for a scalar, the values when few, else the shape and norm.
import type { TensorSummary } from '../../engine/trace/trace_format';
import { formatNumber } from '../number_format';

export function summaryText(s: TensorSummary): string {
  if (s.values && s.size === 1) return formatNumber(s.values[0]);
  if (s.values && s.size <= 6) return `[${s.values.map(formatNumber).join(', ')}]`;
  return `${s.shape.join('×')} ‖·‖ ${formatNumber(s.l2)}`;
}

/** An edge's label in the graph: the value for scalars, the norm otherwise. */
export function edgeLabelText(s: TensorSummary): string {
  return s.values && s.size === 1 ? formatNumber(s.values[0]) : `‖${formatNumber(s.l2)}‖`;
}
