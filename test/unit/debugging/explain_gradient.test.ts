// tape.explainGradient(target, source): every cause of a null gradient, produced and named, and the same reason
// in the exported trace.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { tf, Tensor, traceCapture } from '../../../engine';

// where-the-path-broke causes need op lineage, which the engine keeps only on request (or while capturing)
before(() => tf.debugging.enableGradientExplanations());
after(() => tf.debugging.disableGradientExplanations());

test('connected: a recorded path links source and target', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return x.mul(x); });
  assert.equal(tape.explainGradient(y, x).connected, true);
});

test('never watched: a constant the tape did not watch', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => x.mul(x));
  assert.equal(tape.gradient(y, x), null);
  const why = tape.explainGradient(y, x);
  assert.equal(why.reason, 'not-watched');
  assert.match(why.message, /never watched/);
});

test('never watched: a non-trainable variable', () => {
  const v = new tf.Variable(tf.constant(2.0), { trainable: false, name: 'frozen' });
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => v.mul(v));
  assert.equal(tape.gradient(y, v), null);
  const why = tape.explainGradient(y, v);
  assert.equal(why.reason, 'not-watched');
  assert.match(why.message, /variable 'frozen' is not trainable/);
});

test('integer tensor: int32 carries no gradient', () => {
  const i = tf.constant([1, 2], 'int32');
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(i); return tf.cast(i, 'float32').mul(2); });
  assert.equal(tape.gradient(y, i), null);
  const why = tape.explainGradient(y, i);
  assert.equal(why.reason, 'integer-dtype');
  assert.match(why.message, /int32/);
});

test('computed before recording began: the path runs through an op the tape never saw, which is named', () => {
  const x = tf.constant([1.0, 2.0]);
  const h = x.mul(3);   // before recording
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch([x, h]); return h.square(); });
  assert.equal(tape.gradient(y, x), null);
  const why = tape.explainGradient(y, x);
  assert.equal(why.reason, 'recorded-outside');
  assert.match(why.message, /^no recorded path from tensor #\d+ to tensor #\d+: the target depends on it through its Mul, but that op ran before recording began/, why.message);
});

test('target computed outside the tape', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  tape.record(() => tape.watch(x));
  const y = x.mul(x);
  assert.equal(tape.gradient(y, x), null);
  assert.equal(tape.explainGradient(y, x).reason, 'recorded-outside');
});

test('through tf.stopGradient', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch(x); return tf.stopGradient(x.mul(x)).mul(3); });
  assert.equal(tape.gradient(y, x), null);
  const why = tape.explainGradient(y, x);
  assert.equal(why.reason, 'stop-gradient');
  assert.match(why.message, /stopGradient/);
});

test('through tape.stopRecording', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => {
    tape.watch(x);
    const h = tape.stopRecording(() => x.exp());
    return h.mul(2);
  });
  assert.equal(tape.gradient(y, x), null);
  const why = tape.explainGradient(y, x);
  assert.equal(why.reason, 'stop-gradient');
  assert.match(why.message, /Exp, which ran inside tape.stopRecording/);
});

test('a Variable replaced by a Tensor (v = v.add(1)) instead of assignAdd', () => {
  let v: Tensor = new tf.Variable(tf.constant(3.0), { name: 'v' });
  const tape = new tf.GradientTape({ persistent: true });
  const loss = tape.record(() => {
    const l = v.mul(v);
    v = v.add(1);   // the bug: v is now a plain Tensor
    return l;
  });
  assert.equal(tape.gradient(loss, v), null);
  const why = tape.explainGradient(loss, v);
  assert.equal(why.reason, 'variable-replaced');
  assert.match(why.message, /not variable 'v' but a new Tensor computed from it by Add.*assignAdd/);
});

test('watched, but the target does not depend on it', () => {
  const x = tf.constant(2.0);
  const z = tf.constant(5.0);
  const tape = new tf.GradientTape({ persistent: true });
  const y = tape.record(() => { tape.watch([x, z]); return x.mul(x); });
  assert.equal(tape.gradient(y, z), null);
  assert.equal(tape.explainGradient(y, z).reason, 'no-path');
});

test('a non-persistent tape already used', () => {
  const x = tf.constant(2.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return x.mul(x); });
  tape.gradient(y, x);
  const why = tape.explainGradient(y, x);
  assert.equal(why.reason, 'tape-already-used');
  assert.match(why.message, /persistent: true/);
});

test('the trace carries the reason and explanation for each null source', () => {
  traceCapture.begin();
  const x = tf.constant(2.0);
  const z = tf.constant(1.0);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return tf.stopGradient(x.mul(x)).add(x.mul(z)); });
  const [gx, gz] = tape.gradient(y, [x, z]);
  assert.equal(gx!.dataSync()[0], 1);
  assert.equal(gz, null);
  const [trace] = traceCapture.end();
  const zEntry = trace.tensors.find((t) => t.id === z.id)!;
  assert.equal(zEntry.nullReason, 'not-watched');
  assert.match(zEntry.nullExplanation!, /never watched/);
});

test('without op lineage the explanation says how to learn where the path broke', () => {
  tf.debugging.disableGradientExplanations();
  try {
    const x = tf.constant([1.0, 2.0]);
    const h = x.mul(3);
    const tape = new tf.GradientTape({ persistent: true });
    const y = tape.record(() => { tape.watch(h); return h.square(); });
    const why = tape.explainGradient(y, x);
    assert.equal(why.reason, 'not-watched');
    assert.match(why.message, /enableGradientExplanations\(\)/);
  } finally {
    tf.debugging.enableGradientExplanations();
  }
});
