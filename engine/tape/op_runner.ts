// Every op goes through runOp: the interrupt hook, the numeric kernel, then recording on each tape that watches
// one of the inputs. Ops on unwatched values are not recorded, so recording costs nothing outside a tape.
import { isFloatDType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { hooks } from '../runtime/hooks';
import { recording } from './recording_state';
import type { GradFn, TapeNode } from './tape_node';
import { checkForwardNumerics } from './check_numerics';

export function runOp(op: string, inputs: Tensor[], forward: () => Tensor, grad: GradFn | null, attrs?: Record<string, unknown>): Tensor {
  if (hooks.beforeOp !== null) hooks.beforeOp();
  const output = forward();
  if (recording.checkNumerics) checkForwardNumerics(op, inputs, output);
  if (grad !== null && recording.tapes.length !== 0 && isFloatDType(output.dtype)) record(op, inputs, output, grad, attrs);
  return output;
}

function record(op: string, inputs: Tensor[], output: Tensor, grad: GradFn, attrs?: Record<string, unknown>): void {
  let node: TapeNode | null = null;
  for (const tape of recording.tapes) {
    if (tape.pausedDepth > 0) continue;
    let watched = false;
    for (let i = 0; i < inputs.length; i++) {
      if (tape.watchedIds.has(inputs[i].id) && isFloatDType(inputs[i].dtype)) { watched = true; break; }
    }
    if (!watched) continue;
    if (node === null) {
      node = {
        op,
        inputIds: inputs.map((t) => t.id),
        inputs,
        output,
        grad,
        attrs,
        scope: recording.scope,
        recordedDuringGradientOf: recording.gradientOf,
        source: recording.capture?.sourceLines && hooks.locateSource ? hooks.locateSource() : undefined,
      };
    }
    tape.nodes.push(node);
    tape.watchedIds.add(output.id);
  }
}
