// Every op goes through runOp: the interrupt hook, the numeric kernel, then recording on each tape that watches
// one of the inputs. Ops on unwatched values are not recorded, so recording costs nothing outside a tape.
import { isFloatDType } from '../tensor/dtype';
import type { Tensor } from '../tensor/tensor';
import { hooks } from '../runtime/hooks';
import { recording } from './recording_state';
import { NO_ATTRS, type GradFn, type OpAttrs, type TapeNode } from './tape_node';
import { forwardNumericsFault, locateForNumerics, markNumericsFault } from './check_numerics';
import { noteLineage } from './lineage';

/**
 * Runs one op. `grad` is the op's module-level gradient function; it receives the node's inputs, output and
 * `attrs` when the tape walks back, so nothing per call needs a closure. `forward` is handed `inputs`, so the
 * hottest ops (scalar graphs run millions) pass a module-level function rather than a closure per call.
 */
export function runOp<A extends object = OpAttrs>(op: string, inputs: Tensor[], forward: (inputs: Tensor[]) => Tensor, opGrad: GradFn<A> | null, opAttrs?: A): Tensor {
  // a node keeps its gradient function together with the attributes that function was written for
  const grad = opGrad as GradFn | null;
  const attrs = (opAttrs ?? NO_ATTRS) as OpAttrs;
  const state = recording;
  if (hooks.beforeOp !== null) hooks.beforeOp();
  const output = forward(inputs);
  if (state.graph !== null) state.graph.recordOp(op, inputs, output, () => forward(inputs), grad, attrs);
  if (state.lineage || state.capture !== null) noteLineage(op, inputs, output);
  const fault = state.checkNumerics ? forwardNumericsFault(op, inputs, output) : null;
  if (grad !== null && state.tapes.length !== 0 && isFloatDType(output.dtype)) {
    const node = record(state, op, inputs, output, grad, attrs);
    if (node !== null && state.checkNumerics) locateForNumerics(node);
  }
  if (fault !== null) {
    markNumericsFault(output, 'forward');
    throw fault;
  }
  return output;
}

function record(state: typeof recording, op: string, inputs: Tensor[], output: Tensor, grad: GradFn, attrs: OpAttrs): TapeNode | null {
  let node: TapeNode | null = null;
  const tapes = state.tapes;
  for (let t = 0; t < tapes.length; t++) {
    const tape = tapes[t];
    if (tape.pausedDepth > 0) continue;
    let watched = false;
    for (let i = 0; i < inputs.length; i++) {
      if (tape.watchedIds.has(inputs[i].id) && isFloatDType(inputs[i].dtype)) { watched = true; break; }
    }
    if (!watched) continue;
    if (node === null) {
      node = {
        op,
        inputs,
        output,
        grad,
        attrs,
        scope: state.scope,
        recordedDuringGradientOf: state.gradientOf,
        sourceSite: state.capture?.sourceLines && hooks.locateSource ? captureSite() : undefined,
      };
    }
    tape.nodes.push(node);
    tape.watchedIds.addOutput(output.id);
  }
  return node;
}

/** A cheap capture of the call stack (V8 formats it only when `.stack` is read). */
export function captureSite(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 60;
  const site = new Error();
  Error.stackTraceLimit = limit;
  return site;
}
