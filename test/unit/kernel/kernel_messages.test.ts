import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MalformedMessageError, validateHostToWorker, validateWorkerToHost } from '../../../src/protocol/kernel_messages';

const run = { type: 'run', runId: 3, code: '1', scriptName: 'tapescope-run-3.js', sourceMap: '{}', file: '/a.ts' };

test('a well-formed run message passes host→worker validation unchanged', () => {
  assert.equal(validateHostToWorker(run), run);
});

test('host→worker: wrong types, unknown kinds, odd script names and non-objects are rejected', () => {
  for (const bad of [null, 'run', [], { ...run, type: 'eval' }, { ...run, runId: -1 }, { ...run, runId: 1.5 },
    { ...run, code: 42 }, { ...run, scriptName: '/etc/passwd' }, { ...run, file: undefined }]) {
    assert.throws(() => validateHostToWorker(bad), MalformedMessageError, JSON.stringify(bad));
  }
});

test('worker→host: each message kind is checked field by field', () => {
  assert.equal(validateWorkerToHost({ type: 'ready' }).type, 'ready');
  assert.equal(validateWorkerToHost({ type: 'stream', runId: 1, stream: 'stdout', text: 'x' }).type, 'stream');
  assert.equal(validateWorkerToHost({ type: 'done', runId: 1, outcome: 'ok', value: '2', durationMs: 1 }).type, 'done');
  assert.equal(validateWorkerToHost({ type: 'metrics', runId: 1, points: [{ name: 'loss', step: 0, value: 1, wallTime: 5 }] }).type, 'metrics');
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
  for (const message of bad) assert.throws(() => validateWorkerToHost(message), MalformedMessageError, JSON.stringify(message));
});
