// A set of tensor ids for walks over one tape's nodes (the trace export's cut of a large tape): a byte per id over
// the range its nodes' outputs span (fresh ids, nearly consecutive), a Set for ids outside it (variables and
// constants made earlier). A Set of every id costs a hash per op on tapes of tens of thousands of scalar ops.
import type { TapeNode } from '../tape/tape_node';

export class IdMarks {
  private readonly base: number;
  private readonly dense: Uint8Array;
  private readonly sparse = new Set<number>();

  /** Marks nothing yet; dense over the ids of `nodes`' outputs. */
  constructor(nodes: readonly TapeNode[]) {
    let base = Infinity;
    let top = -Infinity;
    for (let i = 0; i < nodes.length; i++) {
      const id = nodes[i].output.id;
      if (id < base) base = id;
      if (id > top) top = id;
    }
    // ids far more spread than the nodes (tensors made in between) stay in the set past a bounded array
    const span = nodes.length === 0 ? 0 : Math.min(top - base + 1, 16 * nodes.length + 65536);
    this.base = nodes.length === 0 ? 0 : base;
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
