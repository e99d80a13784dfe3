// tf.debugging.enableCheckNumerics(): the first op whose output holds NaN or Inf throws, naming the op and its inputs.
import type { Tensor } from '../tensor/tensor';
import { formatShape } from '../shape/shape';
import { recording } from './recording_state';
import { hooks } from '../runtime/hooks';

export function enableCheckNumerics(): void {
  recording.checkNumerics = true;
}

export function disableCheckNumerics(): void {
  recording.checkNumerics = false;
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

function describe(t: Tensor): string {
  const v = t.dataSync();
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < v.length; i++) { if (v[i] < min) min = v[i]; if (v[i] > max) max = v[i]; }
  const { nan, inf } = countBad(t);
  return `${t.dtype}${formatShape(t.shape)} min=${min} max=${max}${nan ? ` nan=${nan}` : ''}${inf ? ` inf=${inf}` : ''}`;
}

export class NumericsError extends Error {
  constructor(readonly op: string, readonly phase: 'forward' | 'backward', message: string) {
    super(message);
    this.name = 'NumericsError';
  }
}

export function checkForwardNumerics(op: string, inputs: Tensor[], output: Tensor): void {
  checkNumericsOf(op, 'forward', inputs, output);
}

export function checkNumericsOf(op: string, phase: 'forward' | 'backward', inputs: Tensor[], output: Tensor): void {
  const { nan, inf } = countBad(output);
  if (nan === 0 && inf === 0) return;
  // inputs that already held NaN/Inf mean the fault started earlier; only the first op is blamed
  if (phase === 'forward' && inputs.some((t) => { const c = countBad(t); return c.nan + c.inf > 0; })) return;
  const where = hooks.locateSource?.();
  const at = where ? ` at ${where.file}:${where.line}` : '';
  const what = phase === 'forward' ? 'output' : 'gradient';
  throw new NumericsError(op, phase,
    `check numerics: ${op}${at} produced ${nan} NaN and ${inf} Inf in its ${what} ${output.dtype}${formatShape(output.shape)}; ` +
    `inputs: ${inputs.map(describe).join('; ') || 'none'}`);
}
