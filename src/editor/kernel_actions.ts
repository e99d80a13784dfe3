// What clicking the kernel's status item offers: Interrupt (while busy, or to cancel leftover timers), Restart
// Kernel after a confirmation that names what is lost, Show Output.
import * as vscode from 'vscode';
import type { Kernel } from '../kernel/kernel';
import type { KernelRegistry } from './kernel_registry';

interface Action extends vscode.QuickPickItem { run: () => Promise<unknown> | unknown }

/** The confirmation shown before a restart; resolves true when the user chose to restart. */
export async function confirmRestart(kernel: Kernel): Promise<boolean> {
  const runs = kernel.runsSinceStart;
  const detail = `Everything ${runs === 1 ? 'the 1 cell' : `the ${runs} cells`} run since the kernel started defined is lost: `
    + 'variables, tensors, models and their trained weights, and pending timers. Inline results of those runs are greyed out.'
    + (kernel.state === 'busy' ? ' The running cell is stopped.' : '');
  const choice = await vscode.window.showWarningMessage('Restart the Tapescope kernel?', { modal: true, detail }, 'Restart Kernel');
  return choice === 'Restart Kernel';
}

export async function showKernelActions(registry: KernelRegistry): Promise<void> {
  const kernel = registry.followed;
  const actions: Action[] = [];
  if (kernel?.state === 'busy') {
    actions.push({ label: '$(debug-stop) Interrupt', description: 'stop the running cell, keep all state', run: () => kernel.interrupt() });
  } else if (kernel?.state === 'idle') {
    actions.push({ label: '$(debug-stop) Interrupt', description: 'cancel timers cells left running', run: () => kernel.interrupt() });
  }
  if (kernel && kernel.state !== 'stopped') {
    actions.push({
      label: '$(debug-restart) Restart Kernel…',
      description: 'clears all state (asks first)',
      run: async () => {
        if (await confirmRestart(kernel)) await kernel.restart();
      },
    });
  }
  actions.push({ label: '$(output) Show Output', description: 'the Tapescope output channel', run: () => registry.presenter.showOutput() });
  const picked = await vscode.window.showQuickPick(actions, { title: `Tapescope kernel: ${kernel?.state ?? 'not started'}`, placeHolder: 'What should the kernel do?' });
  await picked?.run();
}
