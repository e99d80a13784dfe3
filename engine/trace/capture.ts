// traceCapture.begin() / end(): collect the tapes a cell records and export them. Costs nothing when off.
import { recording } from '../tape/recording_state';
import type { GradientTape } from '../tape/gradient_tape';
import { exportTape } from './export_tape';
import type { TapeTrace } from './trace_format';

export interface CaptureOptions {
  /** Ask the host's source locator for the user's line at each recorded op. */
  sourceLines?: boolean;
  /** Keep only the most recent tapes (a training loop records one per step). */
  maxTapes?: number;
  maxNodesPerTape?: number;
}

let maxNodesPerTape: number | undefined;

export const traceCapture = {
  begin(options: CaptureOptions = {}): void {
    maxNodesPerTape = options.maxNodesPerTape;
    recording.capture = { sourceLines: options.sourceLines ?? false, tapes: [], maxTapes: options.maxTapes ?? 20, droppedTapes: 0 };
  },
  /** Stops capturing and returns the captured tapes as traces, oldest first. */
  end(): TapeTrace[] {
    const session = recording.capture;
    recording.capture = null;
    if (session === null) return [];
    return (session.tapes as GradientTape[]).map((tape, i) => exportTape(tape, i + session.droppedTapes, maxNodesPerTape));
  },
  get active(): boolean {
    return recording.capture !== null;
  },
};
