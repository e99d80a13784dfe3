// Tapes the engine records for itself (a ForwardAccumulator's, tf.test.computeGradient's rows): the
// inspector lists them only when asked. No imports, so any engine module may mark its tapes.
import type { InternalTapeKind } from './trace_format';

const internal = new WeakMap<object, InternalTapeKind>();

export function markInternalTape(tape: object, kind: InternalTapeKind): void {
  internal.set(tape, kind);
}

export function internalKindOf(tape: object): InternalTapeKind | undefined {
  return internal.get(tape);
}
