// traceCapture.begin() / end(): collect the tapes a cell records and export them. Costs nothing when off.
import { recording } from '../tape/recording_state';
import type { GradientTape } from '../tape/gradient_tape';
import { exportTape } from './export_tape';
import type { TapeTrace } from './trace_format';
import type { UserNames } from './user_names';

export interface CaptureOptions {
  /** Ask the host's source locator for the user's line at each recorded op. */
  sourceLines?: boolean;
  /** Keep only the most recent tapes (a training loop records one per step). */
  maxTapes?: number;
  maxNodesPerTape?: number;
  /** The user's names from the host's parse of the cell (binding and call sites), put on the traces. */
  names?: UserNames;
}

let maxNodesPerTape: number | undefined;
let names: UserNames | undefined;

export const traceCapture = {
  begin(options: CaptureOptions = {}): void {
    maxNodesPerTape = options.maxNodesPerTape;
    names = options.names;
    recording.capture = { sourceLines: options.sourceLines ?? false, tapes: [], maxTapes: options.maxTapes ?? 20, droppedTapes: 0 };
  },
  /** Stops capturing and returns the captured tapes as traces, oldest first. */
  end(): TapeTrace[] {
    const session = recording.capture;
    recording.capture = null;
    if (session === null) return [];
    return (session.tapes as GradientTape[]).map((tape, i) => exportTape(tape, i + session.droppedTapes, maxNodesPerTape, names));
  },
  get active(): boolean {
    return recording.capture !== null;
  },
};
