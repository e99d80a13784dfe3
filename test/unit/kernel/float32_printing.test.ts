// float32 values that reach JavaScript as numbers (item(), numpy(), dataSync()) print as TF prints the float32:
// the fewest digits that read back to the same float32. The values are the seed tutorials' printed outputs
// (/work/shared/seeds/003: 0.01973224 0.00986612 -0.07853862 0.31104344; 002: 2.88; 004: -0.3333333).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { tf } from '../../../engine';
import { consoleArgs, formatPrint, reprValue } from '../../../src/kernel/value_format';
import { formatNumber } from '../../../webview/number_format';

const SEED_PRINTS = ['0.01973224', '0.00986612', '-0.07853862', '0.31104344', '2.88', '-0.3333333'];

test('the float32 nearest each seed value prints back exactly as the seed prints it: cell value, print(), console.log, inspector', () => {
  for (const printed of SEED_PRINTS) {
    const widened = Math.fround(Number(printed));
    assert.notEqual(String(widened), printed, `${printed} would pass without float32 printing`);
    assert.equal(reprValue(widened), printed);
    assert.equal(formatPrint(['x =', widened]), `x = ${printed}`);
    assert.equal(inspect(consoleArgs([widened])[0]), printed);
    assert.equal(formatNumber(widened), printed);
  }
});

test('item(), numpy() and dataSync() of a float32 tensor print the float32 digits', () => {
  const t = tf.constant(SEED_PRINTS.map(Number));
  assert.equal(reprValue(t.numpy()), `[${SEED_PRINTS.join(', ')}]`);
  assert.equal(reprValue(t.dataSync()), `Float32Array(6) [${SEED_PRINTS.join(', ')}]`);
  assert.equal(reprValue(tf.scalar(2.88).item()), '2.88');
  assert.equal(formatPrint([tf.scalar(-0.3333333).numpy()]), '-0.3333333');
});

test('float64 keeps float64 printing: a float64 tensor, its values, and doubles computed in JavaScript', () => {
  const t = tf.constant([1 / 3, 0.1], 'float64');
  assert.equal(reprValue(t.dataSync()), 'Float64Array(2) [0.3333333333333333, 0.1]');
  assert.equal(reprValue(t.numpy()), '[0.3333333333333333, 0.1]');
  assert.equal(reprValue(1 / 3), '0.3333333333333333');
  assert.equal(reprValue(0.1 + 0.2), '0.30000000000000004');
  assert.equal(reprValue(0.5), '0.5');
  assert.equal(reprValue(42), '42');
});
