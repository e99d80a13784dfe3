// The one seam between the page and VS Code: acquireVsCodeApi(). Everything the page sends goes
// through here, typed by the shared protocol, and so does the state that survives a reload.
import type { InspectorToHostMessage } from '../src/protocol/inspector_messages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

export class HostBridge {
  private readonly api: VsCodeApi = acquireVsCodeApi();
  private pendingState: unknown = undefined;
  private stateTimer: ReturnType<typeof setTimeout> | undefined;

  post(message: InspectorToHostMessage): void {
    this.api.postMessage(message);
  }

  restoredState(): unknown {
    return this.api.getState();
  }

  /** Saves state at most once a second: a training loop sends points far more often than that. */
  saveStateSoon(state: () => unknown): void {
    this.pendingState = state;
    if (this.stateTimer !== undefined) return;
    this.stateTimer = setTimeout(() => {
      this.stateTimer = undefined;
      this.api.setState((this.pendingState as () => unknown)());
    }, 1000);
  }
}
