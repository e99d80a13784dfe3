// One status-bar item: idle / busy (elapsed time, queue) / restarting for the kernel last used.
import * as vscode from 'vscode';
import type { Kernel } from '../kernel/kernel';

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tapescope.kernelStatus', vscode.StatusBarAlignment.Left, 50);
  private kernel: Kernel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor() {
    this.item.name = 'Tapescope Kernel';
  }

  /** Show this kernel from now on. */
  follow(kernel: Kernel): void {
    if (kernel === this.kernel) return;
    this.subscription?.dispose();
    this.kernel = kernel;
    this.subscription = kernel.onState.event(() => this.render());
    this.render();
  }

  get text(): string {
    return this.item.text;
  }

  private render(): void {
    const kernel = this.kernel;
    if (!kernel) return;
    clearInterval(this.timer);
    this.timer = undefined;
    switch (kernel.state) {
      case 'busy': {
        const update = () => {
          const since = kernel.busySince;
          const elapsed = since === undefined ? '' : ` ${((performance.now() - since) / 1000).toFixed(1)} s`;
          const queued = kernel.pendingRuns > 1 ? ` (+${kernel.pendingRuns - 1} queued)` : '';
          this.item.text = `$(sync~spin) Tapescope: busy${elapsed}${queued}`;
        };
        update();
        this.timer = setInterval(update, 500);
        this.item.tooltip = 'A cell is running. Click to interrupt (keeps all state).';
        this.item.command = 'tapescope.interrupt';
        break;
      }
      case 'restarting':
      case 'starting':
        this.item.text = `$(debug-restart) Tapescope: ${kernel.state === 'starting' ? 'starting' : 'restarting'}…`;
        this.item.tooltip = undefined;
        this.item.command = undefined;
        break;
      case 'idle':
        this.item.text = '$(circle-large-outline) Tapescope: idle';
        this.item.tooltip = 'Kernel idle. Click to restart it (clears all state).';
        this.item.command = 'tapescope.restartKernel';
        break;
      case 'stopped':
        this.item.text = '$(circle-slash) Tapescope: stopped';
        this.item.command = undefined;
        break;
    }
    this.item.show();
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription?.dispose();
    this.item.dispose();
  }
}
