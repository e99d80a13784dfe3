// Timing for bench suites: warm up, then the median of many samples, each sample just long enough that the
// clock's resolution does not matter. Medians, not means, so a GC pause or a noisy neighbour does not skew;
// short samples, so that on a busy machine most of them fall between the scheduler's preemptions.

export interface MeasureOptions {
  /** Untimed calls before sampling (JIT tiers, WASM memory growth, caches). */
  warmupCalls?: number;
  /** Number of timed samples; the median is reported. */
  samples?: number;
  /** Each sample repeats the call until at least this long has passed. */
  minSampleMs?: number;
}

/** Median milliseconds per call of `fn`. */
export function medianMsPerCall(fn: () => void, options: MeasureOptions = {}): number {
  const { warmupCalls = 20, samples = 51, minSampleMs = 1 } = options;
  for (let i = 0; i < warmupCalls; i++) fn();
  // Size one sample from a short trial so each holds roughly minSampleMs of work.
  const trialStart = performance.now();
  fn();
  const trialMs = Math.max(performance.now() - trialStart, 1e-3);
  const callsPerSample = Math.max(1, Math.ceil(minSampleMs / trialMs));
  const perCall: number[] = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    for (let c = 0; c < callsPerSample; c++) fn();
    perCall.push((performance.now() - start) / callsPerSample);
  }
  return median(perCall);
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}
