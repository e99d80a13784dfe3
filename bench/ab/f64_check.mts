// The float64 gradient check of bench/suites/matmul.ts against any checkout's engine, for A/B runs across commits
// (issue #17 asks for float64 checks 5x faster than the code it was filed against, 007bcf4):
//   git worktree add --detach /tmp/base 007bcf4 && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && node scripts/build_wasm.mjs)
//   node --import tsx bench/ab/f64_check.mts /tmp/base 6; node --import tsx bench/ab/f64_check.mts $PWD 12
// Prints the median and minimum ms of the given number of checks.
import { float64GradientCheck } from '../float64_gradient_check';

const root = process.argv[2];
const { tf } = await import(root + '/engine/index.ts');
const check = float64GradientCheck(tf);
const samples: number[] = [];
for (let i = 0; i < Number(process.argv[3] ?? 12); i++) { const t = performance.now(); check(); samples.push(performance.now() - t); }
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ root, median: samples[samples.length >> 1], min: samples[0] }));
process.exit(0);
