// Decides, product by product, whether splitting with the helper thread is currently paying off.

/** Weight of the newest timing in the running averages that steer the adaptive policy. */
const TIMING_WEIGHT = 0.2;
/** The adaptive policy re-times the losing mode after this many large products, backing off while it keeps losing. */
export const FIRST_RETRY_AFTER = 32;
export const LAST_RETRY_AFTER = 4096;

/**
 * Chooses between one and two threads for large products from running averages of time per multiply-add.
 * A busy second core makes splitting many times slower (the helper waits for a time slice), so the losing
 * mode is retried rarely, and more rarely each time it loses again.
 */
export class SplitChooser {
  private splitNsPerMac = 0;
  private singleNsPerMac = 0;
  private callsUntilRetry = FIRST_RETRY_AFTER;
  private retryAfter = FIRST_RETRY_AFTER;
  private retrying = false;

  constructor(private readonly policy: 'adaptive' | 'always') {}

  shouldSplit(): boolean {
    if (this.policy === 'always') return true;
    if (this.splitNsPerMac === 0) return true;
    if (this.singleNsPerMac === 0) return false;
    const splitWins = this.splitNsPerMac < this.singleNsPerMac;
    this.retrying = --this.callsUntilRetry <= 0;
    return this.retrying ? !splitWins : splitWins;
  }

  record(split: boolean, elapsedMs: number, multiplyAdds: number): void {
    const nsPerMac = (elapsedMs * 1e6) / multiplyAdds;
    const winnerBefore = this.splitNsPerMac < this.singleNsPerMac;
    // A retried mode's average is stale (the load may have changed since), so the fresh timing replaces it.
    const fresh = (average: number) => (average === 0 || this.retrying ? nsPerMac : average + TIMING_WEIGHT * (nsPerMac - average));
    if (split) this.splitNsPerMac = fresh(this.splitNsPerMac);
    else this.singleNsPerMac = fresh(this.singleNsPerMac);
    if (this.retrying) {
      this.retrying = false;
      const winnerAfter = this.splitNsPerMac < this.singleNsPerMac;
      this.retryAfter = winnerAfter === winnerBefore ? Math.min(this.retryAfter * 2, LAST_RETRY_AFTER) : FIRST_RETRY_AFTER;
      this.callsUntilRetry = this.retryAfter;
    }
  }
}

/** Product shapes with a chooser of their own, at most; a model with more (varying batch sizes) starts over. */
export const MAX_SHAPES = 64;

/**
 * One chooser per product shape: the five products of a training step differ in how much a second thread
 * gains (the small ones nothing), so one average over all of them would pick wrongly for some. Each chooser
 * keeps its own protection against a busy second core.
 */
export class SplitChoosersByShape {
  private readonly choosers = new Map<string, SplitChooser>();

  constructor(private readonly policy: 'adaptive' | 'always') {}

  get shapes(): number {
    return this.choosers.size;
  }

  for(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): SplitChooser {
    const key = `${m},${k},${n},${transposeA ? 1 : 0}${transposeB ? 1 : 0}`;
    let chooser = this.choosers.get(key);
    if (chooser === undefined) {
      if (this.choosers.size >= MAX_SHAPES) this.choosers.clear();
      chooser = new SplitChooser(this.policy);
      this.choosers.set(key, chooser);
    }
    return chooser;
  }
}
