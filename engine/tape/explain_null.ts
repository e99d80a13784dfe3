// "Why is my gradient null?": names the cause for a source whose gradient does not reach it.
import { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import type { NullGradientReason } from '../trace/trace_format';
import type { TapeNode } from './tape_node';
import { reachableFrom } from './backprop';

export interface NullGradientExplanation {
  connected: boolean;
  reason?: NullGradientReason;
  message: string;
}

interface ExplainableTape {
  readonly watchedIds: Set<number>;
  readonly nodes: TapeNode[];
}

function label(t: Tensor): string {
  return t instanceof Variable ? `variable '${t.name}'` : t.name ? `tensor '${t.name}'` : `tensor #${t.id}`;
}

export function explainNullGradient(tape: ExplainableTape, target: Tensor, source: Tensor, tapeReleased: boolean): NullGradientExplanation {
  if (tapeReleased) {
    return { connected: false, reason: 'tape-already-used', message: 'this non-persistent tape already computed a gradient and released its records; create it with {persistent: true} to call gradient() more than once' };
  }
  if (!isFloatDType(source.dtype)) {
    return { connected: false, reason: 'integer-dtype', message: `${label(source)} has dtype ${source.dtype}; only float tensors carry gradients (cast it to float32 before the computation)` };
  }
  if (!tape.watchedIds.has(source.id)) {
    const why = source instanceof Variable && !source.trainable
      ? `${label(source)} is not trainable, so the tape does not watch it automatically; call tape.watch() on it`
      : source instanceof Variable
        ? `${label(source)} was not read while the tape recorded`
        : `${label(source)} is a constant the tape never watched; call tape.watch(${source.name ?? 'x'}) inside record(), or use a tf.Variable`;
    return { connected: false, reason: 'not-watched', message: why };
  }
  const produced = tape.nodes.some((n) => n.output.id === target.id);
  if (!produced && !tape.watchedIds.has(target.id)) {
    return { connected: false, reason: 'recorded-outside', message: `the target (${label(target)}) was computed outside this tape's record() block, so no op links it to anything` };
  }
  const reach = reachableFrom(tape.nodes, new Set([source.id]));
  if (reach.has(target.id)) return { connected: true, message: `a recorded path connects ${label(source)} to the target` };
  return { connected: false, reason: 'no-path', message: `no recorded op connects ${label(source)} to the target (it was watched, but the target does not depend on it through ops recorded on this tape; stopGradient or stopRecording also cut paths)` };
}
