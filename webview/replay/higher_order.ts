// Higher order, read from the traces: which of a tape's nodes another tape's gradient() recorded (a nested tape's
// backward pass, grouped and linked to it), the matrix of second derivatives an outer tape took of an inner
// tape's gradients (a Hessian, with None where no path exists), and tape.jacobian / batchJacobian matrices.
import type { TapeTrace, TensorSummary } from '../../engine/trace/trace_format';
import { tensorDisplayName } from '../graph/names';
import { decodeValue } from '../number_format';

/** The nodes of one tape recorded while another tape computed a gradient. */
export interface GradientGroup {
  innerTapeId: number;
  /** "gradient of y w.r.t. x (tape 3)" */
  label: string;
  nodeIds: string[];
}

export interface GradientMatrix {
  /** "Hessian of z" */
  title: string;
  rowNames: string[];
  colNames: string[];
  /** rows × cols, null where the gradient is None. */
  cells: Array<Array<TensorSummary | null>>;
}

function gradientCallText(tape: TapeTrace): string {
  const call = tape.gradientCalls[0];
  if (!call) return `gradient (${tape.label})`;
  const names = (ids: number[]): string => ids.map((id) => tensorDisplayName(tape, id)).join(', ');
  return `gradient of ${names(call.targets)} w.r.t. ${names(call.sources)} (${tape.label})`;
}

/** Groups of `outer`'s nodes by the tape whose gradient() recorded them, labelled by that gradient call. */
export function gradientGroups(outer: TapeTrace, tapes: readonly TapeTrace[]): GradientGroup[] {
  const byTape = new Map<number, string[]>();
  for (const node of outer.nodes) {
    const of = node.recordedDuringGradientOf;
    if (of === undefined || of === outer.tapeId) continue;
    byTape.set(of, [...(byTape.get(of) ?? []), node.id]);
  }
  return [...byTape].map(([innerTapeId, nodeIds]) => {
    const inner = tapes.find((t) => t.tapeId === innerTapeId);
    return { innerTapeId, nodeIds, label: inner ? gradientCallText(inner) : `gradient (tape ${innerTapeId})` };
  });
}

/** The tapes that recorded `inner`'s gradient computation. */
export function recordedBy(inner: TapeTrace, tapes: readonly TapeTrace[]): TapeTrace[] {
  return tapes.filter((t) => t.tapeId !== inner.tapeId && t.nodes.some((n) => n.recordedDuringGradientOf === inner.tapeId));
}

/**
 * The second derivatives `outer` took of an inner tape's gradients: row i for the inner gradient with respect to
 * its i-th source, a column per source of the outer calls. Undefined unless every such outer call has the same sources.
 */
export function hessianMatrix(outer: TapeTrace, tapes: readonly TapeTrace[]): GradientMatrix | undefined {
  const rows: Array<{ name: string; order: number; cells: Array<TensorSummary | null> }> = [];
  let sources: number[] | undefined;
  let of: string | undefined;
  for (const call of outer.gradientCalls) {
    if (call.targets.length !== 1 || !call.results) continue;
    const target = call.targets[0];
    for (const inner of tapes) {
      if (inner.tapeId === outer.tapeId) continue;
      const innerCall = inner.gradientCalls.find((c) => c.results?.some((r) => r?.tensor === target));
      if (!innerCall) continue;
      if (sources !== undefined && sources.join() !== call.sources.join()) return undefined;
      sources = call.sources;
      const k = innerCall.results!.findIndex((r) => r?.tensor === target);
      of = innerCall.targets.map((id) => tensorDisplayName(inner, id)).join(', ');
      rows.push({ name: tensorDisplayName(inner, innerCall.sources[k]), order: k, cells: call.results.map((r) => r?.value ?? null) });
      break;
    }
  }
  if (sources === undefined || rows.length === 0) return undefined;
  rows.sort((a, b) => a.order - b.order);
  return {
    title: `Hessian of ${of}: ∂²/∂row ∂column`,
    rowNames: rows.map((r) => r.name),
    colNames: sources.map((id) => tensorDisplayName(outer, id)),
    cells: rows.map((r) => r.cells),
  };
}

/** A scalar's summary, for one cell of a matrix read from a larger tensor's values. */
function scalarSummary(value: number | string, dtype: TensorSummary['dtype']): TensorSummary {
  const x = decodeValue(value);
  const finite = Number.isFinite(x);
  return { shape: [], dtype, size: 1, min: finite ? x : 0, max: finite ? x : 0, mean: finite ? x : 0, std: 0, l2: finite ? Math.abs(x) : 0,
    nanCount: Number.isNaN(x) ? 1 : 0, infCount: finite || Number.isNaN(x) ? 0 : 1, values: [value] };
}

/** `name[i, j]` for each element of `shape` in row-major order (just `name` for a scalar). */
function elementNames(name: string, shape: readonly number[], prefix = ''): string[] {
  const size = shape.reduce((a, b) => a * b, 1);
  if (shape.length === 0) return [prefix ? `${name}[${prefix.slice(0, -2)}]` : name];
  const out: string[] = [];
  for (let flat = 0; flat < size; flat++) {
    const index: number[] = [];
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) { index.unshift(rest % shape[d]); rest = Math.floor(rest / shape[d]); }
    out.push(`${name}[${prefix}${index.join(', ')}]`);
  }
  return out;
}

/** Names of the blocks a heatmap averages: `name[lo…hi]` over the flattened axis of `count` elements. */
function blockNames(names: readonly string[], blocks: number): string[] {
  const count = names.length;
  return Array.from({ length: blocks }, (_, b) => {
    const lo = Math.floor((b * count) / blocks), hi = Math.floor(((b + 1) * count) / blocks) - 1;
    return lo === hi ? names[lo] : `${names[lo]} … ${names[hi]}`;
  });
}

/** Each tape.jacobian / batchJacobian result of `trace` as a matrix: target elements down, source elements across. */
export function jacobianMatrices(trace: TapeTrace): GradientMatrix[] {
  const out: GradientMatrix[] = [];
  for (const call of trace.jacobianCalls ?? []) {
    const batch = call.kind === 'batchJacobian';
    const target = tensorDisplayName(trace, call.target);
    const rowNames = batch
      ? Array.from({ length: call.targetShape[0] ?? 0 }, (_, b) => elementNames(target, call.targetShape.slice(1), `${b}, `)).flat()
      : elementNames(target, call.targetShape);
    call.results.forEach((result, k) => {
      const source = tensorDisplayName(trace, call.sources[k]);
      const colNames = elementNames(source, call.sourceShapes[k], batch ? '·, ' : '');
      const title = `${batch ? 'Batch Jacobian' : 'Jacobian'} of ${target} w.r.t. ${source}${batch ? ' (each example against its own source row)' : ''}`;
      if (!result) {
        out.push({ title: `${title}: None (no path)`, rowNames: [target], colNames: [source], cells: [[null]] });
        return;
      }
      const m = result.value;
      const [rows, cols] = m.shape;
      if (m.values) {
        out.push({ title, rowNames, colNames, cells: Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => scalarSummary(m.values![i * cols + j], m.dtype))) });
      } else if (m.heatmap) {
        const h = m.heatmap;
        out.push({ title: `${title} — ${rows}×${cols}, block means`, rowNames: blockNames(rowNames, h.rows), colNames: blockNames(colNames, h.cols),
          cells: Array.from({ length: h.rows }, (_, i) => Array.from({ length: h.cols }, (_, j) => scalarSummary(h.values[i * h.cols + j], m.dtype))) });
      }
    });
  }
  return out;
}
