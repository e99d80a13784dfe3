// A large tape's backward-pass steps are most of its message (15 MB of a 20,000-op loop's 38 MB) and only the
// replay reads them, when opened: the host sends such tapes without them and answers the replay's request.
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { BackwardStepsMessage, RequestStepsMessage, ShowTapesMessage } from '../protocol/inspector_messages';

/** Gradient calls with more steps than this are sent without them (BackwardPass.deferredSteps). */
export const MAX_INLINE_STEPS = 500;

/** The tapes message as posted: every gradient call over MAX_INLINE_STEPS steps holds them back; smaller tapes are the same objects. */
export function withDeferredSteps(message: ShowTapesMessage): ShowTapesMessage {
  const large = (t: TapeTrace): boolean => t.gradientCalls.some((g) => (g.backward?.steps.length ?? 0) > MAX_INLINE_STEPS);
  if (!message.tapes.some(large)) return message;
  const tapes = message.tapes.map((t) => (!large(t) ? t : {
    ...t,
    gradientCalls: t.gradientCalls.map((g) => (!g.backward || g.backward.steps.length <= MAX_INLINE_STEPS ? g
      : { ...g, backward: { ...g.backward, steps: [], deferredSteps: g.backward.steps.length } })),
  }));
  return { ...message, tapes };
}

/** The answer to a requestSteps from the full tapes of that run, if the host still keeps them. */
export function answerStepsRequest(request: RequestStepsMessage, run: ShowTapesMessage | undefined): BackwardStepsMessage {
  const { runId, tapeId, call } = request;
  const address = { type: 'backwardSteps' as const, runId, tapeId, call };
  if (!run) return { ...address, missing: 'This run is no longer kept by the extension: run its cell again to replay it.' };
  const pass = run.tapes.find((t) => t.tapeId === tapeId)?.gradientCalls[call]?.backward;
  if (!pass) return { ...address, missing: `Tape ${tapeId} of this run has no recorded backward pass for gradient call ${call + 1}.` };
  return { ...address, steps: pass.steps };
}
