// The IDX reader against files this test writes (plain and gzip), corrupt and missing files, and CSV parsing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../engine';

let dir = '';
before(() => { dir = mkdtempSync(join(tmpdir(), 'tapescope-idx-')); });
after(() => rmSync(dir, { recursive: true, force: true }));

/** Big-endian IDX bytes written out by hand, independent of the engine's encoder. */
function idxBytes(typeCode: number, shape: number[], body: number[]): Buffer {
  const header = [0, 0, typeCode, shape.length];
  for (const d of shape) header.push((d >>> 24) & 255, (d >>> 16) & 255, (d >>> 8) & 255, d & 255);
  return Buffer.from([...header, ...body]);
}

test('reads a plain ubyte IDX file: shape from the big-endian header, values in order', () => {
  const path = join(dir, 'plain-idx3-ubyte');
  writeFileSync(path, idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]));
  const arr = tf.data.readIdx(path);
  assert.deepEqual(arr.shape, [2, 2, 3]);
  assert.equal(arr.type, 'ubyte');
  assert.deepEqual(Array.from(arr.values), [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
});

test('reads gzip-compressed files and big-endian int and float payloads', () => {
  const ints = join(dir, 'ints.gz');
  // 258 = 0x00000102, -2 = 0xfffffffe
  writeFileSync(ints, gzipSync(idxBytes(0x0c, [2], [0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe])));
  assert.deepEqual(Array.from(tf.data.readIdx(ints).values), [258, -2]);
  const floats = join(dir, 'floats');
  // 1.5 = 0x3fc00000, -2 = 0xc0000000
  writeFileSync(floats, idxBytes(0x0d, [1, 2], [0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0]));
  const f = tf.data.readIdx(floats);
  assert.deepEqual(f.shape, [1, 2]);
  assert.deepEqual(Array.from(f.values), [1.5, -2]);
  const roundTrip = tf.data.parseIdx(tf.data.encodeIdx([3], 'int', [7, -8, 9]), 'memory');
  assert.deepEqual(Array.from(roundTrip.values), [7, -8, 9]);
});

test('corrupt, truncated and missing files raise errors naming the file', () => {
  const truncated = join(dir, 'truncated');
  writeFileSync(truncated, idxBytes(0x08, [10], [1, 2, 3]));
  assert.throws(() => tf.data.readIdx(truncated), /truncated.*holds 11 bytes but its header \[10\] of ubyte needs 18/);
  const notIdx = join(dir, 'notidx');
  writeFileSync(notIdx, 'hello world');
  assert.throws(() => tf.data.readIdx(notIdx), /notidx is not an IDX file/);
  const badGz = join(dir, 'bad.gz');
  writeFileSync(badGz, Buffer.from([0x1f, 0x8b, 1, 2, 3]));
  assert.throws(() => tf.data.readIdx(badGz), /bad\.gz looks gzip-compressed but does not decompress/);
  const badType = join(dir, 'badtype');
  writeFileSync(badType, idxBytes(0x07, [1], [1]));
  assert.throws(() => tf.data.readIdx(badType), /unknown type code 0x07/);
  assert.throws(() => tf.data.readIdx(join(dir, 'absent')), /cannot read .*absent: ENOENT/);
});

function writeMnistLike(folder: string, count: number, gz: boolean): void {
  const enc = (name: string, bytes: Uint8Array) => writeFileSync(join(folder, gz ? `${name}.gz` : name), gz ? gzipSync(bytes) : bytes);
  for (const prefix of ['train', 't10k']) {
    const pixels = Array.from({ length: count * 4 }, (_, i) => (i * 37) % 256);
    enc(`${prefix}-images-idx3-ubyte`, tf.data.encodeIdx([count, 2, 2], 'ubyte', pixels));
    enc(`${prefix}-labels-idx1-ubyte`, tf.data.encodeIdx([count], 'ubyte', Array.from({ length: count }, (_, i) => i % 10)));
  }
}

test('readDataSets on written files: splits, scaling, one-hot labels, seeded per-epoch shuffling', () => {
  for (const gz of [false, true]) {
    const folder = mkdtempSync(join(dir, gz ? 'gz-' : 'plain-'));
    writeMnistLike(folder, 20, gz);
    const sets = tf.data.readDataSets(folder, { oneHot: true, seed: 3, validationSize: 5 });
    assert.equal(sets.train.numExamples, 15);
    assert.equal(sets.validation.numExamples, 5);
    assert.equal(sets.test.numExamples, 20);
    const [images, labels] = sets.train.nextBatch(15);
    assert.deepEqual(images.shape, [15, 4]);
    assert.deepEqual(labels.shape, [15, 10]);
    // every training example exactly once per epoch: example k (k = 5..19) has first pixel (4k·37 mod 256)/255 and label k mod 10
    const firsts = [];
    for (let r = 0; r < 15; r++) {
      const px = images.dataSync()[r * 4];
      const k = [...Array(20).keys()].slice(5).find((e) => Math.abs(((4 * e * 37) % 256) / 255 - px) < 1e-7)!;
      firsts.push(k);
      const row = Array.from(labels.dataSync().slice(r * 10, r * 10 + 10));
      assert.equal(row.indexOf(1), k % 10);
      assert.equal(row.reduce((a, b) => a + b, 0), 1);
    }
    assert.deepEqual([...firsts].sort((a, b) => a - b), [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.notDeepEqual(firsts, [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], 'shuffled');
    assert.ok(images.dataSync().every((v) => v >= 0 && v <= 1));
    sets.train.nextBatch(4);
    assert.equal(sets.train.epochsCompleted, 1);
    const again = tf.data.readDataSets(folder, { oneHot: false, seed: 3, validationSize: 5 });
    const [, intLabels] = again.train.nextBatch(15);
    assert.equal(intLabels.dtype, 'int32');
    assert.deepEqual(Array.from(intLabels.dataSync()), firsts.map((k) => k % 10), 'same seed, same order');
  }
});

test('readDataSets says where it looked and how to get the data', () => {
  assert.throws(() => tf.data.readDataSets(join(dir, 'nowhere')), /data directory .*nowhere does not exist.*apt-get install dataset-fashion-mnist.*TAPESCOPE_DATA_DIR/s);
  const empty = mkdtempSync(join(dir, 'empty-'));
  assert.throws(() => tf.data.readDataSets(empty), /cannot find train-images-idx3-ubyte\(\.gz\) in .*empty-.*looked for .*apt-get install dataset-fashion-mnist/s);
  const corrupt = mkdtempSync(join(dir, 'corrupt-'));
  writeMnistLike(corrupt, 3, true);
  writeFileSync(join(corrupt, 'train-labels-idx1-ubyte.gz'), gzipSync(idxBytes(0x08, [5], [1, 2])));
  assert.throws(() => tf.data.readDataSets(corrupt), /train-labels-idx1-ubyte\.gz holds 10 bytes but its header \[5\].*TAPESCOPE_DATA_DIR/s);
  const saved = process.env.TAPESCOPE_DATA_DIR;
  process.env.TAPESCOPE_DATA_DIR = join(dir, 'from-env');
  try {
    assert.equal(tf.data.defaultDataDir(), join(dir, 'from-env'));
    assert.throws(() => tf.data.readDataSets({ oneHot: true }), /from-env does not exist/);
  } finally {
    if (saved === undefined) delete process.env.TAPESCOPE_DATA_DIR;
    else process.env.TAPESCOPE_DATA_DIR = saved;
  }
});

test('readCsv: header, chosen columns, label column, and errors with line numbers', () => {
  const path = join(dir, 'table.csv');
  writeFileSync(path, 'a,b,label,c\n1,2,0,3\n4,5,1,6\n\n');
  const all = tf.data.readCsv(path, { labelColumn: 'label' });
  assert.deepEqual(all.columnNames, ['a', 'b', 'c']);
  assert.deepEqual(all.features.numpy(), [[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(all.labels!.numpy(), [0, 1]);
  const some = tf.data.readCsv(path, { columns: ['c', 0] });
  assert.deepEqual(some.features.numpy(), [[3, 1], [6, 4]]);
  assert.equal(some.labels, null);
  writeFileSync(path, 'x,y\n1,2\n3,oops\n');
  assert.throws(() => tf.data.readCsv(path), /table\.csv line 3, column 'y': 'oops' is not a number/);
  assert.throws(() => tf.data.readCsv(path, { labelColumn: 'z' }), /has no column "z"/);
});
