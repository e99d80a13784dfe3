// What the tape list and the compact picker say about a tape, and the order they list tapes in.
import type { TapeTrace } from '../../engine/trace/trace_format';
import { tensorDisplayName } from '../graph/names';

/** Newest first: the tape the user just recorded is on top. */
export function newestFirst(tapes: readonly TapeTrace[]): TapeTrace[] {
  return [...tapes].sort((a, b) => b.order - a.order);
}

export function opCount(tape: TapeTrace): number {
  let ops = 0;
  for (const n of tape.nodes) if (n.kind === 'op') ops++;
  return ops;
}

export function targetsAndSources(tape: TapeTrace): { targets: string; sources: string } {
  const names = (ids: number[]): string => [...new Set(ids)].map((id) => tensorDisplayName(tape, id)).join(', ') || '—';
  return {
    targets: names(tape.gradientCalls.flatMap((g) => g.targets)),
    sources: names(tape.gradientCalls.flatMap((g) => g.sources)),
  };
}

/** "1,234 ops" or "5,000 of 20,000 ops kept" — the one place the op counts are worded. */
export function opCountText(tape: TapeTrace): string {
  const ops = opCount(tape);
  const word = (n: number): string => `op${n === 1 ? '' : 's'}`;
  return tape.truncated ? `${ops.toLocaleString('en-US')} of ${tape.totalNodes.toLocaleString('en-US')} ops kept` : `${ops.toLocaleString('en-US')} ${word(ops)}`;
}

/** One line for the compact picker. */
export function tapeOneLine(tape: TapeTrace): string {
  const { targets } = targetsAndSources(tape);
  return `#${tape.order} ${tape.label} · ${opCountText(tape)} · ${targets}`;
}
