// The ids a tape watches: what it was asked to watch, the variables it saw read, and the output of every op it
// recorded. Every op asks it about each input, and a recording tape adds one id per op, so it is a bitmap over
// the ids of the tape's outputs (fresh ids, nearly consecutive) with a set only for ids far from them.

/** Ids spread wider than this many per watched id are kept in the set rather than the bitmap. */
const MAX_SPREAD_PER_ID = 16;
const MIN_SPAN = 1 << 16;

export class WatchedIds {
  private base = -1;
  private bits = new Uint32Array(0);
  private dense = 0;
  private readonly sparse = new Set<number>();

  has(id: number): boolean {
    const offset = id - this.base;
    if (this.base >= 0 && offset >= 0 && offset < this.bits.length * 32) {
      if ((this.bits[offset >>> 5] & (1 << (offset & 31))) !== 0) return true;
    }
    return this.sparse.size !== 0 && this.sparse.has(id);
  }

  /** Watches a tensor asked for or a variable read (few: a set). */
  add(id: number): void {
    this.sparse.add(id);
  }

  /** Watches the output of a recorded op (a fresh id, near the previous ones: the bitmap). */
  addOutput(id: number): void {
    if (this.base < 0) this.base = id;
    const offset = id - this.base;
    if (offset < 0 || offset >= MAX_SPREAD_PER_ID * this.dense + MIN_SPAN) {
      this.sparse.add(id);
      return;
    }
    if (offset >= this.bits.length * 32) this.grow(offset);
    const word = offset >>> 5;
    const bit = 1 << (offset & 31);
    if ((this.bits[word] & bit) === 0) {
      this.bits[word] |= bit;
      this.dense++;
    }
  }

  private grow(offset: number): void {
    let words = Math.max(this.bits.length, 64);
    while (words * 32 <= offset) words *= 2;
    const bits = new Uint32Array(words);
    bits.set(this.bits);
    this.bits = bits;
  }
}
