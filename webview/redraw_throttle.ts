// Live views redraw as data streams in: bursts of messages coalesce into at most one redraw per animation frame
// and per minimum interval, counted from the last draw (scheduled or direct).
export class RedrawThrottle {
  private scheduled = false;
  private lastDrawAt = -Infinity;

  constructor(private readonly draw: () => void, private readonly minIntervalMs = 50) {}

  /** Asks for a redraw; one already pending absorbs this one. */
  request(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    const wait = Math.max(0, this.minIntervalMs - (performance.now() - this.lastDrawAt));
    setTimeout(() => requestAnimationFrame(() => {
      this.scheduled = false;
      this.draw();
    }), wait);
  }

  /** A draw starts now (the view calls this at the top of every redraw). */
  drawing(now: number): void {
    this.lastDrawAt = now;
  }
}
