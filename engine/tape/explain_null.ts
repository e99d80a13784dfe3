// "Why is my gradient null?": names the cause for a source whose gradient does not reach the target, and where
// the path broke, using the lineage every op leaves (lineage.ts) to find a path the tape did not record.
import type { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import { isFloatDType } from '../tensor/dtype';
import type { NullGradientReason } from '../trace/trace_format';
import type { TapeNode } from './tape_node';
import type { WatchedIds } from './watched_ids';
import { reachableFrom } from './backprop';
import { recording } from './recording_state';
import { lineagePath } from './lineage';

/** What tape.explainGradient returns. */
export interface NullGradientExplanation {
  /** Whether a gradient does flow (the gradient is not null). */
  connected: boolean;
  /** Why not, when it does not. */
  reason?: NullGradientReason;
  /** The explanation in a sentence, naming the op or line where the path broke. */
  message: string;
}

interface ExplainableTape {
  readonly id?: number;
  readonly watchedIds: Pick<WatchedIds, 'has'>;
  readonly nodes: TapeNode[];
  readonly watchedTensors?: ReadonlyMap<number, Tensor>;
}

/**
 * The user's words for tensors the engine knows only by id: a name by tensor id (the trace export's names, or the
 * kernel's bindings) and the line a named binding was assigned on.
 */
export interface UserWords {
  nameOf(tensorId: number): string | undefined;
  lineOf?(name: string): number | undefined;
}

/** Without words from the caller: the bindings of the cell a capture session knows (the kernel's). */
function capturedWords(): UserWords | undefined {
  const names = recording.capture?.names;
  if (names === undefined) return undefined;
  let held: Map<number, string> | undefined;
  return { nameOf: (id) => (held ??= names.heldByBindings()).get(id), lineOf: names.bindingLine };
}

function labeller(words: UserWords | undefined): (t: Tensor) => string {
  return (t) => {
    if (t instanceof Variable) return `variable '${t.name}'`;
    if (t.name) return `tensor '${t.name}'`;
    const name = words?.nameOf(t.id);
    return name ? `\`${name}\`` : `tensor #${t.id}`;
  };
}

/** The variable a tape-recorded tensor was computed from, with the op that computed it, if any. */
function variableBehind(tape: ExplainableTape, source: Tensor): { variable: Variable; op: string } | null {
  if (tape.watchedTensors === undefined) return null;
  const producer = new Map(tape.nodes.map((n) => [n.output.id, n]));
  const first = producer.get(source.id);
  if (first === undefined) return null;
  const stack = [first];
  const seen = new Set<number>();
  while (stack.length) {
    const node = stack.pop()!;
    for (const { id } of node.inputs) {
      if (seen.has(id)) continue;
      seen.add(id);
      const v = tape.watchedTensors.get(id);
      if (v instanceof Variable) return { variable: v, op: first.op };
      const up = producer.get(id);
      if (up !== undefined) stack.push(up);
    }
  }
  return null;
}

/** `words`: the user's names for tensors (absent: those of the cell a capture session knows, if any). */
export function explainNullGradient(tape: ExplainableTape, target: Tensor, source: Tensor, tapeReleased: boolean, words = capturedWords()): NullGradientExplanation {
  const label = labeller(words);
  if (tapeReleased) {
    return { connected: false, reason: 'tape-already-used', message: 'this non-persistent tape already computed a gradient and released its records; create it with {persistent: true} to call gradient() more than once' };
  }
  if (!isFloatDType(source.dtype)) {
    return { connected: false, reason: 'integer-dtype', message: `${label(source)} has dtype ${source.dtype}; only float tensors carry gradients (cast it to float32 before the computation)` };
  }
  if (tape.watchedIds.has(source.id) && reachableFrom(tape.nodes, new Set([source.id])).has(target.id)) {
    return { connected: true, message: `a recorded path connects ${label(source)} to the target` };
  }
  const fromVariable = variableBehind(tape, source);
  if (fromVariable !== null) {
    const name = fromVariable.variable.name;
    return {
      connected: false, reason: 'variable-replaced',
      message: `${label(source)} is not variable '${name}' but a new Tensor computed from it by ${fromVariable.op} (as in \`${name} = ${name}.add(1)\`); ` +
        `the target was computed from the variable itself. Update the variable in place with ${name}.assignAdd(...) / assign(...) so it stays the same tf.Variable`,
    };
  }
  const path = lineagePath(target, source.id);
  if (path !== null) {
    const tapeId = tape.id;
    const stop = path.find((l) => l.op === 'StopGradient');
    if (stop !== undefined) {
      return { connected: false, reason: 'stop-gradient', message: `the target depends on ${label(source)} only through tf.stopGradient, which passes values but no gradient` };
    }
    const paused = tapeId === undefined ? undefined : path.find((l) => l.pausedTapeIds.includes(tapeId));
    if (paused !== undefined) {
      return { connected: false, reason: 'stop-gradient', message: `the target depends on ${label(source)} only through ${paused.op}, which ran inside tape.stopRecording(), so the tape did not record it` };
    }
    const outside = path.find((l) => tapeId === undefined || !l.recordingTapeIds.includes(tapeId));
    if (outside !== undefined) {
      const watchedBelow = path.find((l) => l.inputIds.some((id) => tape.watchedIds.has(id)));
      const startsAt = watchedBelow === undefined ? '' : ` (the tape only starts at what it watched, downstream of ${outside.op})`;
      const made = words?.nameOf(outside.outputId);
      const line = made === undefined ? undefined : words?.lineOf?.(made);
      const what = made === undefined ? `its ${outside.op}` : `\`${made}\` (${outside.op}${line === undefined ? '' : `, line ${line}`})`;
      return {
        connected: false, reason: 'recorded-outside',
        message: `no recorded path from ${label(source)} to ${label(target)}: the target depends on it through ${what}, but that op ran before recording began or outside this tape's record() block${startsAt}; ` +
          `watch ${label(source)} and compute ${made === undefined ? outside.op : `\`${made}\``} inside record()`,
      };
    }
  }
  // without lineage the engine cannot tell where a path broke; say how to find out
  const hint = recording.lineage || recording.capture !== null ? ''
    : ' (call tf.debugging.enableGradientExplanations() before the computation to learn where the path broke)';
  if (!tape.watchedIds.has(source.id)) {
    const why = source instanceof Variable && !source.trainable
      ? `${label(source)} is not trainable, so the tape does not watch it automatically; call tape.watch() on it`
      : source instanceof Variable
        ? `${label(source)} was not read while the tape recorded`
        : `${label(source)} is a constant the tape never watched; call tape.watch(${source.name ?? words?.nameOf(source.id) ?? 'x'}) inside record(), or use a tf.Variable`;
    return { connected: false, reason: 'not-watched', message: why + hint };
  }
  const produced = tape.nodes.some((n) => n.output.id === target.id);
  if (!produced && !tape.watchedIds.has(target.id)) {
    return { connected: false, reason: 'recorded-outside', message: `the target (${label(target)}) was computed outside this tape's record() block, so no op links it to anything` };
  }
  return { connected: false, reason: 'no-path', message: `no recorded op connects ${label(source)} to the target: it was watched, but the target does not depend on it${hint}` };
}
