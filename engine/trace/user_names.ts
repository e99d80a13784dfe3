// The names the user's code gives tensors, put on a trace: the binding a value was assigned to
// (`const y2 = …`, `let [dyDw, dyDb] = …`, `x = x.mul(2)`), an identifier passed to an op (a variable,
// a function's parameter) or to `gradient(loss, v)` (the names a loop's block-scoped bindings give the last
// step's target and source), a non-default Variable or Keras weight name. The host supplies what its
// parse of the cell found (UserNames); the engine only matches it against the ops' source positions.
import type { Tensor } from '../tensor/tensor';
import { Variable } from '../tensor/variable';
import type { SourceLocation } from './trace_format';

/** What the cell's code says at one call: the binding its result goes to and the identifiers it passes. */
export interface CallSite {
  /** The binding the call's value is assigned to, when the call is the whole right-hand side. */
  binding?: string;
  /** The receiver (for `a.mul(b)`) then each argument: its identifier, or null for any other expression. */
  args: Array<string | null>;
  /** The function the call is written in, if any (its parameters name tensors passed in). */
  inFunction?: string;
}

export interface UserNames {
  /** Names for tensors held by the cell's top-level bindings (read when the trace is exported). */
  heldByBindings(): Map<number, string>;
  /** The call written at a user source position (file, line, column as the op's stack frame gives it). */
  callAt(source: SourceLocation): CallSite | undefined;
  /** The user-file line where this cell first assigns a call's value to `name`, if it does. */
  bindingLine?(name: string): number | undefined;
}

/** How sure a name is, best first: the user named it, a binding holds it, it was assigned at its op, it was passed by name. */
type Rank = 0 | 1 | 2 | 3;

export interface NamedOp {
  inputs: readonly Tensor[];
  output: Tensor;
  source?: SourceLocation;
}

/** The user's explicit name for a tensor: a Variable's own name unless it is TF's default 'Variable'. */
export function explicitName(t: Tensor): string | undefined {
  if (!t.name) return undefined;
  return t instanceof Variable && t.name === 'Variable' ? undefined : t.name;
}

/** One gradient() call on the tape: its targets and sources, and where the user's code made it. */
export interface NamedGradientCall {
  targets: readonly Tensor[];
  sources: readonly Tensor[];
  source?: SourceLocation;
}

/**
 * Names for the tensors of a tape's ops, by id. `leaves` are the tensors no op on the tape produced.
 * An identifier passed to an op, or as `gradient(target, source)`, names that tensor only if no better-ranked
 * name already uses it on this tape.
 */
export function nameTensors(ops: readonly NamedOp[], leaves: readonly Tensor[], names: UserNames | undefined,
  gradientCalls: readonly NamedGradientCall[] = []): Map<number, string> {
  const best = new Map<number, { name: string; rank: Rank }>();
  const offer = (t: Tensor, name: string, rank: Rank): void => {
    const had = best.get(t.id);
    if (!had || rank < had.rank) best.set(t.id, { name, rank });
  };
  for (const t of leaves) { const n = explicitName(t); if (n) offer(t, n, 0); }
  for (const op of ops) { const n = explicitName(op.output); if (n) offer(op.output, n, 0); }
  if (!names) return flatten(best);
  for (const [id, name] of names.heldByBindings()) {
    const had = best.get(id);
    if (!had || had.rank > 1) best.set(id, { name, rank: 1 });
  }
  const sites = ops.map((op) => (op.source ? names.callAt(op.source) : undefined));
  // Assigned at its op: the last op recorded at a call site is the call's value.
  ops.forEach((op, i) => {
    const site = sites[i];
    if (site?.binding && (i === ops.length - 1 || sites[i + 1] !== site)) offer(op.output, site.binding, 2);
  });
  const taken = new Set([...best.values()].map((v) => v.name));
  const passedByName = (tensors: readonly Tensor[], args: ReadonlyArray<string | null>): void => {
    tensors.forEach((t, k) => {
      const name = args[k];
      if (name === null || best.has(t.id) || taken.has(name)) return;
      offer(t, name, 3);
    });
  };
  ops.forEach((op, i) => {
    const site = sites[i];
    if (site && site.args.length === op.inputs.length) passedByName(op.inputs, site.args);
  });
  // tape.gradient(target, source): the receiver, then one identifier each for a lone target and a lone source.
  for (const call of gradientCalls) {
    const site = call.source ? names.callAt(call.source) : undefined;
    if (!site || site.args.length !== 3) continue;
    if (call.targets.length === 1) passedByName(call.targets, [site.args[1]]);
    if (call.sources.length === 1) passedByName(call.sources, [site.args[2]]);
  }
  return flatten(best);
}

function flatten(best: Map<number, { name: string }>): Map<number, string> {
  return new Map([...best].map(([id, v]) => [id, v.name]));
}

/**
 * How an error names an op the user called: the op, with the binding its value went to and the function it ran
 * in ("Log → `y`", "Add → `h` in `f`"); the bare op when the call names nothing.
 */
export function callPhrase(op: string, site: CallSite | undefined): string {
  if (!site) return op;
  const parts = [site.binding ? `→ \`${site.binding}\`` : '', site.inFunction ? `in \`${site.inFunction}\`` : ''].filter(Boolean);
  return parts.length > 0 ? `${op} ${parts.join(' ')}` : op;
}

/** Names for an op's inputs by position: the identifiers its call passed, else the bindings that hold them. */
export function inputNames(inputs: readonly Tensor[], site: CallSite | undefined, names: UserNames): Array<string | undefined> {
  let held: Map<number, string> | undefined;
  return inputs.map((t, k) => {
    const passed = site && site.args.length === inputs.length ? site.args[k] : null;
    if (passed) return passed;
    held ??= names.heldByBindings();
    return explicitName(t) ?? held.get(t.id);
  });
}
