// tf.debugging.enableCheckNumerics(): the first op whose output (forward) or gradient (backward) holds NaN or Inf
// throws, naming the op, its inputs and the user's line; the faulty node is marked so the trace can point at it.
import type { Tensor } from '../tensor/tensor';
import { formatShape, shapesEqual } from '../shape/shape';
import type { NumericsPhase, SourceLocation } from '../trace/trace_format';
import { recording } from './recording_state';
import { hooks } from '../runtime/hooks';
import { resolveSource, type TapeNode } from './tape_node';
import { callPhrase, inputNames } from '../trace/user_names';

/** Where a NaN or Inf first appeared: in an op's output ('forward') or in its gradient ('backward'). */
export type { NumericsPhase };

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
  /** @internal For a forward fault: the bad counts, the output's description and the inputs' (a backward error quotes them). */
  fault?: { nan: number; inf: number; output: string; inputs: string };

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
  const outputText = `${output.dtype}${formatShape(output.shape)}`;
  const named = userWording(op, inputs, where);
  const inputsText = named.inputs;
  const detail = `${nan} NaN and ${inf} Inf in its output ${outputText}`;
  const error = new NumericsError(op, 'forward', `check numerics: ${named.op}${at(where)}${during} produced ${detail}; inputs: ${inputsText}`, where);
  error.detail = detail;
  error.fault = { nan, inf, output: outputText, inputs: inputsText };
  return error;
}

/**
 * The backward loop's check of one step: each gradient `node.grad` returned must have its input's shape and dtype
 * (tfjs's wording), and with check numerics on, the first node whose gradient turns NaN/Inf from a finite incoming
 * gradient is blamed by name and line, and marked for the trace.
 */
export function checkGradientStep(node: TapeNode, dy: Tensor, needs: readonly boolean[], grads: ReadonlyArray<Tensor | null | undefined>): void {
  const inputs = node.inputs;
  for (let j = 0; j < inputs.length; j++) {
    const g = grads[j];
    if (!needs[j] || g === null || g === undefined) continue;
    const x = inputs[j];
    if (!shapesEqual(g.shape, x.shape)) {
      throw new Error(`Error in gradient for op ${node.op}. The gradient of input ${j} has shape ${formatShape(g.shape)}, which does not match the shape of the input ${formatShape(x.shape)}`);
    }
    if (g.dtype !== x.dtype) {
      throw new Error(`Error in gradient for op ${node.op}. The gradient of input ${j} has dtype ${g.dtype}, which does not match the dtype of the input ${x.dtype}`);
    }
  }
  if (!recording.checkNumerics) return;
  const incomingBad = hasBad(dy);
  for (let j = 0; j < inputs.length; j++) {
    const g = grads[j];
    if (!needs[j] || g === null || g === undefined || !hasBad(g)) continue;
    const { nan, inf } = countBad(g);
    if (!incomingBad) throw backwardError(node, dy, `${nan} NaN and ${inf} Inf in the gradient for input ${j}`);
    throw new NumericsError(node.op, 'backward', `check numerics: ${node.op} (gradient) produced ${nan} NaN and ${inf} Inf in its gradient ${g.dtype}${formatShape(g.shape)}; ` +
      `incoming gradient: ${describeTensor(dy)}`);
  }
}

/**
 * An op that faults forward inside a node's gradient computation is blamed on that node's gradient: that is where
 * the user's code is. Other errors pass through unchanged.
 */
export function blameGradientError(node: TapeNode, dy: Tensor, error: unknown): unknown {
  if (!(error instanceof NumericsError) || error.fault === undefined || hasBad(dy)) return error;
  const { nan, inf, output, inputs } = error.fault;
  return backwardError(node, dy, `${nan} NaN and ${inf} Inf in the output of its ${error.op} op, ${output} (${error.op} inputs: ${inputs})`);
}

/** The backward error names the user's line, so a node recorded under check numerics takes it while the op's caller is on the stack. */
export function locateForNumerics(node: TapeNode): void {
  if (resolveSource(node, hooks.locateSource) === undefined && hooks.locateSource !== null) node.source = hooks.locateSource();
}

function backwardError(node: TapeNode, dy: Tensor, what: string): NumericsError {
  markNumericsFault(node.output, 'backward');
  const named = userWording(node.op, node.inputs, node.source);
  return new NumericsError(node.op, 'backward',
    `check numerics: the gradient of ${named.op}${at(node.source)} produced ${what}; ` +
    `incoming gradient: ${describeTensor(dy)}; op inputs: ${named.inputs}`, node.source);
}

/**
 * The op and its inputs in the user's words when a capture has the cell's names (the kernel's): "Log → `y`",
 * "`x` float32[2] min=-1 max=1"; otherwise the op and the inputs' descriptions alone.
 */
function userWording(op: string, inputs: readonly Tensor[], where: SourceLocation | undefined): { op: string; inputs: string } {
  const names = recording.capture?.names;
  const site = names && where ? names.callAt(where) : undefined;
  const named = names ? inputNames(inputs, site, names) : [];
  return {
    op: callPhrase(op, site),
    inputs: inputs.map((t, k) => `${named[k] ? `\`${named[k]}\` ` : ''}${describeTensor(t)}`).join('; ') || 'none',
  };
}
