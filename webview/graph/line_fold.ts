// Folding by source line: on a tape still too large to read once scopes and repeats are folded, the ops one
// line of the user's cell recorded in a row (a model call, a loss) become one "line N" box that expands on
// click. Pure (unit-tested). Units that hold a target or a source are never folded: they stay clickable.
import type { SourceLocation } from '../../engine/trace/trace_format';

/** Only runs of at least this many units fold into a line's box. */
export const MIN_LINE_RUN = 3;

export interface LineUnit {
  /** The user's line the unit was recorded on (absent: unknown, or several lines). */
  source?: SourceLocation;
  /** Holds a target or a source of gradient(), or is already folded: never folded into a line. */
  keep: boolean;
}

export interface LineGroup {
  /** 'line:<file>:<line>:<first unit>', stable for a trace and fold state. */
  key: string;
  start: number;
  count: number;
  line: number;
}

export function foldLines(units: readonly LineUnit[], expanded: ReadonlySet<string>): LineGroup[] {
  const groups: LineGroup[] = [];
  let i = 0;
  while (i < units.length) {
    const at = units[i].source;
    if (units[i].keep || !at) { i++; continue; }
    let end = i + 1;
    while (end < units.length && !units[end].keep && units[end].source?.line === at.line && units[end].source?.file === at.file) end++;
    const key = `line:${at.file}:${at.line}:${i}`;
    if (end - i >= MIN_LINE_RUN && !expanded.has(key)) groups.push({ key, start: i, count: end - i, line: at.line });
    i = end;
  }
  return groups;
}
