// Lineage: how each op output was computed (op name, inputs, which tapes were recording or paused), whether or
// not a tape recorded it, so explainGradient can find a path that exists in the computation but not on the tape.
import type { Tensor } from '../tensor/tensor';
import { recording } from './recording_state';

/** How a tensor was computed, whether or not a tape recorded it. */
export interface Lineage {
  op: string;
  /** The tensor the op made (an explanation names it: "`h` was computed before recording began"). */
  outputId: number;
  inputIds: number[];
  /** Lineage of each input, cut every MAX_DEPTH links so a long chain (x = x.sub(...) in a loop) is not kept alive. */
  parents: (Lineage | undefined)[];
  depth: number;
  /** Tapes recording (not paused) when the op ran, and tapes paused by stopRecording (shared between lineages). */
  readonly recordingTapeIds: readonly number[];
  readonly pausedTapeIds: readonly number[];
}

const MAX_DEPTH = 16;
/** Kept on the tensor itself: a WeakMap with an entry per op output makes garbage collection several times slower. */
const LINEAGE = Symbol('lineage');
type WithLineage = Tensor & { [LINEAGE]?: Lineage };
const lineageOf = (t: Tensor): Lineage | undefined => (t as WithLineage)[LINEAGE];

const NO_IDS: readonly number[] = Object.freeze([]);

/**
 * The tape ids of the last lineage noted, reused while the same tapes record and pause: every op of a captured cell
 * notes lineage (a scalar graph, millions), and they almost always share them.
 */
let split = { recording: NO_IDS, paused: NO_IDS };

function tapeSplit(): { recording: readonly number[]; paused: readonly number[] } {
  const tapes = recording.tapes;
  let r = 0;
  let p = 0;
  let same = true;
  for (let i = 0; i < tapes.length && same; i++) {
    const t = tapes[i];
    same = t.pausedDepth === 0 ? split.recording[r++] === t.id : split.paused[p++] === t.id;
  }
  if (same && r === split.recording.length && p === split.paused.length) return split;
  split = {
    recording: tapes.filter((t) => t.pausedDepth === 0).map((t) => t.id),
    paused: tapes.filter((t) => t.pausedDepth > 0).map((t) => t.id),
  };
  return split;
}

export function noteLineage(op: string, inputs: Tensor[], output: Tensor): void {
  const n = inputs.length;
  const parents = new Array<Lineage | undefined>(n);
  const inputIds = new Array<number>(n);
  let depth = 0;
  for (let i = 0; i < n; i++) {
    const p = lineageOf(inputs[i]);
    parents[i] = p;
    inputIds[i] = inputs[i].id;
    if (p !== undefined && p.depth + 1 > depth) depth = p.depth + 1;
  }
  const cut = depth >= MAX_DEPTH;
  const tapes = tapeSplit();
  (output as WithLineage)[LINEAGE] = {
    op,
    outputId: output.id,
    inputIds,
    parents: cut ? [] : parents,
    depth: cut ? 0 : depth,
    recordingTapeIds: tapes.recording,
    pausedTapeIds: tapes.paused,
  };
}

/** Ops from the target back to the source (target's op first), following lineage; null when none is known. */
export function lineagePath(target: Tensor, sourceId: number): Lineage[] | null {
  const start = lineageOf(target);
  if (start === undefined) return null;
  const seen = new Set<Lineage>();
  const search = (node: Lineage, path: Lineage[]): Lineage[] | null => {
    if (seen.has(node) || path.length > 4 * MAX_DEPTH) return null;
    seen.add(node);
    const here = [...path, node];
    if (node.inputIds.includes(sourceId)) return here;
    for (const p of node.parents) {
      if (p === undefined) continue;
      const found = search(p, here);
      if (found !== null) return found;
    }
    return null;
  };
  return search(start, []);
}

