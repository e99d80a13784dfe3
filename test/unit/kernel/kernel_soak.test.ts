// Soak: 1,000 cells in a row on one Kernel with 100 faults of every kind mixed in (process exits, aborts, signals,
// a V8-killing allocation, heap-filling loops, stack overflows, oversized tensors, stuck loops, leftover timers).
// Every cell gets its answer, and this process (the host) ends with the memory and the child processes it had
// after the first 100 cells: nothing leaks per run, per restart or per fault.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cell, childProcessCount, startKernel } from './kernel_fixture';
import type { Kernel, RunResult } from '../../../src/kernel/kernel';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settledHeapMb(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`soak: host heap ${(heapUsed / 2 ** 20).toFixed(1)} MB, rss ${(rss / 2 ** 20).toFixed(1)} MB`);
  return heapUsed / 2 ** 20;
}

interface Fault { name: string; code: string; expect: (r: RunResult) => boolean; interruptAfterMs?: number; then?: (k: Kernel) => Promise<void> }

const restarted = (cause: RegExp) => (r: RunResult) => r.outcome === 'restarted' && cause.test(r.message ?? '');
const failedWith = (name: string) => (r: RunResult) => r.outcome === 'error' && r.error?.name === name;

const CHEAP_FAULTS: Fault[] = [
  { name: 'process.exit', code: 'process.exit(3);', expect: restarted(/process\.exit\(3\)/) },
  { name: 'process.abort', code: 'process.abort();', expect: restarted(/process\.abort\(\)/) },
  { name: 'SIGKILL', code: 'process.kill(process.pid, "SIGKILL");', expect: restarted(/SIGKILL/) },
  { name: 'stack overflow', code: 'function down(n: number): number { return down(n + 1) + 1; }\ndown(0);', expect: failedWith('RangeError') },
  { name: '40 GB tensor', code: 'tf.zeros([100000, 100000]);', expect: failedWith('TensorMemoryError') },
  { name: 'throw', code: 'throw new TypeError("bad input");', expect: failedWith('TypeError') },
  { name: 'stuck loop', code: 'while (true) {}', interruptAfterMs: 30, expect: (r) => r.outcome === 'interrupted' },
  {
    name: 'leftover interval',
    code: 'setInterval(() => {}, 5)',
    expect: (r) => r.outcome === 'ok' && r.value === '<Timeout every 5 ms>',
    then: (k) => new Promise<void>((resolve) => {
      const sub = k.onNotice.event((n) => {
        if (!/^Interrupt: cancelled 1 interval/.test(n)) return;
        sub.dispose();
        resolve();
      });
      k.interrupt();
    }),
  },
];

/** Seconds each (they wait for the heap watch, or V8), so they come 4 times each among the 100. */
const SLOW_FAULTS: Fault[] = [
  { name: 'heap-filling loop', code: 'const junk: object[] = [];\nfor (;;) junk.push({ n: junk.length, s: "x" + junk.length });', expect: (r) => (r.outcome === 'interrupted' && /the heap reached/.test(r.message ?? '')) || restarted(/out of memory/)(r),
    // (kernel_faults.test.ts pins the interrupt; here either way of stopping it will do)
    then: async (k) => { await k.run(cell('if (typeof junk !== "undefined") junk.length = 0;')); } },
  { name: 'new Array(1e9).fill(0)', code: 'new Array(1e9).fill(0);', expect: restarted(/ran out of memory/) },
];

const TOTAL = 1000;
const FAULT_EVERY = 10;

function faultNumber(n: number): Fault {
  if (n % 25 === 12) return SLOW_FAULTS[0];
  if (n % 25 === 24) return SLOW_FAULTS[1];
  return CHEAP_FAULTS[n % CHEAP_FAULTS.length];
}

test('1,000 cells with 100 mixed faults: every cell answers; host memory and child processes stay flat', { timeout: 600_000 }, async () => {
  const k = await startKernel({ maxOldGenerationSizeMb: 256, interruptTimeoutMs: 2000 });
  const seen = new Map<string, number>();
  const faultMs = new Map<string, number>();
  const soakStarted = performance.now();
  let baseline: { heapMb: number; children: number } | undefined;
  try {
    for (let i = 0; i < TOTAL; i++) {
      if (i % FAULT_EVERY === 4) {
        const fault = faultNumber(Math.floor(i / FAULT_EVERY));
        const started = performance.now();
        const running = k.run(cell(fault.code));
        if (fault.interruptAfterMs !== undefined) setTimeout(() => k.interrupt(), fault.interruptAfterMs);
        const result = await running;
        assert.ok(fault.expect(result), `cell ${i} (${fault.name}): ${result.outcome} ${result.message ?? result.error?.message ?? result.value}`);
        await fault.then?.(k);
        seen.set(fault.name, (seen.get(fault.name) ?? 0) + 1);
        faultMs.set(fault.name, (faultMs.get(fault.name) ?? 0) + performance.now() - started);
      } else if (i % 7 === 0) {
        const result = await k.run(cell(`const x = new tf.Variable(${i});\nconst tape = new tf.GradientTape();\nconst y = tape.record(() => x.mul(x));\ntape.gradient(y, x).numpy()`));
        assert.equal(result.value, String(2 * i), `cell ${i}: ${result.outcome} ${result.error?.message ?? ''}`);
      } else {
        const result = await k.run(cell(`const v = tf.scalar(${i});\nv.add(1).numpy()`));
        assert.equal(result.value, String(i + 1), `cell ${i}: ${result.outcome} ${result.error?.message ?? ''}`);
      }
      if (i === 99) baseline = { heapMb: await settledHeapMb(), children: childProcessCount() };
    }
    console.log(`soak: ${TOTAL} cells in ${((performance.now() - soakStarted) / 1000).toFixed(1)} s; faults (count, total s): ${[...seen].map(([name, n]) => `${name} ${n}× ${(faultMs.get(name)! / 1000).toFixed(1)}`).join(', ')}`);
    assert.equal([...seen.values()].reduce((a, b) => a + b, 0), TOTAL / FAULT_EVERY);
    assert.equal(seen.size, CHEAP_FAULTS.length + SLOW_FAULTS.length, 'every kind of fault happened');
    const end = { heapMb: await settledHeapMb(), children: childProcessCount() };
    assert.equal(end.children, baseline!.children, `child processes after 100 cells: ${baseline!.children}, at the end: ${end.children}`);
    assert.ok(end.heapMb - baseline!.heapMb < 8, `host heap after 100 cells ${baseline!.heapMb.toFixed(1)} MB, at the end ${end.heapMb.toFixed(1)} MB`);
  } finally {
    await k.dispose();
  }
  assert.equal(childProcessCount(), baseline!.children - 1, 'dispose ended the kernel process');
});
