// One row of the `npm run bench` table. Every suite in bench/suites/*.ts default-exports
// `async function run(): Promise<BenchRow[]>`; bench/index.ts runs them all in one process and writes docs/PERFORMANCE.md.

export interface BenchRow {
  suite: string;            // 'matmul', 'training step', 'inspector', ...
  case: string;             // '[128x784]@[784x128]'
  unit: string;             // 'ms/step', 'GFLOP/s', 'µs/op', 'ms'
  /** Our figure. */
  tapescope: number;
  /** Our figure under other runtimes (bench/runtimes.ts fills this in from their runs): label → figure. */
  runtimes?: Record<string, number>;
  /** The same work done by the named peers in the same run (null: peer cannot do it; say why in note). */
  peers: Record<string, number | null>;
  /** true when a larger figure is better (GFLOP/s), false for times. */
  higherIsBetter: boolean;
  note?: string;
}
