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
  /** Tapes recording (not paused) when the op ran, and tapes paused by stopRecording. */
  recordingTapeIds: number[];
  pausedTapeIds: number[];
}

const MAX_DEPTH = 16;
/** Kept on the tensor itself: a WeakMap with an entry per op output makes garbage collection several times slower. */
const LINEAGE = Symbol('lineage');
type WithLineage = Tensor & { [LINEAGE]?: Lineage };
const lineageOf = (t: Tensor): Lineage | undefined => (t as WithLineage)[LINEAGE];

export function noteLineage(op: string, inputs: Tensor[], output: Tensor): void {
  const parents = inputs.map(lineageOf);
  let depth = 0;
  for (const p of parents) if (p !== undefined && p.depth + 1 > depth) depth = p.depth + 1;
  const cut = depth >= MAX_DEPTH;
  const tapes = recording.tapes;
  (output as WithLineage)[LINEAGE] = {
    op,
    outputId: output.id,
    inputIds: inputs.map((t) => t.id),
    parents: cut ? [] : parents,
    depth: cut ? 0 : depth,
    recordingTapeIds: tapes.length === 0 ? [] : tapes.filter((t) => t.pausedDepth === 0).map((t) => t.id),
    pausedTapeIds: tapes.length === 0 ? [] : tapes.filter((t) => t.pausedDepth > 0).map((t) => t.id),
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

