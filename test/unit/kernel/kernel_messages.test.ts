import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedMessageError, validateHostToKernel, validateKernelProcessConfig, validateKernelToHost } from '../../../src/protocol/kernel_messages';

const run = { type: 'run', runId: 3, code: '1', scriptName: 'tapescope-run-3.js', sourceMap: '{}', file: '/a.ts' };

test('a well-formed run message passes host→kernel validation unchanged', () => {
  assert.equal(validateHostToKernel(run), run);
});

test('host→kernel: wrong types, unknown kinds, odd script names and non-objects are rejected', () => {
  for (const bad of [null, 'run', [], { ...run, type: 'eval' }, { ...run, runId: -1 }, { ...run, runId: 1.5 },
    { ...run, code: 42 }, { ...run, scriptName: '/etc/passwd' }, { ...run, file: undefined }]) {
    assert.throws(() => validateHostToKernel(bad), MalformedMessageError, JSON.stringify(bad));
  }
});

test('kernel→host: each message kind is checked field by field', () => {
  assert.equal(validateKernelToHost({ type: 'ready' }).type, 'ready');
  assert.equal(validateKernelToHost({ type: 'stream', runId: 1, stream: 'stdout', text: 'x' }).type, 'stream');
  assert.equal(validateKernelToHost({ type: 'done', runId: 1, outcome: 'ok', value: '2', durationMs: 1 }).type, 'done');
  assert.equal(validateKernelToHost({ type: 'metrics', runId: 1, points: [{ name: 'loss', step: 0, value: 1, wallTime: 5 }] }).type, 'metrics');
  const bad = [
    { type: 'stream', runId: 1, stream: 'stdin', text: 'x' },
    { type: 'done', runId: 1, outcome: 'error', durationMs: 1 },
    { type: 'done', runId: 1, outcome: 'ok', durationMs: 1, error: { name: 'E' } },
    { type: 'done', runId: 1, outcome: 'finished', durationMs: 1 },
    { type: 'done', runId: 1, outcome: 'interrupted', durationMs: 1, interruptedAt: { line: 3 } },
    { type: 'tapes', runId: 1, tapes: [{ nodes: [] }], droppedTapes: 0 },
    { type: 'metrics', runId: 1, points: [{ name: 'loss', step: '0', value: 1, wallTime: 5 }] },
    { type: 'exec' },
  ];
  for (const message of bad) assert.throws(() => validateKernelToHost(message), MalformedMessageError, JSON.stringify(message));
});

test('the kernel process boundary: interrupt, its report, the heap watch and the thread exit are checked too', () => {
  assert.equal(validateHostToKernel({ type: 'interrupt' }).type, 'interrupt');
  assert.deepEqual(validateKernelToHost({ type: 'interruptReport', cancelled: ['1 interval started in cell [2]'] }),
    { type: 'interruptReport', cancelled: ['1 interval started in cell [2]'] });
  assert.equal(validateKernelToHost({ type: 'heapNearLimit', runId: 4, usedMb: 900, limitMb: 1024 }).type, 'heapNearLimit');
  assert.equal(validateKernelToHost({ type: 'threadExit', cause: 'the cell called process.exit(3)' }).type, 'threadExit');
  assert.equal(validateKernelToHost({ type: 'done', runId: 1, outcome: 'interrupted', durationMs: 1, cancelled: ['2 timeouts started in cell [1]'] }).type, 'done');
  for (const bad of [
    { type: 'interruptReport', cancelled: [3] },
    { type: 'heapNearLimit', runId: 4, usedMb: '900', limitMb: 1024 },
    { type: 'threadExit' },
    { type: 'done', runId: 1, outcome: 'interrupted', durationMs: 1, cancelled: 'all' },
    { type: 'done', runId: 1, outcome: 'error', durationMs: 1, error: { name: 'E', message: 'm', stack: 's' }, fatal: 'stack-overflow' },
  ]) assert.throws(() => validateKernelToHost(bad), MalformedMessageError, JSON.stringify(bad));
  assert.throws(() => validateHostToKernel({ type: 'interrupt-all' }), MalformedMessageError);
});

test('the kernel process refuses a start configuration it cannot use', () => {
  const config = { maxHeapMb: 4096, youngGenerationMb: 192, metricFlushMs: 100, maxTapesPerRun: 200, heapSettingName: 'tapescope.kernel.maxHeapMb' };
  assert.equal(validateKernelProcessConfig(config), config);
  for (const bad of [null, { ...config, maxHeapMb: 0 }, { ...config, metricFlushMs: '100' }, { ...config, heapSettingName: undefined }]) {
    assert.throws(() => validateKernelProcessConfig(bad), MalformedMessageError, JSON.stringify(bad));
  }
});
