// A typed event without vscode: the kernel runs in plain Node too (tests, bench).

export interface Subscription { dispose(): void }

export class Signal<T> {
  private listeners = new Set<(value: T) => void>();

  /** Subscribe; the shape matches vscode.Event so the extension can pass it straight on. */
  readonly event = (listener: (value: T) => void): Subscription => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }

  clear(): void {
    this.listeners.clear();
  }
}
