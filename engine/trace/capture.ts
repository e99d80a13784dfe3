// traceCapture.begin() / end(): collect the tapes and traced graphs a cell records and export them. Costs
// nothing when off.
import { recording, type CaptureSession, type Traceable } from '../tape/recording_state';
import type { TapeTrace } from './trace_format';
import type { UserNames } from './user_names';

export interface CaptureOptions {
  /** Ask the host's source locator for the user's line at each recorded op. */
  sourceLines?: boolean;
  /** Keep only the most recent tapes (a training loop records one per step). */
  maxTapes?: number;
  maxNodesPerTape?: number;
  /** The user's names from the host's parse of the cell (bindings and call sites), put on the traces. */
  names?: UserNames;
}

class Capture implements CaptureSession {
  /** Every tape and graph that began recording while capturing, oldest first (past the cap, the oldest go). */
  private readonly kept: Traceable[] = [];
  private dropped = 0;

  constructor(
    readonly sourceLines: boolean, private readonly maxTapes: number, private readonly maxNodesPerTape: number | undefined,
    readonly names: UserNames | undefined,
  ) {}

  add(recorder: Traceable): void {
    this.kept.push(recorder);
    if (this.kept.length > this.maxTapes) { this.kept.shift(); this.dropped++; }
  }

  export(): TapeTrace[] {
    return this.kept.map((r, i) => r.exportTrace(i + this.dropped, this.maxNodesPerTape, this.names));
  }
}

let session: Capture | null = null;

export const traceCapture = {
  begin(options: CaptureOptions = {}): void {
    session = new Capture(options.sourceLines ?? false, options.maxTapes ?? 20, options.maxNodesPerTape, options.names);
    recording.capture = session;
  },
  /** Stops capturing and returns the captured tapes as traces, oldest first. */
  end(): TapeTrace[] {
    const ended = session;
    session = null;
    recording.capture = null;
    return ended === null ? [] : ended.export();
  },
  get active(): boolean {
    return recording.capture !== null;
  },
};
