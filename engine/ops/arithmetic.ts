// Arithmetic ops with broadcasting. Each op: argument checks, the forward kernel call, and beside it its
// module-level gradient function, written with ops so that it can be differentiated again.
import { allocate } from '../tensor/dtype';
import { Tensor, SCALAR_SHAPE, scalarTensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { broadcastShapes, shapesEqual, sizeOf } from '../shape/shape';
import { mapBinary, mapUnary, type BinaryFn, type UnaryFn } from '../kernels/elementwise';
import { runOp } from '../tape/op_runner';
import { withScalarRule, type GradFn } from '../tape/tape_node';
import { binaryInputs, toTensor } from './op_inputs';
import { reduceSum } from './reduction';
import { reshape } from './shape_ops';
import { greaterEqual, less, greater, cast, where } from './comparison';
import { zerosLike } from './creation';

/** Runs a broadcasting binary kernel into a fresh tensor. */
export function binaryForward(op: string, a: Tensor, b: Tensor, f: BinaryFn): Tensor {
  if (a.shape.length === 0 && b.shape.length === 0) {
    // scalar graphs (micrograd-style) are dominated by per-op overhead: skip shape work, and storage for floats
    const dtype = a.dtype;
    if (dtype === 'float32' || dtype === 'float64') return scalarTensor(f(a.scalarValue(), b.scalarValue()), dtype);
    const out = allocate(a.dtype, 1);
    out[0] = f(a.dataSync()[0], b.dataSync()[0]);
    return new Tensor(out, SCALAR_SHAPE, a.dtype);
  }
  const shape = shapesEqual(a.shape, b.shape) ? a.shape.slice() : broadcastShapes(op, a.shape, b.shape);
  const out = allocate(a.dtype, sizeOf(shape));
  mapBinary(a.dataSync(), a.shape, b.dataSync(), b.shape, out, shape, f);
  return new Tensor(out, shape, a.dtype);
}

export function unaryForward(x: Tensor, f: UnaryFn): Tensor {
  const dtype = x.dtype;
  if (x.shape.length === 0 && (dtype === 'float32' || dtype === 'float64')) return scalarTensor(f(x.scalarValue()), dtype);
  const out = allocate(x.dtype, x.size);
  mapUnary(x.dataSync(), out, f);
  return new Tensor(out, x.shape.length === 0 ? SCALAR_SHAPE : x.shape.slice(), x.dtype);
}

/** Sums a broadcast gradient back down to the shape of the operand it came from. */
export function sumToShape(dy: Tensor, shape: readonly number[]): Tensor {
  if (shapesEqual(dy.shape, shape)) return dy;
  const lead = dy.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < dy.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && dy.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? reduceSum(dy, axes, true) : dy;
  return reshape(summed, shape);
}

const ADD: BinaryFn = (a, b) => a + b;
const SUB: BinaryFn = (a, b) => a - b;
const MUL: BinaryFn = (a, b) => a * b;
const ADD_FORWARD = (inputs: Tensor[]) => binaryForward('add', inputs[0], inputs[1], ADD);
const SUB_FORWARD = (inputs: Tensor[]) => binaryForward('sub', inputs[0], inputs[1], SUB);
const MUL_FORWARD = (inputs: Tensor[]) => binaryForward('mul', inputs[0], inputs[1], MUL);
const DIV: BinaryFn = (a, b) => a / b;
const INT_DIV: BinaryFn = (a, b) => Math.floor(a / b);
const POW: BinaryFn = (a, b) => Math.pow(a, b);
const MAX: BinaryFn = (a, b) => (a >= b || a !== a ? a : b);
const MIN: BinaryFn = (a, b) => (a <= b || a !== a ? a : b);

const ADD_GRAD = withScalarRule((dy, needs, [x, y]) => [needs[0] ? sumToShape(dy, x.shape) : null, needs[1] ? sumToShape(dy, y.shape) : null],
  (_r, dy, _x, _y, _out, g) => { g[0] = dy; g[1] = dy; });
const SUB_GRAD = withScalarRule((dy, needs, [x, y]) => [needs[0] ? sumToShape(dy, x.shape) : null, needs[1] ? sumToShape(neg(dy), y.shape) : null],
  (_r, dy, _x, _y, _out, g) => { g[0] = dy; g[1] = -dy; });
const MUL_GRAD = withScalarRule((dy, needs, [x, y]) => [needs[0] ? sumToShape(mul(dy, y), x.shape) : null, needs[1] ? sumToShape(mul(dy, x), y.shape) : null],
  (r, dy, x, y, _out, g) => { g[0] = r(dy * y); g[1] = r(dy * x); });
const DIV_GRAD = withScalarRule((dy, needs, [x, y]) => [
  needs[0] ? sumToShape(div(dy, y), x.shape) : null,
  needs[1] ? sumToShape(neg(div(mul(dy, x), square(y))), y.shape) : null,
], (r, dy, x, y, _out, g) => { g[0] = r(dy / y); g[1] = -r(r(dy * x) / r(y * y)); });
const POW_GRAD: GradFn = (dy, needs, [x, p], out) => [
  needs[0] ? sumToShape(mul(dy, mul(p, pow(x, sub(p, 1)))), x.shape) : null,
  needs[1] ? sumToShape(mul(dy, mul(out, safeLogForPow(x))), p.shape) : null,
];
const MAXIMUM_GRAD: GradFn = (dy, needs, [x, y]) => {
  const xWins = cast(greaterEqual(x, y), dy.dtype);
  return [
    needs[0] ? sumToShape(mul(dy, xWins), x.shape) : null,
    needs[1] ? sumToShape(mul(dy, sub(1, xWins)), y.shape) : null,
  ];
};
const MINIMUM_GRAD: GradFn = (dy, needs, [x, y]) => {
  const yWins = cast(less(y, x), dy.dtype);
  return [
    needs[0] ? sumToShape(mul(dy, sub(1, yWins)), x.shape) : null,
    needs[1] ? sumToShape(mul(dy, yWins), y.shape) : null,
  ];
};

/**
 * a + b, elementwise (tf.add, tf.math.add). Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.add([1, 2], 10) // → [11, 12]
 * tf.add([[1], [2]], [10, 20]) // → [[11, 21], [12, 22]]
 * ```
 */
export function add(a: TensorLike, b: TensorLike): Tensor {
  return runOp('Add', binaryInputs('add', a, b), ADD_FORWARD, ADD_GRAD);
}

/**
 * a - b, elementwise (tf.subtract; tf.sub is TF.js's name). Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.sub([5, 7], [1, 2]) // → [4, 5]
 * ```
 */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  return runOp('Sub', binaryInputs('sub', a, b), SUB_FORWARD, SUB_GRAD);
}

/**
 * a · b, elementwise (tf.multiply; tf.mul is TF.js's name); for the matrix product see tf.matmul. Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.mul([[1, 2], [3, 4]], [10, 100]) // → [[10, 200], [30, 400]]
 * ```
 */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  return runOp('Mul', binaryInputs('mul', a, b), MUL_FORWARD, MUL_GRAD);
}

/**
 * a / b, elementwise (tf.divide, tf.math.truediv); x / 0 is ±Infinity or NaN, as in TF. Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.div([1, 3], 2) // → [0.5, 1.5]
 * ```
 */
export function div(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('div', a, b);
  const f = x.dtype === 'int32' ? INT_DIV : DIV;
  return runOp('Div', [x, y], () => binaryForward('div', x, y, f), DIV_GRAD);
}

/**
 * a to the power b, elementwise (tf.pow). The gradient with respect to the exponent uses log(a) where a > 0 and 0 elsewhere, as TF does. Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.pow(2, [1, 2, 3]) // → [2, 4, 8]
 * tf.pow([4, 9], 0.5) // → [2, 3]
 * ```
 */
export function pow(a: TensorLike, b: TensorLike): Tensor {
  const [x, p] = binaryInputs('pow', a, b);
  return runOp('Pow', [x, p], () => binaryForward('pow', x, p, POW), POW_GRAD);
}

function safeLogForPow(x: Tensor): Tensor {
  const positive = greater(x, 0);
  return where(positive, log(where(positive, x, 1)), zerosLike(x));
}

/**
 * The larger of a and b, elementwise (tf.maximum); the gradient goes to the larger input. Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.maximum([1, 5], 3) // → [3, 5]
 * ```
 */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('maximum', a, b);
  return runOp('Maximum', [x, y], () => binaryForward('maximum', x, y, MAX), MAXIMUM_GRAD);
}

/**
 * The smaller of a and b, elementwise (tf.minimum); the gradient goes to the smaller input. Shapes broadcast as in NumPy; numbers and arrays are converted (TensorLike).
 * @throws Error naming the op and both shapes when they do not broadcast.
 * @example
 * ```ts
 * tf.minimum([1, 5], 3) // → [1, 3]
 * ```
 */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = binaryInputs('minimum', a, b);
  return runOp('Minimum', [x, y], () => binaryForward('minimum', x, y, MIN), MINIMUM_GRAD);
}

function unary(op: string, name: string, x: TensorLike, f: UnaryFn, grad: GradFn): Tensor {
  const t = toTensor(name, x);
  return runOp(op, [t], () => unaryForward(t, f), grad);
}

/** The forward of a unary op as a module-level function of its inputs (no closure per call; see runOp). */
export function unaryKernel(f: UnaryFn): (inputs: Tensor[]) => Tensor {
  return (inputs) => unaryForward(inputs[0], f);
}

const NEGATE: UnaryFn = (v) => -v;
const SQUARE: UnaryFn = (v) => v * v;
const RECIPROCAL: UnaryFn = (v) => 1 / v;
const NEG_GRAD = withScalarRule((dy) => [neg(dy)], (_r, dy, _x, _y, _out, g) => { g[0] = -dy; });
const SQUARE_GRAD = withScalarRule((dy, _needs, [t]) => [mul(dy, mul(t, 2))], (r, dy, x, _y, _out, g) => { g[0] = r(dy * r(x * 2)); });
const SQRT_GRAD = withScalarRule((dy, _needs, _inputs, out) => [div(dy, mul(out, 2))], (r, dy, _x, _y, out, g) => { g[0] = r(dy / r(out * 2)); });
const EXP_GRAD = withScalarRule((dy, _needs, _inputs, out) => [mul(dy, out)], (r, dy, _x, _y, out, g) => { g[0] = r(dy * out); });
const LOG_GRAD = withScalarRule((dy, _needs, [t]) => [div(dy, t)], (r, dy, x, _y, _out, g) => { g[0] = r(dy / x); });
const SIGN_GRAD: GradFn = (_dy, _needs, [t]) => [zerosLike(t)];
const ABS_GRAD: GradFn = (dy, _needs, [t]) => [mul(dy, sign(t))];
const RECIPROCAL_GRAD: GradFn = (dy, _needs, _inputs, out) => [neg(mul(dy, square(out)))];
const SIN_GRAD: GradFn = (dy, _needs, [t]) => [mul(dy, cos(t))];
const COS_GRAD: GradFn = (dy, _needs, [t]) => [neg(mul(dy, sin(t)))];

/**
 * -x, elementwise (tf.negative; tf.neg is TF.js's name).
 * @example
 * ```ts
 * tf.neg([1, -2]) // → [-1, 2]
 * ```
 */
export function neg(x: TensorLike): Tensor {
  return unary('Neg', 'neg', x, NEGATE, NEG_GRAD);
}

/**
 * x², elementwise (tf.square); its gradient is 2x.
 * @example
 * ```ts
 * tf.square([2, -3]) // → [4, 9]
 * ```
 */
export function square(x: TensorLike): Tensor {
  return unary('Square', 'square', x, SQUARE, SQUARE_GRAD);
}

/**
 * √x, elementwise (tf.sqrt); NaN for negative x, and an infinite gradient at 0.
 * @example
 * ```ts
 * tf.sqrt([4, 9]) // → [2, 3]
 * ```
 */
export function sqrt(x: TensorLike): Tensor {
  return unary('Sqrt', 'sqrt', x, Math.sqrt, SQRT_GRAD);
}

/**
 * eˣ, elementwise (tf.exp).
 * @example
 * ```ts
 * tf.exp([0, 1]) // → [1, 2.718282]
 * ```
 */
export function exp(x: TensorLike): Tensor {
  return unary('Exp', 'exp', x, Math.exp, EXP_GRAD);
}

/**
 * The natural logarithm, elementwise (tf.math.log); -Infinity at 0 and NaN for negative x, as in TF.
 * @example
 * ```ts
 * tf.log([1, Math.E]) // → [0, 1]
 * ```
 */
export function log(x: TensorLike): Tensor {
  return unary('Log', 'log', x, Math.log, LOG_GRAD);
}

/**
 * |x|, elementwise (tf.abs); the gradient is sign(x).
 * @example
 * ```ts
 * tf.abs([-1.5, 2]) // → [1.5, 2]
 * ```
 */
export function abs(x: TensorLike): Tensor {
  return unary('Abs', 'abs', x, Math.abs, ABS_GRAD);
}

/**
 * -1, 0 or 1 by the sign of x, elementwise (tf.sign); its gradient is zeros (not null), as TF's.
 * @example
 * ```ts
 * tf.sign([-2, 0, 3]) // → [-1, 0, 1]
 * ```
 */
export function sign(x: TensorLike): Tensor {
  const t = toTensor('sign', x);
  return runOp('Sign', [t], () => unaryForward(t, (v) => (v > 0 ? 1 : v < 0 ? -1 : v)), SIGN_GRAD);
}

/**
 * 1 / x, elementwise (tf.math.reciprocal).
 * @example
 * ```ts
 * tf.reciprocal([2, 4]) // → [0.5, 0.25]
 * ```
 */
export function reciprocal(x: TensorLike): Tensor {
  return unary('Reciprocal', 'reciprocal', x, RECIPROCAL, RECIPROCAL_GRAD);
}

/**
 * Sine of x in radians, elementwise (tf.sin).
 * @example
 * ```ts
 * tf.sin([0, Math.PI / 2]) // → [0, 1]
 * ```
 */
export function sin(x: TensorLike): Tensor {
  return unary('Sin', 'sin', x, Math.sin, SIN_GRAD);
}

/**
 * Cosine of x in radians, elementwise (tf.cos).
 * @example
 * ```ts
 * tf.cos([0, Math.PI]) // → [1, -1]
 * ```
 */
export function cos(x: TensorLike): Tensor {
  return unary('Cos', 'cos', x, Math.cos, COS_GRAD);
}
