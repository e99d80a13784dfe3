// One status-bar item: idle / busy (elapsed time, queue) / restarting for the kernel last used.
import * as vscode from 'vscode';
import type { Kernel } from '../kernel/kernel';

export class KernelStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('tapescope.kernelStatus', vscode.StatusBarAlignment.Left, 50);
  private followedKernel: Kernel | undefined;
  private timer: NodeJS.Timeout | undefined;
  private subscription: vscode.Disposable | undefined;

  constructor() {
    this.item.name = 'Tapescope Kernel';
  }

  /** Show this kernel from now on. */
  follow(kernel: Kernel): void {
    if (kernel === this.followedKernel) return;
    this.subscription?.dispose();
    this.followedKernel = kernel;
    this.subscription = kernel.onState.event(() => this.render());
    this.render();
  }

  get text(): string {
    return this.item.text;
  }

  get kernel(): Kernel | undefined {
    return this.followedKernel;
  }

  private render(): void {
    const kernel = this.followedKernel;
    if (!kernel) return;
    clearInterval(this.timer);
    this.timer = undefined;
    // A click offers choices (Interrupt, Restart with a confirmation, Show Output), never an instant restart.
    this.item.command = 'tapescope.kernelActions';
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
        this.item.tooltip = 'A cell is running. Click for Interrupt (keeps all state), Restart Kernel or Show Output.';
        break;
      }
      case 'restarting':
      case 'starting':
        this.item.text = `$(debug-restart) Tapescope: ${kernel.state === 'starting' ? 'starting' : 'restarting'}…`;
        this.item.tooltip = 'The kernel is starting. Click for Show Output.';
        break;
      case 'idle':
        this.item.text = '$(circle-large-outline) Tapescope: idle';
        this.item.tooltip = 'Kernel idle. Click for Interrupt (cancels leftover timers), Restart Kernel or Show Output.';
        break;
      case 'stopped':
        this.item.text = '$(circle-slash) Tapescope: stopped';
        this.item.tooltip = 'The kernel is stopped; it starts with the next cell. Click for Show Output.';
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
