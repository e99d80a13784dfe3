// Timers belong to the cell that started them. Cells get wrapped setTimeout / setInterval / setImmediate that
// remember their owner, run their callbacks as that cell (so late output is shown under its own heading), and can
// all be cancelled by Interrupt, which then says what it cancelled.
import { AsyncLocalStorage } from 'node:async_hooks';
import * as nodeTimers from 'node:timers';

type Kind = 'timeout' | 'interval' | 'immediate';
type Handle = NodeJS.Timeout | NodeJS.Immediate;

interface OwnedTimer { kind: Kind; runId: number }

/** Which cell the code running now belongs to: the cell itself and everything it scheduled (timers, promises). */
export const runOwner = new AsyncLocalStorage<number>();

export class CellTimers {
  private readonly live = new Map<Handle, OwnedTimer>();

  constructor(private readonly onCallbackError: (err: unknown, runId: number) => void) {}

  /** Replaces the timer functions of `scope` (the cells' global object) with owned ones. */
  install(scope: Record<string, unknown>): void {
    scope.setTimeout = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => this.start('timeout', fn, args, (cb) => nodeTimers.setTimeout(cb, ms));
    scope.setInterval = (fn: (...a: unknown[]) => void, ms?: number, ...args: unknown[]) => this.start('interval', fn, args, (cb) => nodeTimers.setInterval(cb, ms));
    scope.setImmediate = (fn: (...a: unknown[]) => void, ...args: unknown[]) => this.start('immediate', fn, args, (cb) => nodeTimers.setImmediate(cb));
    scope.clearTimeout = (handle: unknown) => this.clear(handle);
    scope.clearInterval = (handle: unknown) => this.clear(handle);
    scope.clearImmediate = (handle: unknown) => this.clear(handle);
  }

  /** How many timers are pending (intervals until cleared). */
  get count(): number {
    return this.live.size;
  }

  /** Cancels every pending timer; returns what was cancelled in words, one entry per cell and kind. */
  cancelAll(): string[] {
    const groups = new Map<string, { kind: Kind; runId: number; n: number }>();
    for (const [handle, timer] of this.live) {
      cancel(handle);
      const key = `${timer.runId}:${timer.kind}`;
      const group = groups.get(key) ?? { ...timer, n: 0 };
      group.n++;
      groups.set(key, group);
    }
    this.live.clear();
    return [...groups.values()]
      .sort((a, b) => a.runId - b.runId)
      .map((g) => `${g.n} ${g.kind}${g.n === 1 ? '' : 's'} started in cell [${g.runId}]`);
  }

  private start(kind: Kind, fn: (...a: unknown[]) => void, args: unknown[], schedule: (cb: () => void) => Handle): Handle {
    if (typeof fn !== 'function') throw new TypeError(`set${kind[0].toUpperCase()}${kind.slice(1)}: the callback must be a function, got ${typeof fn}`);
    const runId = runOwner.getStore() ?? 0;
    const handle = schedule(() => {
      if (kind !== 'interval') this.live.delete(handle);
      runOwner.run(runId, () => {
        try {
          fn(...args);
        } catch (err) {
          this.onCallbackError(err, runId);
        }
      });
    });
    this.live.set(handle, { kind, runId });
    return handle;
  }

  private clear(handle: unknown): void {
    if (handle === undefined || handle === null) return;
    // Node also accepts a timeout's numeric id (`+handle`).
    const owned = this.live.has(handle as Handle) ? handle as Handle
      : typeof handle === 'number' ? [...this.live.keys()].find((h) => Number(h) === handle) : undefined;
    if (owned) {
      this.live.delete(owned);
      cancel(owned);
    } else {
      cancel(handle as Handle);
    }
  }
}

function cancel(handle: Handle): void {
  if ((handle as NodeJS.Immediate).constructor?.name === 'Immediate') nodeTimers.clearImmediate(handle as NodeJS.Immediate);
  else nodeTimers.clearTimeout(handle as NodeJS.Timeout);
}
