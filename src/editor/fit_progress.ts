// model.fit's progress as a VS Code notification (epoch, batch, loss, time left) whose Cancel interrupts the run.
import * as vscode from 'vscode';
import type { FitProgress } from '../../engine/trace/telemetry_format';

interface Shown {
  report: (progress: FitProgress) => void;
  close: () => void;
}

export class FitProgressNotifier implements vscode.Disposable {
  private readonly shown = new Map<number, Shown>();

  /** `cancel` interrupts the run (the fit stops at its next op or loop check; its weights are kept). */
  update(runId: number, progress: FitProgress, cancel: () => void): void {
    let shown = this.shown.get(runId);
    if (!shown && !progress.done) shown = this.open(runId, progress, cancel);
    shown?.report(progress);
    if (progress.done) this.runFinished(runId);
  }

  runFinished(runId: number): void {
    this.shown.get(runId)?.close();
    this.shown.delete(runId);
  }

  dispose(): void {
    for (const runId of [...this.shown.keys()]) this.runFinished(runId);
  }

  private open(runId: number, first: FitProgress, cancel: () => void): Shown {
    let close!: () => void;
    let reportTo: ((value: { message?: string; increment?: number }) => void) | undefined;
    let lastFraction = 0;
    let latest = first;
    const report = (p: FitProgress): void => {
      latest = p;
      if (!reportTo) return;
      const fraction = (p.epoch * p.batches + p.batch) / Math.max(1, p.epochs * p.batches);
      reportTo({ message: progressMessage(p), increment: Math.max(0, (fraction - lastFraction) * 100) });
      lastFraction = fraction;
    };
    const closed = new Promise<void>((resolve) => { close = resolve; });
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Tapescope: ${first.model}.fit`, cancellable: true },
      (progress, token) => {
        reportTo = (value) => progress.report(value);
        report(latest);
        token.onCancellationRequested(() => {
          cancel();
          close();
        });
        return closed;
      },
    );
    const shown = { report, close: () => close() };
    this.shown.set(runId, shown);
    return shown;
  }
}

/** 'Epoch 2/5 · batch 120/469 · loss 0.4213 · 0:42 left' */
export function progressMessage(p: FitProgress): string {
  const loss = Number.isFinite(p.loss) ? ` · loss ${p.loss.toFixed(4)}` : '';
  return `Epoch ${p.epoch + 1}/${p.epochs} · batch ${p.batch}/${p.batches}${loss} · ${formatDuration(p.etaMs)} left`;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = String(seconds % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}
