// tf.debugging.enableCheckNumerics(): the first op whose output (forward) or gradient (backward) holds NaN or Inf
// throws, naming the op, its inputs and the user's line; the faulty node is marked so the trace can point at it.
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../shape/shape';
import type { SourceLocation } from '../trace/trace_format';
import { recording } from './recording_state';
import { hooks } from '../runtime/hooks';
import { resolveSource, type GradFn, type TapeNode } from './tape_node';

/** Where a NaN or Inf first appeared: in an op's output ('forward') or in its gradient ('backward'). */
export type NumericsPhase = 'forward' | 'backward';

/**
 * tf.debugging.enableCheckNumerics (TF's enable_check_numerics): from now on the first op whose output — or
 * gradient — holds NaN or Inf throws a NumericsError naming the op, its inputs and the cell line; the inspector
 * marks that node.
 * @example
 * ```ts
 * tf.debugging.enableCheckNumerics();
 * let caught = '';
 * try { tf.log(tf.constant([-1, 1])); } catch (e) { caught = (e as Error).name; }
 * tf.debugging.disableCheckNumerics();
 * caught // → NumericsError
 * ```
 */
export function enableCheckNumerics(): void {
  recording.checkNumerics = true;
}

/**
 * tf.debugging.disableCheckNumerics: ops stop checking for NaN and Inf (the default).
 * @example
 * ```ts
 * tf.debugging.disableCheckNumerics();
 * tf.log(tf.constant(-1)).numpy() // → NaN
 * ```
 */
export function disableCheckNumerics(): void {
  recording.checkNumerics = false;
}

/** Faults by the output tensor of the op that produced them (one op produces one tensor). */
const faults = new WeakMap<Tensor, NumericsPhase>();

export function markNumericsFault(output: Tensor, phase: NumericsPhase): void {
  if (!faults.has(output)) faults.set(output, phase);
}

/** Whether the op producing `output` was the origin of a NaN/Inf, and in which pass. */
export function numericsFaultOf(output: Tensor): NumericsPhase | undefined {
  return faults.get(output);
}

function countBad(t: Tensor): { nan: number; inf: number } {
  let nan = 0;
  let inf = 0;
  const v = t.dataSync();
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (x !== x) nan++;
    else if (x === Infinity || x === -Infinity) inf++;
  }
  return { nan, inf };
}

function hasBad(t: Tensor): boolean {
  const { nan, inf } = countBad(t);
  return nan + inf > 0;
}

/** `float32[3] min=-1 max=2 nan=1`: enough to see what the op was fed without printing the tensor. */
export function describeTensor(t: Tensor): string {
  const v = t.dataSync();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) { if (v[i] < min) min = v[i]; if (v[i] > max) max = v[i]; }
  const { nan, inf } = countBad(t);
  return `${t.dtype}${formatShape(t.shape)} min=${min} max=${max}${nan ? ` nan=${nan}` : ''}${inf ? ` inf=${inf}` : ''}`;
}

function at(where: SourceLocation | undefined): string {
  return where ? ` at ${where.file}:${where.line}` : '';
}

/**
 * tf.debugging.NumericsError: thrown with check-numerics on by the first op whose output or gradient holds NaN or
 * Inf (TF raises InvalidArgumentError). Its message names the op, its inputs and the cell line.
 */
export class NumericsError extends Error {
  /** What was wrong, e.g. '0 NaN and 2 Inf in its output float32[2]'. */
  detail = '';

  /** Made by the engine when an op's result fails the check. */
  constructor(
    /** The op's name ('Log', 'Div', …). */
    readonly op: string,
    /** Forward (the output) or backward (the gradient). */
    readonly phase: NumericsPhase,
    message: string,
    /** The cell line that ran the op. */
    readonly source?: SourceLocation,
  ) {
    super(message);
    this.name = 'NumericsError';
  }
}

/** The error for an op whose output holds NaN/Inf although its inputs did not (it is the origin), else null. */
export function forwardNumericsFault(op: string, inputs: Tensor[], output: Tensor): NumericsError | null {
  if (!hasBad(output)) return null;
  // inputs that already held NaN/Inf mean the fault started earlier; only the first op is blamed
  if (inputs.some(hasBad)) return null;
  const where = hooks.locateSource?.();
  const { nan, inf } = countBad(output);
  const during = recording.gradientOf !== undefined ? ' (while computing a gradient)' : '';
  const detail = `${nan} NaN and ${inf} Inf in its output ${output.dtype}${formatShape(output.shape)}`;
  const error = new NumericsError(op, 'forward',
    `check numerics: ${op}${at(where)}${during} produced ${detail}; inputs: ${inputs.map(describeTensor).join('; ') || 'none'}`, where);
  error.detail = detail;
  return error;
}

/** Kept for the backward loop's own check; throws when `output` (a gradient) holds NaN/Inf. */
export function checkNumericsOf(op: string, phase: NumericsPhase, inputs: Tensor[], output: Tensor): void {
  if (!hasBad(output)) return;
  if (phase === 'forward') {
    const fault = forwardNumericsFault(op, inputs, output);
    if (fault !== null) throw fault;
    return;
  }
  const { nan, inf } = countBad(output);
  throw new NumericsError(op, phase, `check numerics: ${op} produced ${nan} NaN and ${inf} Inf in its gradient ${output.dtype}${formatShape(output.shape)}; ` +
    `incoming gradient: ${inputs.map(describeTensor).join('; ') || 'none'}`);
}

/**
 * Wraps a recorded node's gradient so that the first node whose gradient turns NaN/Inf (from a finite incoming
 * gradient) is blamed by name and line, and marked for the trace. An op inside the gradient computation that
 * faults forward is blamed on this node's gradient too: that is where the user's code is.
 */
export function guardBackwardNumerics(node: TapeNode): void {
  // the backward error names the user's line, so it is taken now, while the op's caller is on the stack
  if (resolveSource(node, hooks.locateSource) === undefined && hooks.locateSource !== null) node.source = hooks.locateSource();
  const inner = node.grad;
  if ((inner as { numericsGuarded?: boolean }).numericsGuarded) return;
  const guarded: GradFn = (dy, needs, inputs, output, attrs) => {
    const incomingBad = hasBad(dy);
    let grads: ReadonlyArray<Tensor | null | undefined>;
    try {
      grads = inner(dy, needs, inputs, output, attrs);
    } catch (e) {
      if (e instanceof NumericsError && e.phase === 'forward' && !incomingBad) throw backwardError(node, dy, `${e.detail.replace('its output', `the output of its ${e.op} op,`)} (${e.op} ${e.message.slice(e.message.indexOf('inputs: '))})`);
      throw e;
    }
    if (incomingBad || !recording.checkNumerics) return grads;
    grads.forEach((g, i) => {
      if (g && hasBad(g)) {
        const { nan, inf } = countBad(g);
        throw backwardError(node, dy, `${nan} NaN and ${inf} Inf in the gradient for input ${i}`);
      }
    });
    return grads;
  };
  (guarded as { numericsGuarded?: boolean }).numericsGuarded = true;
  node.grad = guarded;
}

function backwardError(node: TapeNode, dy: Tensor, what: string): NumericsError {
  markNumericsFault(node.output, 'backward');
  return new NumericsError(node.op, 'backward',
    `check numerics: the gradient of ${node.op}${at(node.source)} produced ${what}; ` +
    `incoming gradient: ${describeTensor(dy)}; op inputs: ${node.inputs.map(describeTensor).join('; ')}`, node.source);
}
