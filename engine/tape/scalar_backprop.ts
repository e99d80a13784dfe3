// Reverse mode for scalar graphs (micrograd-style code: every recorded op on rank-0 tensors) on plain numbers.
// When nothing would record the gradient's ops — no tape recording, no graph being traced, no check numerics or
// lineage — building a tensor per gradient step only costs time: this pass walks the same nodes with each op's
// ScalarGradFn instead, the gradients in one Float64Array indexed by tensor id (ids of one tape's outputs are
// dense), and makes tensors only for the sources. Its results are bit for bit those of backprop(): the rules round
// where the ops would, and sums meet in the same order. Under trace capture (an observer that reads only values,
// every gradient kept) it tells the observer each step as numbers and makes a scalar per gradient kept.
import { scalarTensor, type Tensor } from '../tensor/tensor';
import { hooks } from '../runtime/hooks';
import { recording } from './recording_state';
import type { Round, ScalarGradFn, TapeNode } from './tape_node';
import type { BackpropObserver } from './backprop';

/** Ids spread wider than this many per node (tensors made in between) are not worth a dense array. */
const MAX_ID_SPREAD_PER_NODE = 8;

const noRounding: Round = (v) => v;

let disabled = 0;

/**
 * @internal Runs `fn` with the scalar pass off, so every backward pass in it runs the gradient ops on tensors (tests
 * and benches compare the two).
 */
export function withoutScalarPass<T>(fn: () => T): T {
  disabled++;
  try {
    return fn();
  } finally {
    disabled--;
  }
}

/** Whether no tape or graph would hear the gradient's ops, so nothing but the numbers is observable. */
export function scalarPassAllowed(): boolean {
  if (disabled !== 0 || recording.graph !== null || recording.checkNumerics || recording.lineage) return false;
  const tapes = recording.tapes;
  for (let i = 0; i < tapes.length; i++) if (tapes[i].pausedDepth === 0) return false;
  return true;
}

/**
 * The gradients of the sources (by id) when every node on a path from a source is a scalar op with a scalar rule
 * and every seed a scalar of its target's dtype; null when not (the caller takes the tensor pass). Callers check
 * scalarPassAllowed() first. With `keepAll`, the gradient of every tensor on a path, as backprop() keeps them;
 * `observer` hears each step, as numbers (its scalarStep).
 */
export function scalarBackprop(nodes: readonly TapeNode[], seeds: ReadonlyMap<number, Tensor>, sourceIds: ReadonlySet<number>,
  keepAll = false, observer?: BackpropObserver): Map<number, Tensor> | null {
  const n = nodes.length;
  if (n === 0) return null;
  // slots: ids of node outputs map densely from `base`; sources outside that range get slots after it
  let base = Infinity;
  let top = -Infinity;
  for (let i = 0; i < n; i++) {
    const id = nodes[i].output.id;
    if (id < base) base = id;
    if (id > top) top = id;
  }
  const spread = top - base + 1;
  if (spread > MAX_ID_SPREAD_PER_NODE * n + 1024) return null;
  let outside: Map<number, number> | null = null;
  let slots = spread;
  for (const id of sourceIds) {
    if (id < base || id > top) (outside ??= new Map()).set(id, slots++);
  }
  const slotOf = (id: number): number => (id >= base && id <= top ? id - base : outside?.get(id) ?? -1);

  // forward: which slots lie on a path from a source, and whether every node on one is a scalar op of one dtype
  const reach = new Uint8Array(slots);
  for (const id of sourceIds) reach[slotOf(id)] = 1;
  const inputSlots = new Int32Array(2 * n);
  let dtype: 'float32' | 'float64' | null = null;
  for (let i = 0; i < n; i++) {
    const node = nodes[i];
    const inputs = node.inputs;
    let reached = false;
    for (let j = 0; j < inputs.length && j < 2; j++) {
      const s = slotOf(inputs[j].id);
      inputSlots[2 * i + j] = s;
      if (s >= 0 && reach[s] === 1) reached = true;
    }
    if (!reached) continue;
    if (!isScalarNode(node) || (dtype ??= node.output.dtype as 'float32' | 'float64') !== node.output.dtype) return null;
    reach[node.output.id - base] = 1;
  }
  if (dtype === null) return null;

  const grads = new Float64Array(slots);
  // 0: no gradient yet, 2: only the seed (an untouched source gets the seed tensor itself, as in backprop()), 1: a sum
  const has = new Uint8Array(slots);
  for (const [id, seed] of seeds) {
    const s = slotOf(id);
    if (s < 0) continue;
    if (seed.shape.length !== 0 || seed.dtype !== dtype) return null;
    grads[s] = seed.scalarValue();
    has[s] = 2;
  }

  const round = dtype === 'float64' ? noRounding : Math.fround;
  if (observer !== undefined || keepAll) {
    return observedPass(nodes, seeds, sourceIds, base, slotOf, outside, { reach, inputSlots, grads, has }, round, dtype, keepAll, observer);
  }
  const step = new Float64Array(2);
  const beforeOp = hooks.beforeOp;
  for (let i = n - 1; i >= 0; i--) {
    const node = nodes[i];
    const out = node.output;
    const s = out.id - base;
    if (reach[s] === 0 || has[s] === 0) continue;
    const inputs = node.inputs;
    const s0 = inputSlots[2 * i];
    const need0 = s0 >= 0 && reach[s0] === 1;
    const two = inputs.length === 2;
    const s1 = two ? inputSlots[2 * i + 1] : -1;
    const need1 = s1 >= 0 && reach[s1] === 1;
    if (!need0 && !need1) continue;
    if (beforeOp !== null) beforeOp();
    (node.grad.scalar as ScalarGradFn)(round, grads[s], inputs[0].scalarValue(), two ? inputs[1].scalarValue() : 0, out.scalarValue(), step);
    if (need0) { grads[s0] = has[s0] === 0 ? step[0] : round(grads[s0] + step[0]); has[s0] = 1; }
    if (need1) { grads[s1] = has[s1] === 0 ? step[1] : round(grads[s1] + step[1]); has[s1] = 1; }
  }

  const result = new Map(seeds);
  for (const id of sourceIds) {
    const s = slotOf(id);
    if (has[s] !== 1) continue;
    result.set(id, scalarTensor(grads[s], dtype));
  }
  return result;
}

interface Slots {
  reach: Uint8Array;
  inputSlots: Int32Array;
  grads: Float64Array;
  has: Uint8Array;
}

/**
 * The same walk when a trace is captured: the observer hears each step as numbers (no tensor per step), and with
 * keepAll every tensor that received a gradient gets one, made from its final sum, as backprop() keeps them.
 */
function observedPass(nodes: readonly TapeNode[], seeds: ReadonlyMap<number, Tensor>, sourceIds: ReadonlySet<number>, base: number,
  slotOf: (id: number) => number, outside: Map<number, number> | null, { reach, inputSlots, grads, has }: Slots, round: Round,
  dtype: 'float32' | 'float64', keepAll: boolean, observer: BackpropObserver | undefined): Map<number, Tensor> {
  const step = new Float64Array(2);
  const beforeOp = hooks.beforeOp;
  const scalarStep = observer?.scalarStep;
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i];
    const out = node.output;
    const s = out.id - base;
    if (reach[s] === 0 || has[s] === 0) continue;
    const inputs = node.inputs;
    const s0 = inputSlots[2 * i];
    const need0 = s0 >= 0 && reach[s0] === 1;
    const two = inputs.length === 2;
    const s1 = two ? inputSlots[2 * i + 1] : -1;
    const need1 = s1 >= 0 && reach[s1] === 1;
    if (!need0 && !need1) continue;
    if (beforeOp !== null) beforeOp();
    const dy = grads[s];
    (node.grad.scalar as ScalarGradFn)(round, dy, inputs[0].scalarValue(), two ? inputs[1].scalarValue() : 0, out.scalarValue(), step);
    // input 0's sum is made before input 1's, so x·x sums into x twice in the order backprop() does
    let total0 = 0;
    if (need0) { total0 = grads[s0] = has[s0] === 0 ? step[0] : round(grads[s0] + step[0]); has[s0] = 1; }
    let total1 = 0;
    if (need1) { total1 = grads[s1] = has[s1] === 0 ? step[1] : round(grads[s1] + step[1]); has[s1] = 1; }
    if (scalarStep !== undefined) {
      if (need0) scalarStep.call(observer, i, dtype, dy, 0, step[0], total0, need1 ? 1 : -1, step[1], total1);
      else scalarStep.call(observer, i, dtype, dy, 1, step[1], total1, -1, 0, 0);
    }
  }

  const result = new Map(seeds);
  const gradient = (id: number, s: number) => { if (has[s] === 1) result.set(id, scalarTensor(grads[s], dtype)); };
  if (keepAll) {
    const spread = has.length - (outside?.size ?? 0);
    for (let s = 0; s < spread; s++) gradient(base + s, s);
    if (outside !== null) for (const [id, s] of outside) gradient(id, s);
    return result;
  }
  for (const id of sourceIds) gradient(id, slotOf(id));
  return result;
}

/** A node the scalar pass can take: a scalar rule, one or two scalar inputs of the output's float dtype. */
function isScalarNode(node: TapeNode): boolean {
  const { inputs, output } = node;
  if (node.grad.scalar === undefined || output.shape.length !== 0 || inputs.length === 0 || inputs.length > 2) return false;
  for (let j = 0; j < inputs.length; j++) {
    const x = inputs[j];
    if (x.shape.length !== 0 || x.dtype !== output.dtype || x.id === output.id) return false;
  }
  return true;
}
