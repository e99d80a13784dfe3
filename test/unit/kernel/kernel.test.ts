// The kernel with a real kernel process and cell thread running the real engine.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { buildCellThread, cell, startKernel } from './kernel_fixture';
import { SHARED_SLOT_COUNT, type CellThreadData } from '../../../src/protocol/kernel_messages';
import type { Kernel } from '../../../src/kernel/kernel';
import type { MetricPoint } from '../../../engine/trace/trace_format';

const kernels: Kernel[] = [];
async function kernel(overrides: Parameters<typeof startKernel>[0] = {}): Promise<Kernel> {
  const k = await startKernel(overrides);
  kernels.push(k);
  return k;
}
after(async () => {
  await Promise.all(kernels.map((k) => k.dispose()));
});

/** Resolves when the kernel streams text containing `marker`. */
function printed(k: Kernel, marker: string): Promise<void> {
  return new Promise((resolve) => {
    const sub = k.onStream.event((e) => {
      if (e.text.includes(marker)) {
        sub.dispose();
        resolve();
      }
    });
  });
}

test('state lives across cells, a const cell runs twice, values come back as TF reprs', async () => {
  const k = await kernel();
  assert.equal((await k.run(cell('const w = tf.constant([1, 2, 3]);\nconst n = 2;'))).outcome, 'ok');
  const twice = await k.run(cell('const n = 3;\nw.mul(n)'));
  assert.equal(twice.outcome, 'ok');
  assert.equal(twice.value, '<tf.Tensor: shape=(3,), dtype=float32, numpy=array([3., 6., 9.], dtype=float32)>');
  assert.equal((await k.run(cell('const n = 4;\nn'))).value, '4');
  assert.equal((await k.run(cell('import * as T from "tapescope";\n[T.scalar(n).toString(), "s", null, true]'))).value,
    "['tf.Tensor(4.0, shape=(), dtype=float32)', 's', None, True]");
  // the engine's own entry exports tf by name and as default; the kernel's module does the same
  assert.equal((await k.run(cell('import { tf as named } from "tapescope";\nimport whole from "tapescope";\n[named === tf, whole === tf]'))).value, '[True, True]');
});

test('print and console output stream while the cell is still running', async () => {
  const k = await kernel();
  const seen: string[] = [];
  k.onStream.event((e) => seen.push(`${e.stream}:${e.text}`));
  const running = k.run(cell('const v = new tf.Variable(tf.constant(2.5), { name: "v" });\nprint("v is", v, [1, "a"]);\nconsole.log(tf.constant(7));\nconsole.error("oops");\nwhile (true) {}'));
  await printed(k, 'oops');
  assert.deepEqual(seen, [
    "stdout:v is <tf.Variable 'v:0' shape=() dtype=float32, numpy=2.5> [1, 'a']\n",
    'stdout:tf.Tensor(7.0, shape=(), dtype=float32)\n',
    'stderr:oops\n',
  ]);
  k.interrupt();
  assert.equal((await running).outcome, 'interrupted');
});

test('an error is reported at its file line with a mapped stack, and earlier state survives', async () => {
  const k = await kernel();
  await k.run(cell('const kept = 11;', 0));
  const result = await k.run(cell('// %% failing\nconst a = tf.ones([2, 3]);\nconst b = tf.matmul(a, a);', 20));
  assert.equal(result.outcome, 'error');
  assert.equal(result.error?.location?.line, 23);
  assert.match(result.error!.stack, /kernel_test_cells\.ts:23:\d+/);
  assert.doesNotMatch(result.error!.stack, /tapescope-run-|worker\.js/);
  assert.equal((await k.run(cell('kept'))).value, '11');
});

test('Interrupt stops while(true){} at its file line and keeps every binding', async () => {
  const k = await kernel({ interruptTimeoutMs: 30_000 });
  await k.run(cell('const before = "still here";\nlet spins = 0;'));
  const running = k.run(cell('// %% spin\n\nwhile (true) { if (++spins === 1000) print("spinning"); }', 50));
  await printed(k, 'spinning');
  k.interrupt();
  const result = await running;
  assert.equal(result.outcome, 'interrupted', 'stopped by the loop check, not by a restart');
  assert.equal(result.message, 'interrupted at line 53');
  assert.equal((await k.run(cell('[before, spins >= 1000]'))).value, "['still here', True]");
});

test('Interrupt stops a long training loop inside engine ops (no loop statement) and keeps its progress', async () => {
  const k = await kernel({ interruptTimeoutMs: 30_000 });
  await k.run(cell('const w = new tf.Variable(tf.constant(5.0));\nconst steps: number[] = [];'));
  const source = [
    '// %% train',                                         // line 71
    '',                                                    // 72
    'new Array(1e6).fill(0).forEach((_, i) => {',          // 73: no loop statement to instrument
    '  const tape = new tf.GradientTape();',               // 74
    '  const loss = tape.record(() => w.mul(w));',         // 75
    '  w.assignSub(tape.gradient(loss, w).mul(0.0001));',  // 76
    '  if (steps.push(i) === 10) print("training");',      // 77
    '});',
  ].join('\n');
  const running = k.run(cell(source, 70));
  await printed(k, 'training');
  k.interrupt();
  const result = await running;
  assert.equal(result.outcome, 'interrupted');
  assert.ok(result.interruptedAt && result.interruptedAt.line >= 74 && result.interruptedAt.line <= 76, `stopped at an op line: ${result.message}`);
  const after = await k.run(cell('[steps.length >= 10, w.numpy() < 5, Math.abs(w.numpy() - 5 * (1 - 0.0002) ** steps.length) < 1e-3]'));
  assert.equal(after.value, '[True, True, True]', 'the variable holds exactly the updates of the steps that ran');
});

test('a cell stuck outside JavaScript is restarted after the interrupt timeout, and the kernel says so', async () => {
  const k = await kernel({ interruptTimeoutMs: 500 });
  await k.run(cell('const lost = 1;'));
  const notices: string[] = [];
  k.onNotice.event((n) => notices.push(n));
  const running = k.run(cell('print("blocking");\nAtomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);'));
  await printed(k, 'blocking');
  k.interrupt();
  const result = await running;
  assert.equal(result.outcome, 'restarted');
  assert.match(result.message!, /did not respond to Interrupt within 0\.5 s/);
  assert.equal((await k.run(cell('typeof lost'))).value, "'undefined'");
  assert.equal(notices.length, 1);
});

test('running out of memory restarts the kernel with a message naming the cause', async () => {
  const k = await kernel({ maxOldGenerationSizeMb: 64 });
  await k.run(cell('const lost = 1;'));
  const result = await k.run(cell('const hog: number[][] = [];\nwhile (true) hog.push(new Array(1e5).fill(1.5));'));
  assert.equal(result.outcome, 'restarted');
  assert.match(result.message!, /out of memory \(the kernel's heap limit is 64 MB/);
  assert.equal((await k.run(cell('typeof lost'))).value, "'undefined'", 'the new kernel starts empty');
  assert.equal((await k.run(cell('tf.add(1, 2).numpy()'))).value, '3', 'and works');
});

test('tensors outgrowing the limit (memory outside the JS heap) are an ordinary error: state kept, memory freeable', async () => {
  const k = await kernel({ maxOldGenerationSizeMb: 128 });
  await k.run(cell('const kept = 1;'));
  const viaOps = await k.run(cell('const held = [];\nwhile (true) held.push(tf.zeros([1000, 1000]));'));
  assert.equal(viaOps.outcome, 'error');
  assert.equal(viaOps.error?.name, 'KernelOutOfMemory');
  assert.match(viaOps.error!.message, /^out of memory: tensors and typed arrays hold \d+ MB \(limit 128 MB, tapescope\.kernel\.maxHeapMb\)/);
  assert.equal((await k.run(cell('[kept, held.length > 20]'))).value, '[1, True]', 'no restart: earlier bindings and the tensors are still there');
  await k.run(cell('held.length = 0;'));
  const viaLoop = await k.run(cell('const buffers = [];\nfor (;;) buffers.push(new Float64Array(1e6));'));
  assert.equal(viaLoop.error?.name, 'KernelOutOfMemory', 'plain typed arrays in a loop are caught too');
});

test('process.exit restarts the kernel with a message naming it', async () => {
  const k = await kernel();
  const result = await k.run(cell('print("bye");\nprocess.exit(7);'));
  assert.equal(result.outcome, 'restarted');
  assert.equal(result.message, 'Kernel restarted: the cell called process.exit(7). All state was cleared.');
  assert.equal((await k.run(cell('1 + 1'))).value, '2');
});

test('a stack overflow is an ordinary RangeError at its line: the kernel keeps running and keeps every binding', async () => {
  const k = await kernel();
  await k.run(cell('const kept = "trained model";'));
  const result = await k.run(cell('// %%\nfunction down(n: number): number {\n  return down(n + 1) + 1;\n}\ndown(0);', 5));
  assert.equal(result.outcome, 'error');
  assert.equal(result.error?.name, 'RangeError');
  assert.match(result.error!.message, /Maximum call stack size exceeded/);
  assert.equal(result.error?.location?.line, 8);
  assert.match(result.error!.stack, /kernel_test_cells\.ts:8:\d+/);
  assert.equal((await k.run(cell('[kept, typeof down]'))).value, "['trained model', 'function']");
});

test('Restart Kernel clears state on purpose; runs queue in order', async () => {
  const k = await kernel();
  const order = await Promise.all([k.run(cell('const q: number[] = [];\nq.push(1)')), k.run(cell('await new Promise((r) => setTimeout(r, 20));\nq.push(2)')), k.run(cell('q.push(3); q'))]);
  assert.deepEqual(order.map((r) => r.value), ['1', '2', '[1, 2, 3]']);
  await k.restart();
  assert.equal((await k.run(cell('typeof q'))).value, "'undefined'");
});

test('each run sends its recorded tapes, ops located at their file lines, and the metric points it logged', async () => {
  const k = await kernel();
  const ops: Array<[string, number | undefined]> = [];
  const points: MetricPoint[] = [];
  k.onTapes.event((e) => ops.push(...e.tapes.flatMap((t) => t.nodes.filter((n) => n.kind === 'op').map((n): [string, number | undefined] => [n.op, n.source?.line]))));
  k.onMetrics.event((e) => points.push(...e.points));
  const source = [
    '// %% tape',                                       // file line 31
    'const x = new tf.Variable(3.0);',                  // 32
    'const tape = new tf.GradientTape();',              // 33
    'const y = tape.record(() =>',                      // 34
    '  x.mul(x));',                                     // 35
    'tf.summary.scalar("loss", y, 0);',                 // 36
    'tf.summary.scalar("loss", 4, 1);',                 // 37
    'tape.gradient(y, x)',                              // 38
  ].join('\n');
  const result = await k.run(cell(source, 30));
  assert.equal(result.value, '<tf.Tensor: shape=(), dtype=float32, numpy=6.0>');
  assert.deepEqual(ops, [['Mul', 35]]);
  assert.deepEqual(points.map((p) => [p.name, p.step, p.value]), [['loss', 0, 9], ['loss', 1, 4]]);
});

test('the cell thread rejects malformed messages without running anything', async () => {
  const shared = new SharedArrayBuffer(SHARED_SLOT_COUNT * 4);
  const workerData: CellThreadData = { shared, metricFlushMs: 100, maxTapesPerRun: 10, maxHeapMb: 256, heapSettingName: 'test' };
  const worker = new Worker(await buildCellThread(), { workerData });
  const replies: Array<{ type: string; text?: string; outcome?: string }> = [];
  const got = (n: number) => new Promise<void>((resolve) => {
    const check = () => (replies.length >= n ? resolve() : setTimeout(check, 10));
    check();
  });
  worker.on('message', (m) => replies.push(m));
  worker.postMessage({ type: 'run', runId: 1, code: 'globalThis.ran = 1', scriptName: '../../evil.js', sourceMap: '{}', file: '/x.ts' });
  worker.postMessage({ type: 'eval', code: 'process.exit(1)' });
  worker.postMessage({ type: 'run', runId: 2, code: '(async () => typeof globalThis.ran)()', scriptName: 'tapescope-run-2.js', sourceMap: '{"version":3,"sources":[],"names":[],"mappings":""}', file: '/x.ts' });
  await got(4);
  await worker.terminate();
  assert.equal(replies[0].type, 'ready');
  assert.match(replies[1].text!, /Rejected malformed host→kernel message: scriptName/);
  assert.match(replies[2].text!, /Rejected malformed host→kernel message: unknown type "eval"/);
  assert.deepEqual([replies[3].type, replies[3].outcome], ['done', 'ok']);
});

test('a cell of an unsaved editor (no file on disk) runs, resolving packages from the kernel folder', async () => {
  const k = await kernel();
  const result = await k.run({ code: 'import { sep } from "node:path";\nsep', file: 'Untitled-1', lineOffset: 0, title: '' });
  assert.equal(result.value, "'/'");
});

test('Interrupt also ends a cell that is awaiting a promise that never settles, keeping state', async () => {
  const k = await kernel({ interruptTimeoutMs: 30_000 });
  await k.run(cell('const kept = "yes";'));
  const running = k.run(cell('print("waiting");\nawait new Promise(() => {});'));
  await printed(k, 'waiting');
  k.interrupt();
  const result = await running;
  assert.equal(result.outcome, 'interrupted');
  assert.equal((await k.run(cell('kept'))).value, "'yes'");
});
