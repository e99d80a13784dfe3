// What the tape list and the compact picker say about a tape, and the order they list tapes in.
import type { TapeTrace } from '../../engine/trace/trace_format';
import { tensorDisplayName } from '../graph/names';

/** Newest first: the tape the user just recorded is on top. */
export function newestFirst(tapes: readonly TapeTrace[]): TapeTrace[] {
  return [...tapes].sort((a, b) => b.order - a.order);
}

/** The tapes the lists show: the user's, and the engine's own ones only when asked. */
export function listedTapes(tapes: readonly TapeTrace[], showInternal: boolean): TapeTrace[] {
  return newestFirst(tapes.filter((t) => showInternal || t.internal === undefined));
}

/** "1,654 tapes recorded · 20 kept · 3 internal hidden": `order` counts every tape of the run, kept or not. */
export function runCountsText(tapes: readonly TapeTrace[], showInternal: boolean): string {
  const recorded = tapes.reduce((n, t) => Math.max(n, t.order + 1), 0);
  const internal = tapes.filter((t) => t.internal !== undefined).length;
  const parts = [`${recorded.toLocaleString('en-US')} tape${recorded === 1 ? '' : 's'} recorded`];
  if (tapes.length !== recorded) parts.push(`${tapes.length.toLocaleString('en-US')} kept`);
  if (internal > 0) parts.push(`${internal} internal ${showInternal ? 'shown' : 'hidden'}`);
  return parts.join(' · ');
}

/** "stopped by Error: boom at line 7" for a tape whose record() threw. */
export function stopText(tape: TapeTrace): string | undefined {
  const stop = tape.stoppedBy;
  if (!stop) return undefined;
  return `stopped by ${stop.name}: ${stop.message}${stop.line !== undefined ? ` at line ${stop.line}` : ''}`;
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
  const stop = stopText(tape);
  return `#${tape.order} ${tape.label} · ${opCountText(tape)} · ${stop ?? targets}${tape.internal ? ` (${tape.internal})` : ''}`;
}
