// A set of tensor ids for walks over one tape's nodes (the trace export's cut of a large tape): a byte per id over
// the range its nodes' outputs span (fresh ids, nearly consecutive), a Set for ids outside it (variables and
// constants made earlier), and beyond a bound when they are far more spread than the nodes. A Set of every id costs
// a hash per op on tapes of tens of thousands of scalar ops.
import type { TapeNode } from '../tape/tape_node';

export class IdMarks {
  private readonly base: number;
  private readonly dense: Uint8Array;
  private readonly sparse = new Set<number>();

  /** Marks nothing yet; dense over the ids of `nodes`' outputs. */
  constructor(nodes: readonly TapeNode[]) {
    const { base, span } = outputRange(nodes);
    this.base = base;
    this.dense = new Uint8Array(span);
  }

  has(id: number): boolean {
    const offset = id - this.base;
    if (offset >= 0 && offset < this.dense.length) return this.dense[offset] === 1;
    return this.sparse.size !== 0 && this.sparse.has(id);
  }

  add(id: number): void {
    const offset = id - this.base;
    if (offset >= 0 && offset < this.dense.length) this.dense[offset] = 1;
    else this.sparse.add(id);
  }
}

/** A number per tensor id over the same range (the index of the node that made it, say); -1 for none. */
export class IdIndex {
  private readonly base: number;
  private readonly dense: Int32Array;
  private readonly sparse = new Map<number, number>();

  constructor(nodes: readonly TapeNode[]) {
    const { base, span } = outputRange(nodes);
    this.base = base;
    this.dense = new Int32Array(span).fill(-1);
  }

  get(id: number): number {
    const offset = id - this.base;
    if (offset >= 0 && offset < this.dense.length) return this.dense[offset];
    return this.sparse.size === 0 ? -1 : this.sparse.get(id) ?? -1;
  }

  set(id: number, value: number): void {
    const offset = id - this.base;
    if (offset >= 0 && offset < this.dense.length) this.dense[offset] = value;
    else this.sparse.set(id, value);
  }
}

/** Where the dense part starts and how long it is: the outputs' ids, bounded when they are far more spread than the nodes. */
function outputRange(nodes: readonly TapeNode[]): { base: number; span: number } {
  if (nodes.length === 0) return { base: 0, span: 0 };
  let base = Infinity;
  let top = -Infinity;
  for (let i = 0; i < nodes.length; i++) {
    const id = nodes[i].output.id;
    if (id < base) base = id;
    if (id > top) top = id;
  }
  return { base, span: Math.min(top - base + 1, 16 * nodes.length + 65536) };
}
