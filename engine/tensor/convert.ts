// Turning what users write (numbers, nested arrays, typed arrays, tensors) into tensors.
import { allocate, arrayFrom, isDType, type DType, type TypedArray } from './dtype';
import { Tensor, type NestedArray } from './tensor';
import { assertValidShape, formatShape, sizeOf } from '../shape/shape';

/**
 * Anything an op accepts as a tensor: a Tensor or Variable, a number or boolean (a scalar), nested arrays (their
 * nesting is the shape; ragged arrays are an error), or a typed array (1-D). Numbers become float32, booleans bool.
 */
export type TensorLike = Tensor | number | boolean | NestedArray[] | TypedArray;

function inferShape(op: string, value: NestedArray | TypedArray): number[] {
  const shape: number[] = [];
  let v: unknown = value;
  while (Array.isArray(v) || ArrayBuffer.isView(v)) {
    const arr = v as ArrayLike<unknown>;
    shape.push(arr.length);
    if (arr.length === 0) break;
    v = arr[0];
  }
  return shape;
}

function flatten(op: string, value: NestedArray | TypedArray, shape: number[], out: number[], depth = 0): void {
  if (depth === shape.length) {
    if (typeof value === 'number') out.push(value);
    else if (typeof value === 'boolean') out.push(value ? 1 : 0);
    else throw new Error(`${op}: expected a number at depth ${depth}, got ${Array.isArray(value) ? 'an array' : typeof value}`);
    return;
  }
  const arr = value as ArrayLike<NestedArray>;
  if (!(Array.isArray(arr) || ArrayBuffer.isView(arr)) || arr.length !== shape[depth]) {
    throw new Error(`${op}: ragged nested array: expected length ${shape[depth]} at depth ${depth} for shape ${formatShape(shape)}`);
  }
  for (let i = 0; i < arr.length; i++) flatten(op, arr[i], shape, out, depth + 1);
}

function dtypeOfTypedArray(a: TypedArray): DType {
  if (a instanceof Float64Array) return 'float64';
  if (a instanceof Int32Array) return 'int32';
  if (a instanceof Uint8Array) return 'bool';
  return 'float32';
}

/**
 * Builds a tensor from a value. Numbers become float32 unless `dtype` says otherwise (JavaScript cannot tell
 * `2` from `2.0`); booleans become bool; typed arrays keep their type. `shape` reshapes flat data.
 */
export function makeTensor(op: string, value: TensorLike, dtype?: DType, shape?: readonly number[]): Tensor {
  if (dtype !== undefined && !isDType(dtype)) throw new Error(`${op}: unknown dtype '${String(dtype)}' (use float32, float64, int32 or bool)`);
  if (value instanceof Tensor) {
    throw new Error(`${op}: internal: makeTensor given a Tensor`);
  }
  let flat: number[] | TypedArray;
  let inferred: number[];
  let naturalDType: DType;
  if (typeof value === 'number') {
    flat = [value]; inferred = []; naturalDType = 'float32';
  } else if (typeof value === 'boolean') {
    flat = [value ? 1 : 0]; inferred = []; naturalDType = 'bool';
  } else if (ArrayBuffer.isView(value)) {
    flat = value; inferred = [value.length]; naturalDType = dtypeOfTypedArray(value);
  } else if (Array.isArray(value)) {
    inferred = inferShape(op, value);
    const out: number[] = [];
    flatten(op, value, inferred, out);
    flat = out;
    let leaf: unknown = value;
    while (Array.isArray(leaf) && leaf.length) leaf = leaf[0];
    naturalDType = typeof leaf === 'boolean' ? 'bool' : 'float32';
  } else {
    throw new Error(`${op}: cannot make a tensor from ${value === null ? 'null' : typeof value}`);
  }
  const finalDType = dtype ?? naturalDType;
  let finalShape = inferred;
  if (shape !== undefined) {
    assertValidShape(op, shape);
    const want = sizeOf(shape);
    if (flat.length === 1 && want !== 1) {
      const filled = allocate(finalDType, want);
      filled.fill(arrayFrom(finalDType, flat)[0]);
      return new Tensor(filled, [...shape], finalDType);
    }
    if (want !== flat.length) throw new Error(`${op}: ${flat.length} values cannot fill shape ${formatShape(shape)} (${want} elements)`);
    finalShape = [...shape];
  }
  // Always copy: the caller may keep writing into the array it handed us.
  const storage = arrayFrom(finalDType, flat);
  return new Tensor(storage, finalShape, finalDType);
}
