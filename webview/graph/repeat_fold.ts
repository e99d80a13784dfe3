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

/**
 * Which op nodes are folded into which group, given the groups the user expanded. `ops` are the tape's op nodes
 * that are not inside a collapsed scope, in recording order.
 */
export function foldRepeats(ops: readonly TraceNode[], expanded: ReadonlySet<string>): { groups: RepeatGroup[]; groupOf: Map<string, RepeatGroup> } {
  const groups: RepeatGroup[] = [];
  const groupOf = new Map<string, RepeatGroup>();
  const signatures = ops.map((n) => `${n.op}|${n.scope.join('/')}|${n.inputs.length}`);
  const fold = (start: number, period: number, count: number): void => {
    if (count < 1) return;
    const key = repeatKey(start, period, count);
    if (expanded.has(key) && count > 2 * REPEATS_SHOWN) {
      fold(start + REPEATS_SHOWN * period, period, count - 2 * REPEATS_SHOWN);
      return;
    }
    if (expanded.has(key)) return;
    const block = ops.slice(start, start + period).map((n) => n.op).join(' → ');
    const group: RepeatGroup = { key, start, period, count, block };
    groups.push(group);
    for (let k = start; k < start + period * count; k++) groupOf.set(ops[k].id, group);
  };
  for (const [start, period, reps] of findRepeats(signatures)) {
    // The first and last repetitions stay drawn; the ones between fold.
    if (reps - 2 >= MIN_REPEATS - 2) fold(start + period, period, reps - 2);
  }
  return { groups, groupOf };
}
