// The inline result after a cell: the value first, shortened for tensors, and cut only between words however
// narrow the room. The reprs come from the real engine through the kernel's value formatting.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tf } from '../../../engine';
import { reprValue } from '../../../src/kernel/value_format';
import { fitToWords, inlineBudget, inlineErrorText, inlineValueText } from '../../../src/editor/inline_result';

const NARROW = [8, 16, 24, 32, 48];

/** Every word of `shown` (minus a trailing ellipsis) is a whole word of `full`. */
function assertWholeWords(shown: string, full: string): void {
  const words = new Set(full.split(' '));
  const parts = shown.replace(/…$/, '').split(' ');
  parts.forEach((word, i) => {
    const last = i === parts.length - 1;
    assert.ok(words.has(word) || (last && [...words].some((w) => w.startsWith(word) && /^[,;:]$/.test(w.slice(word.length)))),
      `"${word}" of "${shown}" is cut from "${full}"`);
  });
}

test('tensors show their value first: a scalar, a short vector, a matrix by shape, dtype and norm', () => {
  assert.equal(inlineValueText(reprValue(tf.scalar(12)), 80), '→ 12.0');
  assert.equal(inlineValueText(reprValue(tf.constant([2, 1])), 80), '→ [2.0, 1.0]');
  const m = tf.constant([[0.1, 0.05, 0], [0, 0.1, 0], [0, 0, 0.1], [0.05, 0, 0.1]]);
  // ‖·‖ = sqrt(4·0.01 + 2·0.0025) = sqrt(0.045) = 0.2121…
  assert.equal(inlineValueText(reprValue(m), 80), '→ (4,\u00a03)\u00a0float32\u00a0‖·‖\u00a00.21');
  assert.equal(inlineValueText(reprValue(new tf.Variable(2.88, { name: 'x' })), 80), '→ 2.88');
  assert.equal(inlineValueText(reprValue([null, tf.scalar(2)]), 80), '→ [None, 2.0]');
  assert.equal(inlineValueText(reprValue(tf.constant([1, 2], 'int32')), 80), '→ [1, 2] int32');
  assert.equal(inlineValueText(reprValue(tf.range(0, 2000)), 80), '→ (2000,)\u00a0float32');
});

test('at narrow widths the value is still whole and nothing is cut mid-word', () => {
  const m = tf.constant([[0.1, 0.05, 0], [0, 0.1, 0], [0, 0, 0.1], [0.05, 0, 0.1]]);
  for (const budget of NARROW) {
    assert.equal(inlineValueText(reprValue(tf.scalar(12)), budget), '→ 12.0');
    assert.match(inlineValueText(reprValue(m), budget), /^→ \(4,\u00a03\)\u00a0float32\u00a0‖·‖\u00a00\.21$/);
    const record = { loss: 0.019731998, accuracy: 0.87, note: 'training went well overall' };
    const full = `→ ${reprValue(record)}`;
    const shown = inlineValueText(reprValue(record), budget);
    assert.ok(shown.startsWith("→ {'loss': 0.019731998"), `the first value is whole at ${budget}: ${shown}`);
    assert.ok(shown.length <= Math.max(budget, "→ {'loss': 0.019731998…".length), `${shown} is longer than ${budget}`);
    assertWholeWords(shown, full);
  }
});

test('an error keeps its line number and cuts its message between words', () => {
  const message = 'ShapeError: matmul: inner dimensions must match: a is [2, 3], b is [2, 3]';
  for (const budget of NARROW) {
    const shown = inlineErrorText(message, 12, budget);
    assert.ok(shown.endsWith(' (line 12)'), shown);
    assertWholeWords(shown.replace(/ \(line 12\)$/, ''), `✗ ${message}`);
  }
  assert.equal(inlineErrorText(message, 12, 200), `✗ ${message} (line 12)`);
});

test('fitToWords cuts after the last whole word and the budget follows the room left on the line', () => {
  assert.equal(fitToWords('→ one two three four', 14), '→ one two…');
  assert.equal(fitToWords('→ one two three four', 100), '→ one two three four');
  assert.equal(fitToWords('→ averyveryverylongword tail', 10), '→ averyveryverylongword…');
  assert.equal(inlineBudget(20, 80), 56);
  assert.equal(inlineBudget(78, 80), 24);
});
