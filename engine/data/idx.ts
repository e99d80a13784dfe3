// The IDX format of MNIST and Fashion-MNIST: magic [0, 0, dtype code, rank], `rank` big-endian uint32
// dimensions, then the values big-endian. Files may be gzip-compressed (recognised by their magic bytes).
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export type IdxValues = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

/** An IDX file's contents. */
export interface IdxArray {
  /** The dimensions from the header ([60000, 28, 28] for MNIST's training images). */
  shape: number[];
  /** The IDX type name: 'ubyte', 'byte', 'short', 'int', 'float', 'double'. */
  type: string;
  /** The values, row-major, in the typed array of their type. */
  values: IdxValues;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: 'ubyte', bytes: 1 },
  0x09: { name: 'byte', bytes: 1 },
  0x0b: { name: 'short', bytes: 2 },
  0x0c: { name: 'int', bytes: 4 },
  0x0d: { name: 'float', bytes: 4 },
  0x0e: { name: 'double', bytes: 8 },
};

/**
 * tf.data.parseIdx: parses the bytes of an IDX file (MNIST's format, plain or gzip-compressed). `source` names
 * the file in errors.
 * @throws Error for a bad magic number, an unknown type code, or a file shorter than its header says.
 * @example
 * ```ts
 * const bytes = tf.data.encodeIdx([2, 2], 'ubyte', [1, 2, 3, 4]);
 * tf.data.parseIdx(bytes, 'memory').shape // → [2, 2]
 * ```
 */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  let data = bytes;
  if (data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b) {
    try {
      data = gunzipSync(data);
    } catch (e) {
      throw new Error(`IDX: ${source} looks gzip-compressed but does not decompress (${(e as Error).message}); the file is corrupt or truncated`);
    }
  }
  if (data.length < 4 || data[0] !== 0 || data[1] !== 0) {
    throw new Error(`IDX: ${source} is not an IDX file (its first bytes should be 00 00 <type> <rank>)`);
  }
  const type = TYPES[data[2]];
  if (type === undefined) throw new Error(`IDX: ${source} has unknown type code 0x${data[2].toString(16).padStart(2, '0')}`);
  const rank = data[3];
  const headerBytes = 4 + 4 * rank;
  if (data.length < headerBytes) throw new Error(`IDX: ${source} ends inside its header (${data.length} bytes, rank ${rank})`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const shape: number[] = [];
  for (let i = 0; i < rank; i++) shape.push(view.getUint32(4 + 4 * i, false));
  const count = shape.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count * type.bytes;
  if (data.length !== expected) {
    throw new Error(`IDX: ${source} holds ${data.length} bytes but its header [${shape.join(', ')}] of ${type.name} needs ${expected}; the file is corrupt or truncated`);
  }
  return { shape, type: type.name, values: readValues(view, headerBytes, count, type.name) };
}

function readValues(view: DataView, offset: number, count: number, type: string): IdxValues {
  switch (type) {
    case 'ubyte': return new Uint8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'byte': return new Int8Array(view.buffer.slice(view.byteOffset + offset, view.byteOffset + offset + count));
    case 'short': { const out = new Int16Array(count); for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false); return out; }
    case 'int': { const out = new Int32Array(count); for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false); return out; }
    case 'float': { const out = new Float32Array(count); for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false); return out; }
    default: { const out = new Float64Array(count); for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false); return out; }
  }
}

/**
 * tf.data.readIdx: reads and parses an IDX file (plain or .gz).
 * @throws Error naming the path when it cannot be read, or what parseIdx throws.
 * @example
 * ```ts
 * const labels = tf.data.readIdx(tf.data.defaultDataDir() + '/t10k-labels-idx1-ubyte.gz');
 * labels.shape // → [10000]
 * labels.type // → ubyte
 * ```
 */
export function readIdx(path: string): IdxArray {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new Error(`IDX: cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseIdx(bytes, path);
}

/**
 * tf.data.encodeIdx: encodes values as IDX bytes of type 'ubyte', 'int' or 'float' (for fixtures and small
 * exports); parseIdx reads them back.
 * @example
 * ```ts
 * Array.from(tf.data.parseIdx(tf.data.encodeIdx([3], 'int', [7, 8, 9]), 'memory').values) // → [7, 8, 9]
 * ```
 */
export function encodeIdx(shape: readonly number[], type: 'ubyte' | 'int' | 'float', values: ArrayLike<number>): Uint8Array {
  const code = type === 'ubyte' ? 0x08 : type === 'int' ? 0x0c : 0x0d;
  const bytesPer = type === 'ubyte' ? 1 : 4;
  const header = 4 + 4 * shape.length;
  const out = new Uint8Array(header + values.length * bytesPer);
  const view = new DataView(out.buffer);
  out[2] = code;
  out[3] = shape.length;
  shape.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < values.length; i++) {
    if (type === 'ubyte') out[header + i] = values[i];
    else if (type === 'int') view.setInt32(header + 4 * i, values[i], false);
    else view.setFloat32(header + 4 * i, values[i], false);
  }
  return out;
}
