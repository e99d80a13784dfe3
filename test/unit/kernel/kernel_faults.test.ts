// Faults no cell may turn into a crash of its host: this test process plays the extension host and drives the
// real Kernel (a forked kernel process running cells on its thread). Each fault ends in a restart that names its
// cause, or in an ordinary error that keeps state; the next cell answers.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cell, isAlive, startKernel } from './kernel_fixture';
import type { Kernel, RunResult } from '../../../src/kernel/kernel';

const kernels: Kernel[] = [];
async function kernel(overrides: Parameters<typeof startKernel>[0] = {}): Promise<Kernel> {
  const k = await startKernel(overrides);
  kernels.push(k);
  return k;
}
after(async () => {
  await Promise.all(kernels.map((k) => k.dispose()));
});

/** Runs `code` after a binding, expects a restart whose message matches `cause`, then a fresh kernel answering within 10 s. */
async function expectRestart(k: Kernel, code: string, cause: RegExp): Promise<RunResult> {
  await k.run(cell('const before = 1;'));
  const oldPid = k.processId!;
  const notices: string[] = [];
  const sub = k.onNotice.event((n) => notices.push(n));
  const result = await k.run(cell(code));
  sub.dispose();
  assert.equal(result.outcome, 'restarted', `${code}: ${result.outcome} ${result.message ?? result.error?.message}`);
  assert.match(result.message!, cause);
  assert.match(result.message!, /All state was cleared\.$/);
  assert.deepEqual(notices, [result.message], 'the user is told once, in the same words');
  const started = performance.now();
  const next = await k.run(cell('[typeof before, 6 * 7]'));
  assert.equal(next.value, "['undefined', 42]", 'a fresh kernel, empty and answering');
  assert.ok(performance.now() - started < 10_000, `the next cell answered in ${Math.round(performance.now() - started)} ms`);
  assert.notEqual(k.processId, oldPid);
  assert.equal(isAlive(oldPid), false, 'the old kernel process is gone');
  return result;
}

test('new Array(1e9).fill(0) restarts the kernel, naming memory as the cause; the host lives on', async () => {
  const k = await kernel({ maxOldGenerationSizeMb: 512, interruptTimeoutMs: 1500 });
  const result = await expectRestart(k, 'const a = new Array(1e9).fill(0);', /^Kernel restarted: the kernel ran out of memory \(the cell held \d+ MB of its 512 MB heap limit, tapescope\.kernel\.maxHeapMb/);
  assert.ok(result.durationMs < 30_000, `restarted after ${Math.round(result.durationMs)} ms`);
});

test('process.abort() restarts the kernel and says the cell called it', async () => {
  await expectRestart(await kernel(), 'print("about to abort");\nprocess.abort();', /^Kernel restarted: the cell called process\.abort\(\)\./);
});

test('process.exit(3) restarts the kernel and names the exit code', async () => {
  await expectRestart(await kernel(), 'process.exit(3);', /^Kernel restarted: the cell called process\.exit\(3\)\./);
});

test('a cell that kills its own process with a signal restarts the kernel naming the signal', async () => {
  const k = await kernel();
  await expectRestart(k, 'process.kill(process.pid, "SIGKILL");', /^Kernel restarted: the kernel process was killed \(SIGKILL\)\./);
  await expectRestart(k, 'process.kill(process.pid, "SIGTERM");\nawait new Promise((r) => setTimeout(r, 5000));', /^Kernel restarted: the kernel process was terminated \(SIGTERM\)\./);
});

test('a cell that asks for a 40 GB tensor is refused with the op, shape, size and limit; state is kept', async () => {
  const k = await kernel({ maxOldGenerationSizeMb: 4096 });
  await k.run(cell('const w = tf.constant([1, 2, 3]);'));
  const result = await k.run(cell('const big = tf.zeros([100000, 100000]);', 10));
  assert.equal(result.outcome, 'error');
  assert.equal(result.error?.name, 'TensorMemoryError');
  assert.equal(result.error?.message, "zeros: [100000, 100000] float32 needs 37.3 GB; the kernel's limit is 4.0 GB (tapescope.kernel.maxHeapMb)");
  assert.equal(result.error?.location?.line, 11);
  const random = await k.run(cell('tf.random.normal([50000, 50000, 2])'));
  assert.match(random.error!.message, /^random\.normal: \[50000, 50000, 2\] float32 needs 18\.6 GB; the kernel's limit is 4\.0 GB/);
  assert.equal((await k.run(cell('w.sum().numpy()'))).value, '6', 'no restart: the earlier binding is still there');
});

test('a heap-filling loop is stopped within 20 s with a message, keeping its bindings', async () => {
  const k = await kernel({ maxOldGenerationSizeMb: 512, interruptTimeoutMs: 5000 });
  await k.run(cell('const kept = "model";'));
  const started = performance.now();
  const result = await k.run(cell('const junk: object[] = [];\nfor (;;) junk.push({ i: junk.length, s: "x" + junk.length });', 30));
  const seconds = (performance.now() - started) / 1000;
  assert.ok(seconds < 20, `stopped after ${seconds.toFixed(1)} s`);
  assert.equal(result.outcome, 'interrupted', result.message);
  assert.match(result.message!, /^interrupted at line 32: the heap reached \d+ MB of its 512 MB limit \(tapescope\.kernel\.maxHeapMb\); every binding was kept/);
  assert.equal((await k.run(cell('[kept, junk.length > 100000]'))).value, "['model', True]");
  await k.run(cell('junk.length = 0;'));
  assert.equal((await k.run(cell('tf.add(1, 2).numpy()'))).value, '3', 'and the kernel works on');
});

/** Resolves with the first stream event whose text contains `marker`. */
function streamed(k: Kernel, marker: string): Promise<{ runId: number; text: string }> {
  return new Promise((resolve) => {
    const sub = k.onStream.event((e) => {
      if (!e.text.includes(marker)) return;
      sub.dispose();
      resolve(e);
    });
  });
}

test('Interrupt with no cell running stops an interval an earlier cell left, and says what it cancelled', async () => {
  const k = await kernel();
  const started = await k.run(cell('let ticks = 0;\nsetInterval(() => { ticks++; print("tick", ticks); }, 20)'));
  assert.equal(started.value, '<Timeout every 20 ms>', 'a Node handle prints as a short repr');
  // A later cell runs while the interval keeps ticking: its ticks are told apart as the first cell's output.
  const tick = streamed(k, 'tick');
  const later = await k.run(cell('await new Promise((r) => setTimeout(r, 100));\n"later"'));
  assert.equal(later.value, "'later'");
  assert.equal((await tick).runId, started.runId, 'late output belongs to the cell that started the timer');
  const notice = new Promise<string>((resolve) => k.onNotice.event(resolve));
  k.interrupt();
  assert.equal(await notice, `Interrupt: cancelled 1 interval started in cell [${started.runId}].`);
  const still = await k.run(cell('const t0 = ticks;\nawait new Promise((r) => setTimeout(r, 200));\n[ticks === t0, ticks > 0]'));
  assert.equal(still.value, '[True, True]', 'the interval stopped and the state it built is kept');
  const nothing = new Promise<string>((resolve) => k.onNotice.event(resolve));
  k.interrupt();
  assert.equal(await nothing, 'Interrupt: nothing was running and no timers were pending.');
});

test('interrupting a running cell also cancels the timers it started, and the result says so', async () => {
  const k = await kernel({ interruptTimeoutMs: 10_000 });
  let late = false;
  k.onStream.event((e) => { if (e.text.includes('late')) late = true; });
  const running = k.run(cell('setTimeout(() => print("late"), 300);\nsetTimeout(() => print("late"), 400);\nprint("spinning");\nwhile (true) {}'));
  await streamed(k, 'spinning');
  k.interrupt();
  const result = await running;
  assert.equal(result.outcome, 'interrupted');
  assert.equal(result.message, `interrupted at line 4; cancelled 2 timeouts started in cell [${result.runId}]`);
  await new Promise((r) => setTimeout(r, 600));
  assert.equal(late, false, 'the cancelled timeouts never fired');
});

test('dispose ends the kernel process and finishes the running cell through onRunFinished', async () => {
  const k = await startKernel();
  await k.run(cell('1'));
  const pid = k.processId!;
  const finished: string[] = [];
  k.onRunFinished.event((f) => finished.push(f.result.outcome));
  const running = k.run(cell('await new Promise(() => {});'));
  await new Promise((r) => setTimeout(r, 200));
  await k.dispose();
  assert.equal((await running).outcome, 'cancelled');
  assert.deepEqual(finished, ['cancelled']);
  assert.equal(isAlive(pid), false);
  assert.equal(k.state, 'stopped');
});

test('a kernel process that cannot start fails the run with the reason, and the kernel tries again on the next run', async () => {
  const k = await startKernel({ workerScript: '/nonexistent/kernel_process.js' });
  try {
    const result = await k.run(cell('1 + 1'));
    assert.equal(result.outcome, 'error');
    assert.match(result.error!.message, /^The kernel process ended while starting: the kernel process exited with code 1 \(.*Cannot find module/);
    const again = await k.run(cell('1 + 1'));
    assert.match(again.error!.message, /ended while starting/, 'no restart loop: each run asks for a fresh start');
  } finally {
    await k.dispose();
  }
});

test('a host too busy to notice the interrupt deadline in time does not blame the kernel for it', async () => {
  const k = await kernel({ interruptTimeoutMs: 1000 });
  await k.run(cell('const kept = 1;'));
  const running = k.run(cell('print("spinning");\nwhile (true) {}'));
  await streamed(k, 'spinning');
  k.interrupt();
  // This thread (the extension host's) is blocked past the deadline; the kernel stopped long before.
  const until = Date.now() + 2500;
  while (Date.now() < until) { /* busy host */ }
  const result = await running;
  assert.equal(result.outcome, 'interrupted', result.message);
  assert.equal((await k.run(cell('kept'))).value, '1');
});
