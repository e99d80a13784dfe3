// The page's side of the layout worker. The worker's script is fetched once from the extension (the
// bundle dist/layout_worker.js, at the URL the page's HTML names) and started from a Blob URL: a webview
// may not start a worker from the extension's resource origin, which is not its own. A newer request
// replaces a running one by ending that worker (d3-dag cannot be interrupted) and starting a fresh one.
// Placements are cached by the boxes they place, so going back to a tape or a fold state draws at once.
// Without a worker (no script URL, the script could not be fetched, the worker failed) layouts run here.
import { validateLayoutReply, type LayoutBox, type LayoutPlacement } from '../../src/protocol/layout_messages';
import { placeBoxes } from './dag_layout';

/** Graphs of up to this many boxes are placed on the page at once: a few milliseconds, no round trip. */
export const INLINE_LAYOUT_UP_TO = 40;
const CACHED_PLACEMENTS = 24;

export type LayoutSite = 'worker' | 'page';

interface Running {
  id: number;
  boxes: LayoutBox[];
  key: string;
  done(placement: LayoutPlacement | undefined, site: LayoutSite): void;
}

export class LayoutClient {
  private readonly script: Promise<string | undefined>;
  private worker: Worker | undefined;
  private running: Running | undefined;
  private nextId = 1;
  private readonly cache = new Map<string, LayoutPlacement>();
  /** Why layouts run on the page, if they do (shown in the console once). */
  unavailable: string | undefined;
  /** Layouts done by the worker and on the page, and requests replaced by newer ones. */
  readonly counts = { worker: 0, page: 0, replaced: 0 };

  constructor(workerScriptUrl: string | undefined) {
    this.script = workerScriptUrl ? fetchAsBlobUrl(workerScriptUrl).catch((error: Error) => this.noWorker(`the layout worker's script could not be loaded (${error.message})`))
      : Promise.resolve(this.noWorker('the page names no layout worker script'));
  }

  /** A placement available without waiting: cached, or small enough to compute here. */
  placeNow(boxes: LayoutBox[]): LayoutPlacement | undefined {
    const cached = this.cached(keyOf(boxes));
    if (cached) return cached;
    if (boxes.length > INLINE_LAYOUT_UP_TO) return undefined;
    this.counts.page++;
    return this.remember(keyOf(boxes), placeBoxes(boxes));
  }

  /**
   * Places `boxes` off the page's thread. Resolves undefined when a newer request replaced this one before it
   * finished; `site` says where the placement was computed.
   */
  place(boxes: LayoutBox[]): Promise<{ placement: LayoutPlacement; site: LayoutSite } | undefined> {
    const key = keyOf(boxes);
    const cached = this.cached(key);
    if (cached) return Promise.resolve({ placement: cached, site: 'page' });
    this.replaceRunning();
    return new Promise((resolve) => {
      const running: Running = {
        id: this.nextId++, boxes, key,
        done: (placement, site) => resolve(placement ? { placement: this.remember(key, placement), site } : undefined),
      };
      this.running = running;
      void this.script.then((url) => {
        if (this.running !== running) return;
        if (url) this.post(url, running);
        else this.placeHere(running);
      });
    });
  }

  private post(url: string, running: Running): void {
    let worker = this.worker;
    if (!worker) {
      try {
        worker = new Worker(url, { name: 'tapescope-layout' });
      } catch (error) {
        this.noWorker(`the layout worker could not start (${(error as Error).message})`);
        this.placeHere(running);
        return;
      }
      worker.onmessage = (event: MessageEvent) => this.received(event.data);
      worker.onerror = (event: ErrorEvent) => {
        event.preventDefault();
        this.noWorker(`the layout worker failed (${event.message || 'no message'})`);
        this.endWorker();
        if (this.running) this.placeHere(this.running);
      };
      this.worker = worker;
    }
    worker.postMessage({ type: 'layout', id: running.id, boxes: running.boxes });
  }

  private received(data: unknown): void {
    const running = this.running;
    let reply;
    try {
      reply = validateLayoutReply(data);
    } catch (error) {
      console.warn(`[tapescope inspector] ${(error as Error).message}`);
      return;
    }
    if (!running || reply.id !== running.id) return;
    this.running = undefined;
    if (reply.type === 'failed') {
      console.warn(`[tapescope inspector] layout failed in the worker: ${reply.message}`);
      this.placeHere(running);
      return;
    }
    this.counts.worker++;
    running.done(reply.placement, 'worker');
  }

  /** The fallback: computed on the page, after the current task so the caller's frame paints first. */
  private placeHere(running: Running): void {
    this.running = running;
    setTimeout(() => {
      if (this.running !== running) return;
      this.running = undefined;
      this.counts.page++;
      running.done(placeBoxes(running.boxes), 'page');
    }, 0);
  }

  private replaceRunning(): void {
    const running = this.running;
    if (!running) return;
    this.running = undefined;
    this.counts.replaced++;
    // The worker is busy with the old request until it finishes: end it; the next request starts another.
    this.endWorker();
    running.done(undefined, 'worker');
  }

  private endWorker(): void {
    this.worker?.terminate();
    this.worker = undefined;
  }

  private noWorker(reason: string): undefined {
    if (this.unavailable === undefined) console.warn(`[tapescope inspector] ${reason}; graphs are laid out on the page.`);
    this.unavailable ??= reason;
    return undefined;
  }

  private cached(key: string): LayoutPlacement | undefined {
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
    }
    return hit;
  }

  private remember(key: string, placement: LayoutPlacement): LayoutPlacement {
    this.cache.set(key, placement);
    if (this.cache.size > CACHED_PLACEMENTS) this.cache.delete(this.cache.keys().next().value as string);
    return placement;
  }
}

/** The boxes, their sizes and their parents as one string: equal graphs give equal placements. */
function keyOf(boxes: readonly LayoutBox[]): string {
  let key = '';
  for (const b of boxes) key += `${b.id}:${b.width}:${b.height}:${b.parents.join(',')};`;
  return key;
}

async function fetchAsBlobUrl(url: string): Promise<string> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return URL.createObjectURL(new Blob([await response.text()], { type: 'text/javascript' }));
}
