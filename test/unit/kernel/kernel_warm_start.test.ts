// Cold start and restart without waiting: warmUp() starts the kernel process and the compiler before any run, and
// with `spareProcess` a second warmed-up process is kept, which a restart (by the user or after a fault) swaps
// to. This test process plays the extension host; process ids and /proc prove which process ran what.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { cell, childProcessCount, isAlive, startKernel } from './kernel_fixture';
import type { Kernel, RunResult } from '../../../src/kernel/kernel';

const kernels: Kernel[] = [];
async function kernel(spareProcess: boolean): Promise<Kernel> {
  const k = await startKernel({ spareProcess });
  kernels.push(k);
  return k;
}
after(async () => {
  await Promise.all(kernels.map((k) => k.dispose()));
});

/** Waits until `probe` returns a value (the spare starts in the background once the kernel is idle). */
async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function warmSpare(k: Kernel): Promise<number> {
  const pid = await eventually('a spare kernel process', () => k.spareProcessId);
  await k.spareReady();
  return pid;
}

test('warmUp starts the kernel process before any run, and the first cell runs in that very process', async () => {
  const k = await kernel(false);
  assert.equal(k.processId, undefined, 'nothing runs before warmUp');
  await k.warmUp();
  const pid = k.processId;
  assert.ok(pid !== undefined && isAlive(pid), 'the kernel process is up and ready');
  assert.equal(k.state, 'idle');
  assert.equal(k.spareProcessId, undefined, 'no spare unless asked for');
  const first = await k.run(cell('const a = 20;\na + 22'));
  assert.equal(first.value, '42');
  assert.equal(k.processId, pid, 'no second fork: the warmed process ran the cell');
  const errors = await k.run(cell('tf.tensor([1, 2]).add(tf.tensor([1, 2, 3]))'));
  assert.equal(errors.outcome, 'error', 'the warm-up left nothing in the way of ordinary errors');
  assert.match(errors.error!.message, /shapes?/i);
});

test('the warm-ups leave nothing in the kernel: no binding, no output, no tape of theirs', async () => {
  const k = await kernel(false);
  const streams: string[] = [];
  const tapes: number[] = [];
  const subs = [k.onStream.event((e) => streams.push(e.text)), k.onTapes.event((t) => tapes.push(t.tapes.length))];
  await k.warmUp();
  const result = await k.run(cell('[typeof x, typeof tape, typeof y, typeof dx, typeof points, typeof label, typeof total]'));
  assert.equal(result.value, "['undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined', 'undefined']");
  assert.deepEqual(streams, [], 'nothing printed');
  assert.deepEqual(tapes, [], "no tape sent: the warm-up's tape is not the user's");
  const taped = await k.run(cell('const w = tf.constant(2.0);\nconst t = new tf.GradientTape();\nconst v = t.record(() => { t.watch([w]); return w.mul(w); });\nt.gradient(v, [w])'));
  assert.equal(taped.outcome, 'ok');
  subs.forEach((s) => s.dispose());
  assert.deepEqual(tapes, [1], "the first cell's own tape, alone");
});

test('with spareProcess a second warm process is kept; Restart swaps to it: state cleared, the cause told, the next cell answers', async () => {
  const k = await kernel(true);
  await k.warmUp();
  const first = k.processId!;
  const spare = await warmSpare(k);
  assert.notEqual(spare, first);
  assert.equal((await k.run(cell('const kept = 7;\nkept * 6'))).value, '42');

  const notices: string[] = [];
  const restarts: string[] = [];
  const subs = [k.onNotice.event((n) => notices.push(n)), k.onRestarted.event((r) => restarts.push(r.cause))];
  const running = k.run(cell('while (true) {}'));
  await eventually('the loop running', () => (k.state === 'busy' ? true : undefined));
  const swapped = performance.now();
  await k.restart();
  const swapMs = performance.now() - swapped;
  const loop: RunResult = await running;
  subs.forEach((s) => s.dispose());
  assert.equal(loop.outcome, 'restarted');
  assert.equal(loop.message, 'Kernel restarted by the user; all state was cleared.');
  assert.deepEqual(restarts, ['restarted by the user']);
  assert.deepEqual(notices, ['Kernel restarted; all state was cleared.']);
  assert.equal(k.processId, spare, 'the spare became the kernel process');
  assert.equal(isAlive(first), false, 'the old process is gone');
  assert.equal(k.state, 'idle');
  console.log(`restart onto the spare took ${swapMs.toFixed(0)} ms (kill + swap)`);

  assert.equal((await k.run(cell('[typeof kept, 6 * 7]'))).value, "['undefined', 42]", 'a fresh kernel: the old binding is gone');
  const next = await warmSpare(k);
  assert.ok(next !== spare && next !== first, 'a new spare is started once the kernel is idle again');
});

test('a cell queued while Restart is under way runs on the new process and is not lost', async () => {
  const k = await kernel(true);
  await k.warmUp();
  const spare = await warmSpare(k);
  await k.run(cell('const old = 1;'));
  const restarting = k.restart();
  const queued = k.run(cell('typeof old'));
  await restarting;
  const result = await queued;
  assert.equal(result.outcome, 'ok', `${result.outcome} ${result.message ?? ''}`);
  assert.equal(result.value, "'undefined'");
  assert.equal(k.processId, spare);
});

test('after a fault the kernel swaps to the spare and names the cause (exit, abort, signal, out of memory)', async () => {
  const k = await kernel(true);
  await k.warmUp();
  const faults: Array<[string, RegExp]> = [
    ['process.exit(3);', /^Kernel restarted: the cell called process\.exit\(3\)\. All state was cleared\.$/],
    ['process.abort();', /^Kernel restarted: the cell called process\.abort\(\)\./],
    ['process.kill(process.pid, "SIGKILL");', /^Kernel restarted: the kernel process was killed \(SIGKILL\)\./],
    ['const big = new Array(1e9).fill(0);', /^Kernel restarted: the kernel ran out of memory/],
  ];
  for (const [code, cause] of faults) {
    const spare = await warmSpare(k);
    const before = k.processId!;
    await k.run(cell('const mine = 1;'));
    const result = await k.run(cell(code));
    assert.equal(result.outcome, 'restarted', `${code}: ${result.outcome} ${result.message ?? result.error?.message}`);
    assert.match(result.message!, cause);
    assert.equal(k.processId, spare, `${code}: the spare took over`);
    await eventually(`${code}: the faulted process gone`, () => (isAlive(before) ? undefined : true));
    assert.equal((await k.run(cell('[typeof mine, 2 + 2]'))).value, "['undefined', 4]", `${code}: fresh and answering`);
  }
});

test('a spare that dies on its own is dropped: Restart then starts a new process, and a new spare follows', async () => {
  const k = await kernel(true);
  await k.warmUp();
  const spare = await warmSpare(k);
  process.kill(spare, 'SIGKILL');
  await eventually('the dead spare dropped', () => (k.spareProcessId === undefined ? true : undefined));
  const before = k.processId!;
  await k.restart();
  assert.ok(k.processId !== undefined && k.processId !== spare && k.processId !== before);
  assert.equal((await k.run(cell('1 + 1'))).value, '2');
  await warmSpare(k);
});

test('dispose ends the kernel process and its spare: no child process is left', async () => {
  const baseline = childProcessCount();
  const k = await startKernel({ spareProcess: true });
  await k.warmUp();
  const spare = await warmSpare(k);
  const pid = k.processId!;
  assert.equal(childProcessCount(), baseline + 2, 'the kernel process and the spare');
  await k.run(cell('1'));
  await k.restart();
  await warmSpare(k);
  assert.equal(childProcessCount(), baseline + 2, 'a restart replaces, never adds');
  await k.dispose();
  assert.equal(isAlive(pid), false);
  assert.equal(isAlive(spare), false);
  assert.equal(childProcessCount(), baseline, 'dispose left no process behind');
  assert.equal(k.spareProcessId, undefined);
});

test('a kernel process that cannot start makes warmUp end quietly in state stopped; the Run then says why', async () => {
  const k = await startKernel({ workerScript: '/nonexistent/kernel_process.js', spareProcess: true });
  kernels.push(k);
  await k.warmUp();
  assert.equal(k.state, 'stopped');
  assert.equal(k.processId, undefined);
  assert.equal(k.spareProcessId, undefined, 'no spare for a kernel that is not running');
  const result = await k.run(cell('1 + 1'));
  assert.equal(result.outcome, 'error');
  assert.match(result.error!.message, /ended while starting.*Cannot find module/);
});
