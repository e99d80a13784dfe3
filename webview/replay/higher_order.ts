// Higher order, read from the traces: which of a tape's nodes another tape's gradient() recorded (a nested tape's
// backward pass, grouped and linked to it), and the matrix of second derivatives an outer tape took of an inner
// tape's gradients (a Hessian, with None where no path exists).
import type { TapeTrace, TensorSummary } from '../../engine/trace/trace_format';
import { tensorDisplayName } from '../graph/names';

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
