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
 * `attrs` when the tape walks back, so nothing per call needs a closure.
 */
export function runOp<A extends object = OpAttrs>(op: string, inputs: Tensor[], forward: () => Tensor, opGrad: GradFn<A> | null, opAttrs?: A): Tensor {
  // a node keeps its gradient function together with the attributes that function was written for
  const grad = opGrad as GradFn | null;
  const attrs = (opAttrs ?? NO_ATTRS) as OpAttrs;
  if (hooks.beforeOp !== null) hooks.beforeOp();
  const output = forward();
  if (recording.graph !== null) recording.graph.recordOp(op, inputs, output, forward, grad, attrs);
  if (recording.lineage || recording.capture !== null) noteLineage(op, inputs, output);
  const fault = recording.checkNumerics ? forwardNumericsFault(op, inputs, output) : null;
  if (grad !== null && recording.tapes.length !== 0 && isFloatDType(output.dtype)) {
    const node = record(op, inputs, output, grad, attrs);
    if (node !== null && recording.checkNumerics) locateForNumerics(node);
  }
  if (fault !== null) {
    markNumericsFault(output, 'forward');
    throw fault;
  }
  return output;
}

function record(op: string, inputs: Tensor[], output: Tensor, grad: GradFn, attrs: OpAttrs): TapeNode | null {
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
        inputs,
        output,
        grad,
        attrs,
        scope: recording.scope,
        recordedDuringGradientOf: recording.gradientOf,
        sourceSite: recording.capture?.sourceLines && hooks.locateSource ? captureSite() : undefined,
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
