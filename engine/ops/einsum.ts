// tf.einsum: parses the equation, sums away letters only one operand has, and contracts operands pairwise
// with transpose + reshape + batched matmul, so the gradient of every step is an existing op's.
import type { Tensor } from '../tensor/tensor';
import type { TensorLike } from '../tensor/convert';
import { sizeOf } from '../shape/shape';
import { toTensor } from './op_inputs';
import { matmul } from './matmul';
import { reduceSum } from './reduction';
import { reshape, transpose } from './shape_ops';

interface Labeled { t: Tensor; letters: string[] }

function parse(equation: string, count: number): { inputs: string[][]; output: string[] } {
  const eq = equation.replace(/\s+/g, '');
  if (eq.includes('.')) throw new Error(`einsum: ellipsis ('...') is not supported in '${equation}'`);
  const [lhs, rhs] = eq.split('->');
  const inputs = lhs.split(',').map((s) => s.split(''));
  if (inputs.length !== count) throw new Error(`einsum: '${equation}' names ${inputs.length} operands but ${count} were given`);
  for (const letters of inputs) {
    if (letters.some((c) => !/[a-zA-Z]/.test(c))) throw new Error(`einsum: bad subscripts in '${equation}' (letters only)`);
    if (new Set(letters).size !== letters.length) throw new Error(`einsum: repeated subscripts within one operand ('${letters.join('')}') are not supported`);
  }
  // implicit output: letters that appear exactly once, alphabetically (NumPy's rule)
  const all = inputs.flat();
  const output = rhs !== undefined ? rhs.split('') : [...new Set(all)].filter((c) => all.indexOf(c) === all.lastIndexOf(c)).sort();
  for (const c of output) if (!all.includes(c)) throw new Error(`einsum: output subscript '${c}' does not appear in the inputs of '${equation}'`);
  return { inputs, output };
}

function sumAway(x: Labeled, keep: ReadonlySet<string>): Labeled {
  const axes = x.letters.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return x;
  return { t: reduceSum(x.t, axes), letters: x.letters.filter((c) => keep.has(c)) };
}

function permuted(x: Labeled, order: string[]): Tensor {
  const perm = order.map((c) => x.letters.indexOf(c));
  return perm.every((p, i) => p === i) ? x.t : transpose(x.t, perm);
}

/** a ⊗ b over shared letters: batch letters (kept), contracted ones (summed), and each side's free ones. */
function contract(a: Labeled, b: Labeled, keep: ReadonlySet<string>, dims: Map<string, number>): Labeled {
  const batch = a.letters.filter((c) => b.letters.includes(c) && keep.has(c));
  const summed = a.letters.filter((c) => b.letters.includes(c) && !keep.has(c));
  const freeA = a.letters.filter((c) => !b.letters.includes(c));
  const freeB = b.letters.filter((c) => !a.letters.includes(c));
  const size = (cs: string[]) => sizeOf(cs.map((c) => dims.get(c)!));
  const lhs = reshape(permuted(a, [...batch, ...freeA, ...summed]), [size(batch), size(freeA), size(summed)]);
  const rhs = reshape(permuted(b, [...batch, ...summed, ...freeB]), [size(batch), size(summed), size(freeB)]);
  const letters = [...batch, ...freeA, ...freeB];
  return { t: reshape(matmul(lhs, rhs), letters.map((c) => dims.get(c)!)), letters };
}

/**
 * Tensor contraction by Einstein summation (tf.einsum), e.g. 'ij,jk->ik' (matmul), 'bij,bjk->bik' (batched),
 * 'i,j->ij' (outer product), 'ij->ji', 'ij->' (sum). Any number of operands, contracted left to right.
 * @throws for ellipses or a letter repeated within one operand (diagonals), and for mismatched dimensions
 * @example
 * tf.einsum('ij,jk->ik', [[1, 2]], [[3], [4]]) // → [[11]]
 */
export function einsum(equation: string, ...operands: TensorLike[]): Tensor {
  if (typeof equation !== 'string') throw new Error('einsum: the first argument must be the equation string');
  const { inputs, output } = parse(equation, operands.length);
  const dims = new Map<string, number>();
  const labeled = operands.map((o, k) => {
    const t = toTensor('einsum', o);
    if (t.rank !== inputs[k].length) throw new Error(`einsum: operand ${k} has shape [${t.shape}] but subscripts '${inputs[k].join('')}'`);
    inputs[k].forEach((c, i) => {
      const d = dims.get(c);
      if (d !== undefined && d !== t.shape[i]) throw new Error(`einsum: subscript '${c}' is ${d} in one operand and ${t.shape[i]} in operand ${k}`);
      dims.set(c, t.shape[i]);
    });
    return { t, letters: inputs[k] };
  });
  const neededAfter = (k: number) => new Set([...output, ...inputs.slice(k + 1).flat()]);
  let acc = sumAway(labeled[0], new Set([...neededAfter(0), ...inputs.slice(1).flat()]));
  for (let k = 1; k < labeled.length; k++) {
    const keep = neededAfter(k);
    const next = sumAway(labeled[k], new Set([...keep, ...acc.letters]));
    acc = contract(sumAway(acc, new Set([...keep, ...next.letters])), next, keep, dims);
  }
  acc = sumAway(acc, new Set(output));
  return permuted(acc, output);
}
