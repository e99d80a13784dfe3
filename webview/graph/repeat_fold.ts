// Repeated structure, folded: a loop that recorded the same op sequence many times becomes one
// "×N" box. Pure (unit-tested): finds runs of a repeating block of ops in recording order, by each
// op's name and scope, and leaves the first and last repetition drawn (they hold the loop's inputs and
// its result, usually the sources and the target). A group expands on demand into its first and last
// REPEATS_SHOWN repetitions and a smaller group for the rest, which expands the same way.
import type { TraceNode } from '../../engine/trace/trace_format';

/** Only runs of at least this many repetitions fold. */
export const MIN_REPEATS = 4;
/** The longest block of ops looked for. */
export const MAX_PERIOD = 48;
/** An expanded group draws this many repetitions at each end. */
export const REPEATS_SHOWN = 2;
/** Tapes with at most this many nodes are drawn as recorded. */
export const FOLD_REPEATS_ABOVE = 80;

export interface RepeatGroup {
  /** 'repeat:<first op index>:<period>:<count>', stable for a trace. */
  key: string;
  /** Index (among the tape's op nodes) of the first op folded, the ops per repetition, the repetitions folded. */
  start: number;
  period: number;
  count: number;
  /** The op names of one repetition ('Mul → Add'). */
  block: string;
}

export const repeatKey = (start: number, period: number, count: number): string => `repeat:${start}:${period}:${count}`;

/** Runs of a repeated block in a sequence of signatures: [start, period, repetitions], left to right. */
export function findRepeats(signatures: readonly string[]): Array<[number, number, number]> {
  const runs: Array<[number, number, number]> = [];
  const n = signatures.length;
  let i = 0;
  while (i < n) {
    let best: [number, number] | undefined; // period, repetitions
    for (let p = 1; p <= MAX_PERIOD && i + 2 * p <= n; p++) {
      if (signatures[i] !== signatures[i + p]) continue;
      let reps = 1;
      for (;;) {
        const from = i + reps * p;
        if (from + p > n) break;
        let same = true;
        for (let k = 0; k < p; k++) if (signatures[i + k] !== signatures[from + k]) { same = false; break; }
        if (!same) break;
        reps++;
      }
      if (reps >= MIN_REPEATS && (!best || reps * p > best[0] * best[1])) best = [p, reps];
    }
    if (best) {
      runs.push([i, best[0], best[1]]);
      i += best[0] * best[1];
    } else i++;
  }
  return runs;
}

/** One step of the recorded sequence that folding sees: an op, or a collapsed name scope's box. */
export interface FoldUnit {
  /** Units with equal signatures are taken for repetitions of each other. */
  signature: string;
  /** What a group's subtitle calls it (an op's name, a scope's name). */
  label: string;
}

/**
 * The groups `units` fold into, given the groups the user expanded: in each run of a repeated block the first
 * and last repetitions stay drawn, the ones between fold; an expanded group shows REPEATS_SHOWN repetitions at
 * each end and folds the rest. Indices are into `units`.
 */
export function foldRepeatedUnits(units: readonly FoldUnit[], expanded: ReadonlySet<string>): RepeatGroup[] {
  const groups: RepeatGroup[] = [];
  const fold = (start: number, period: number, count: number): void => {
    if (count < 1) return;
    const key = repeatKey(start, period, count);
    if (expanded.has(key) && count > 2 * REPEATS_SHOWN) {
      fold(start + REPEATS_SHOWN * period, period, count - 2 * REPEATS_SHOWN);
      return;
    }
    if (expanded.has(key)) return;
    const block = units.slice(start, start + period).map((u) => u.label).join(' → ');
    groups.push({ key, start, period, count, block });
  };
  for (const [start, period, reps] of findRepeats(units.map((u) => u.signature))) {
    if (reps - 2 >= MIN_REPEATS - 2) fold(start + period, period, reps - 2);
  }
  return groups;
}

/**
 * Which op nodes are folded into which group, given the groups the user expanded. `ops` are the tape's op nodes
 * that are not inside a collapsed scope, in recording order.
 */
export function foldRepeats(ops: readonly TraceNode[], expanded: ReadonlySet<string>): { groups: RepeatGroup[]; groupOf: Map<string, RepeatGroup> } {
  const groups = foldRepeatedUnits(ops.map((n) => ({ signature: opSignature(n, false), label: n.op })), expanded);
  const groupOf = new Map<string, RepeatGroup>();
  for (const group of groups) for (let k = group.start; k < group.start + group.period * group.count; k++) groupOf.set(ops[k].id, group);
  return { groups, groupOf };
}

/** An op as folding compares it: its name, scope and arity; `looseScopes` reads layer_3 and layer_4 as one scope. */
export function opSignature(node: TraceNode, looseScopes: boolean): string {
  const scope = node.scope.join('/');
  return `${node.op}|${looseScopes ? scope.replace(/\d+/g, '#') : scope}|${node.inputs.length}`;
}
