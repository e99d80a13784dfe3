// Event files written by tf.summary.createFileWriter, read back by a decoder written here from the TFRecord and
// protobuf wire-format specifications (no code shared with the writer: a bitwise CRC-32C, a hand-rolled wire
// reader). TensorBoard itself is not installable on this machine (pip has no internet), so its reader is not used.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tf } from '../../../engine';

/** CRC-32C bit by bit (reflected polynomial 0x82F63B78), then TensorFlow's mask. */
function maskedCrc(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  crc = ~crc >>> 0;
  const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
  return (rotated + 0xa282ead8) % 2 ** 32;
}

function readRecords(file: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  while (at < file.length) {
    const lengthBytes = file.subarray(at, at + 8);
    const length = Number(lengthBytes.readBigUInt64LE(0));
    assert.equal(file.readUInt32LE(at + 8), maskedCrc(lengthBytes), `length CRC of the record at byte ${at}`);
    const data = file.subarray(at + 12, at + 12 + length);
    assert.equal(file.readUInt32LE(at + 12 + length), maskedCrc(data), `data CRC of the record at byte ${at}`);
    out.push(data);
    at += 12 + length + 4;
  }
  assert.equal(at, file.length, 'the file ends on a record boundary');
  return out;
}

type Field = { number: number; wire: number; varint?: bigint; fixed64?: Buffer; fixed32?: Buffer; bytes?: Buffer };

function fields(buf: Buffer): Field[] {
  const out: Field[] = [];
  let at = 0;
  const varint = (): bigint => {
    let result = 0n, shift = 0n;
    for (;;) {
      const b = buf[at++];
      result |= BigInt(b & 0x7f) << shift;
      if ((b & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (at < buf.length) {
    const key = Number(varint());
    const f: Field = { number: key >>> 3, wire: key & 7 };
    if (f.wire === 0) f.varint = varint();
    else if (f.wire === 1) { f.fixed64 = buf.subarray(at, at + 8); at += 8; }
    else if (f.wire === 5) { f.fixed32 = buf.subarray(at, at + 4); at += 4; }
    else if (f.wire === 2) { const n = Number(varint()); f.bytes = buf.subarray(at, at + n); at += n; }
    else throw new Error(`unexpected wire type ${f.wire}`);
    out.push(f);
  }
  return out;
}

interface DecodedEvent { wallTime: number; step: number; fileVersion?: string; values: Array<{ tag: string; simpleValue?: number; histo?: { min: number; max: number; num: number; sum: number; bucketLimit: number[]; bucket: number[] } }> }

const doubles = (b: Buffer): number[] => Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8));

// event.proto: wall_time = 1 (double), step = 2 (int64), file_version = 3, summary = 5;
// summary.proto: Summary.value = 1; Value.tag = 1, simple_value = 2 (float), histo = 5;
// HistogramProto: min 1, max 2, num 3, sum 4, sum_squares 5, bucket_limit 6 (packed), bucket 7 (packed).
function decodeEvent(data: Buffer): DecodedEvent {
  const event: DecodedEvent = { wallTime: NaN, step: 0, values: [] };
  for (const f of fields(data)) {
    if (f.number === 1) event.wallTime = f.fixed64!.readDoubleLE(0);
    if (f.number === 2) event.step = Number(f.varint);
    if (f.number === 3) event.fileVersion = f.bytes!.toString('utf8');
    if (f.number === 5) {
      for (const value of fields(f.bytes!).filter((x) => x.number === 1)) {
        const v: DecodedEvent['values'][number] = { tag: '' };
        for (const g of fields(value.bytes!)) {
          if (g.number === 1) v.tag = g.bytes!.toString('utf8');
          if (g.number === 2) v.simpleValue = g.fixed32!.readFloatLE(0);
          if (g.number === 5) {
            const h = { min: 0, max: 0, num: 0, sum: 0, bucketLimit: [] as number[], bucket: [] as number[] };
            for (const k of fields(g.bytes!)) {
              if (k.number === 1) h.min = k.fixed64!.readDoubleLE(0);
              if (k.number === 2) h.max = k.fixed64!.readDoubleLE(0);
              if (k.number === 3) h.num = k.fixed64!.readDoubleLE(0);
              if (k.number === 4) h.sum = k.fixed64!.readDoubleLE(0);
              if (k.number === 6) h.bucketLimit = doubles(k.bytes!);
              if (k.number === 7) h.bucket = doubles(k.bytes!);
            }
            v.histo = h;
          }
        }
        event.values.push(v);
      }
    }
  }
  return event;
}

function readEventFile(logdir: string): DecodedEvent[] {
  const files = readdirSync(logdir).filter((f) => f.startsWith('events.out.tfevents.'));
  assert.equal(files.length, 1, `one event file in ${logdir}: ${files.join(', ')}`);
  assert.match(files[0], /^events\.out\.tfevents\.\d{10}\.[^.]+\.\d+\.\d+$/);
  return readRecords(readFileSync(join(logdir, files[0]))).map(decodeEvent);
}

test('scalars written under writer.asDefault read back with the same tags, steps and values', () => {
  const logdir = join(mkdtempSync(join(tmpdir(), 'tb-')), 'run1');
  const writer = tf.summary.createFileWriter(logdir);
  const losses = [2.5, 1.25, 0.625, 0.3125];
  const before = Date.now() / 1000;
  writer.asDefault(() => {
    losses.forEach((loss, step) => {
      tf.summary.scalar('loss', loss, step);
      tf.summary.scalar('accuracy', tf.constant(0.5 + step / 10), step);
    });
  });
  tf.summary.scalar('not_written', 1, 0);
  const events = readEventFile(logdir);
  assert.equal(events[0].fileVersion, 'brain.Event:2', 'the first record names the file version');
  const scalars = events.slice(1).flatMap((e) => e.values.map((v) => ({ tag: v.tag, step: e.step, value: v.simpleValue })));
  assert.deepEqual(scalars.filter((s) => s.tag === 'loss'), losses.map((value, step) => ({ tag: 'loss', step, value })));
  const accuracy = scalars.filter((s) => s.tag === 'accuracy');
  assert.deepEqual(accuracy.map((s) => s.step), [0, 1, 2, 3]);
  accuracy.forEach((s, i) => assert.ok(Math.abs(s.value! - (0.5 + i / 10)) < 1e-7));
  assert.ok(!scalars.some((s) => s.tag === 'not_written'), 'nothing is written once asDefault returns');
  assert.ok(events.every((e) => e.wallTime >= before - 1 && e.wallTime <= Date.now() / 1000 + 1), 'wall times in seconds');
});

test('histograms read back with their buckets, counts, min, max and sum', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'tb-'));
  const writer = tf.summary.createFileWriter(logdir);
  const values = [0, 1, 1, 2, 3, 3, 3, 10];
  let wrote = false;
  writer.asDefault(() => { wrote = tf.summary.histogram('weights', values, 7, 5); });
  assert.equal(wrote, true);
  assert.equal(tf.summary.histogram('weights', values, 8), false, 'no default writer: nothing written');
  const [, event] = readEventFile(logdir);
  assert.equal(event.step, 7);
  const h = event.values[0].histo!;
  assert.equal(event.values[0].tag, 'weights');
  assert.deepEqual([h.min, h.max, h.num, h.sum], [0, 10, 8, 23]);
  // 5 equal buckets over [0, 10]: [0,2) [2,4) [4,6) [6,8) [8,10]
  assert.deepEqual(h.bucketLimit, [2, 4, 6, 8, 10]);
  assert.deepEqual(h.bucket, [3, 4, 0, 0, 1]);
});

test('a writer flushes as a loop runs and close() ends it; bad input is refused with the reason', () => {
  const logdir = mkdtempSync(join(tmpdir(), 'tb-'));
  const writer = tf.summary.createFileWriter(logdir, { flushMillis: 0 });
  writer.setAsDefault();
  tf.summary.scalar('x', 1, 5);
  assert.equal(readEventFile(logdir).length, 2, 'flushMillis 0 writes each record at once');
  writer.close();
  assert.throws(() => writer.writeScalar('x', 1, 6), /closed/);
  tf.summary.scalar('y', 1, 0);
  assert.equal(readEventFile(logdir).length, 2, 'a closed writer is no longer the default');
  assert.throws(() => tf.summary.createFileWriter(''), /logdir must be a non-empty folder path/);
  assert.throws(() => tf.summary.histogram('h', [1], 0, 0), /buckets must be a positive integer/);
  assert.throws(() => tf.summary.scalar('s', 1, -1), /step for 's' must be a non-negative integer/);
});
