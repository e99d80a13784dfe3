// Marks the steps of the "Get started with Tapescope" walkthrough done when the user does them: its
// completion events are these context keys (package.json, contributes.walkthroughs). A run command completes
// its step only when the workbench runs it, so every finished run also sets a key.
import * as vscode from 'vscode';
import type { TapeTrace } from '../../engine/trace/trace_format';

export const WALKTHROUGH_CONTEXT = {
  cellRun: 'tapescope.walkthrough.cellRun',
  tapeRecorded: 'tapescope.walkthrough.tapeRecorded',
  gradientTaken: 'tapescope.walkthrough.gradientTaken',
  metricsLogged: 'tapescope.walkthrough.metricsLogged',
} as const;

export class WalkthroughProgress {
  private readonly done = new Set<string>();

  cellRan(): void {
    this.mark(WALKTHROUGH_CONTEXT.cellRun);
  }

  tapesRecorded(tapes: readonly TapeTrace[]): void {
    if (tapes.length === 0) return;
    this.mark(WALKTHROUGH_CONTEXT.tapeRecorded);
    if (tapes.some((t) => t.gradientCalls.length > 0)) this.mark(WALKTHROUGH_CONTEXT.gradientTaken);
  }

  metricsLogged(): void {
    this.mark(WALKTHROUGH_CONTEXT.metricsLogged);
  }

  private mark(key: string): void {
    if (this.done.has(key)) return;
    this.done.add(key);
    void vscode.commands.executeCommand('setContext', key, true);
  }
}
