// The float64 gradient check of bench/suites/matmul.ts against any checkout's engine, for A/B runs across commits
// (issue #17 asks for float64 checks 5x faster than the code it was filed against, 007bcf4):
//   git worktree add --detach /tmp/base 007bcf4 && ln -s $PWD/node_modules /tmp/base/ && (cd /tmp/base && node scripts/build_wasm.mjs)
//   node --import tsx bench/ab/f64_check.mts /tmp/base 6; node --import tsx bench/ab/f64_check.mts $PWD 12
// Prints the median and minimum ms of the given number of checks.
const root = process.argv[2];
const { tf } = await import(root + '/engine/index.ts');
const normal = (shape: number[], stddev: number, seed: number) => tf.cast(tf.random.normal(shape, { stddev, seed }), 'float64');
const x = normal([128, 784], 1, 1);
const w1 = normal([784, 128], 0.05, 2);
const w2 = normal([128, 10], 0.1, 3);
const labels = tf.cast(tf.oneHot(tf.constant(Array.from({ length: 128 }, (_, i) => i % 10), 'int32'), 10), 'float64');
const check = () => {
  const tape = new tf.GradientTape({ persistent: true, checkable: true });
  const loss = tape.record(() => {
    tape.watch(w1); tape.watch(w2);
    return tf.reduceMean(tf.nn.softmaxCrossEntropyWithLogits(labels, tf.matmul(tf.tanh(tf.matmul(x, w1)), w2)));
  });
  const r = tf.test.checkTape(tape, loss, [w1, w2]);
  if (!r.ok) throw new Error('check failed');
};
const samples: number[] = [];
for (let i = 0; i < Number(process.argv[3] ?? 12); i++) { const t = performance.now(); check(); samples.push(performance.now() - t); }
samples.sort((a, b) => a - b);
console.log(JSON.stringify({ root, median: samples[samples.length >> 1], min: samples[0] }));
process.exit(0);
