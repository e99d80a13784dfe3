// A cell's value that is a function or a Node handle prints as a short repr, never as Node's internals.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { reprValue } from '../../../src/kernel/value_format';

test('functions, classes, timers and promises print short', async () => {
  function step(): void {}
  class Model {}
  assert.equal(reprValue(step), '<function step>');
  assert.equal(reprValue(() => 1), '<function anonymous>');
  assert.equal(reprValue(Model), '<class Model>');
  const interval = setInterval(() => {}, 250);
  const timeout = setTimeout(() => {}, 1000);
  const immediate = setImmediate(() => {});
  try {
    assert.equal(reprValue(interval), '<Timeout every 250 ms>');
    assert.equal(reprValue(timeout), '<Timeout after 1000 ms>');
    assert.equal(reprValue(immediate), '<Immediate>');
    assert.equal(reprValue([interval]), '[<Timeout every 250 ms>]');
  } finally {
    clearInterval(interval);
    clearTimeout(timeout);
    clearImmediate(immediate);
  }
  assert.equal(reprValue(timeout), '<Timeout done>');
  assert.equal(reprValue(new Promise(() => {})), '<Promise pending>');
  const done = Promise.resolve(42);
  await done;
  assert.equal(reprValue(done), '<Promise fulfilled: 42>');
  const failed = Promise.reject(new Error('no'));
  failed.catch(() => {});
  await new Promise((r) => setImmediate(r));
  assert.equal(reprValue(failed), '<Promise rejected>');
});
