// A tape's watched ids: a bitmap over its op outputs' ids with a set for the rest must answer exactly as a set would.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WatchedIds } from '../../../engine/tape/watched_ids';
import { makeRng } from '../../../engine/ops/random';
import { tf } from '../../../engine';

test('WatchedIds answers as a Set does for leaves, consecutive outputs, gaps, ids below the first output and ids far beyond', () => {
  const rng = makeRng(11);
  const watched = new WatchedIds();
  const reference = new Set<number>();
  const leaves = [3, 17, 900_000];
  for (const id of leaves) { watched.add(id); reference.add(id); }
  let id = 1_000_000;
  for (let i = 0; i < 20_000; i++) {
    id += 1 + Math.floor(rng() * 5);
    watched.addOutput(id);
    reference.add(id);
  }
  for (const far of [id + 10_000_000, 999_999, 5]) { watched.addOutput(far); reference.add(far); }
  for (let probe = 0; probe < 200_000; probe++) {
    const candidate = probe < 100_000 ? 1_000_000 + probe : Math.floor(rng() * 12_000_000);
    assert.equal(watched.has(candidate), reference.has(candidate), `id ${candidate}`);
  }
  for (const expected of reference) assert.ok(watched.has(expected), `id ${expected}`);
});

test('tape.reset() forgets the outputs it recorded: they are no longer watched and no longer recorded from', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  tape.watch(x);
  const y = tape.record(() => tf.mul(x, x));
  tape.reset();
  const z = tape.record(() => tf.mul(y, y));
  assert.equal(tape.nodes.length, 0, 'y is not watched after reset, so y·y is not recorded');
  assert.equal(tape.gradient(z, x), null);
});
