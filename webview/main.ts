// The inspector page: a header of view tabs (webview/layout/view_tabs.ts) over the views listed in
// VIEWS below — the tapes of the last run (list, graph, node details), the training curves and the gradients.
// Every message from the host is validated before anything is drawn; state is saved so the page
// comes back as it was after the panel is hidden or the window reloads.
import {
  validateHostToInspector, type HostToInspectorMessage,
} from '../src/protocol/inspector_messages';
import { el } from './dom';
import { HostBridge } from './host_bridge';
import type { InspectorView } from './layout/inspector_view';
import { ViewTabs } from './layout/view_tabs';
import { TapesView, type SavedTapesView } from './tapes/tapes_view';
import { LayoutClient } from './graph/layout_client';
import { TrainingChart, type SavedChart } from './chart/training_chart';
import { GradientView, type SavedGradients } from './training/gradient_view';

const MAX_SAVED_TAPE_NODES = 3000;

interface SavedInspector extends SavedTapesView {
  version: 1;
  view: string;
  chart: SavedChart;
  gradients?: SavedGradients;
}

class Inspector {
  private readonly bridge = new HostBridge();
  private readonly banner: HTMLElement;
  /** The graph's layouts run in a worker whose script the page's HTML names (inspector_html.ts). */
  private readonly layouts = new LayoutClient(document.getElementById('inspector')?.dataset.layoutWorker);
  private readonly tapesView = new TapesView((at) => this.bridge.post(at), () => this.save(), this.layouts, (request) => this.bridge.post(request));
  private readonly chart = new TrainingChart((message) => this.bridge.post(message), () => this.save());
  /** The top-level views, in tab order. A new view: a class implementing InspectorView, listed here. */
  private readonly gradients = new GradientView(() => this.save());
  private readonly views: InspectorView[] = [this.tapesView, this.chart, this.gradients];
  /** Runs restored from saved state (id → the host's name): a new kernel after a reload numbers runs from 1 again. */
  private readonly restoredRuns = new Map<number, string>();
  private nextRestoredId = -1;
  private readonly tabs = new ViewTabs(this.views, { idPrefix: '', label: 'Inspector views', onChange: () => this.save() });

  constructor(root: HTMLElement) {
    this.banner = el('div', { class: 'banner', attrs: { role: 'alert', hidden: true } });
    root.replaceChildren(
      el('header', { class: 'inspector-header' }, this.tabs.strip, this.banner),
      el('main', {}, this.tabs.panels),
    );
    this.chart.onRename = (runId, label) => this.gradients.rename(runId, label);
    this.restore();
    window.addEventListener('message', (event: MessageEvent) => this.receive(event.data));
    this.bridge.post({ type: 'ready' });
  }

  private receive(data: unknown): void {
    let message: HostToInspectorMessage;
    try {
      message = validateHostToInspector(data);
    } catch (error) {
      this.banner.hidden = false;
      this.banner.textContent = (error as Error).message;
      console.warn(`[tapescope inspector] ${(error as Error).message}`);
      return;
    }
    this.banner.hidden = true;
    switch (message.type) {
      case 'tapes': this.tapesView.showTapes(message.run, message.tapes); break;
      case 'metrics':
        this.separateRestoredRun(message.runId, message.runLabel);
        this.chart.add(message.runId, message.points, message.runLabel);
        this.save();
        break;
      case 'telemetry':
        this.separateRestoredRun(message.runId, message.runLabel);
        this.gradients.add(message.runId, message.steps, message.runLabel);
        this.save();
        break;
      case 'focus': this.tabs.show(message.view); break;
      case 'backwardSteps': this.tapesView.backwardStepsArrived(message); break;
      case 'cursor': this.tapesView.graph.highlightLine(message.file, message.line); break;
      case 'revealNode': {
        this.tabs.show(this.tapesView.id);
        const { runId, tapeId, tensorId } = message;
        void this.tapesView.revealTensor(runId, tapeId, tensorId).then((node) => {
          if (node === undefined) {
            this.banner.hidden = false;
            this.banner.textContent = 'That tensor’s run is no longer in the inspector: run its cell again.';
          }
          this.bridge.post({ type: 'nodeRevealed', tapeId, tensorId, ...(node !== undefined ? { node } : {}) });
        });
        break;
      }
    }
  }

  /** A restored run whose id a new kernel now gives another run moves to an id of its own. */
  private separateRestoredRun(runId: number, label: string | undefined): void {
    const restoredLabel = this.restoredRuns.get(runId);
    if (restoredLabel === undefined || label === undefined) return;
    this.restoredRuns.delete(runId);
    if (restoredLabel === label) return;
    const to = this.nextRestoredId--;
    this.chart.store.rekey(runId, to);
    this.gradients.rekey(runId, to);
  }

  private save(): void {
    this.bridge.saveStateSoon((): SavedInspector => ({
      version: 1, view: this.tabs.selected ?? this.views[0].id, chart: this.chart.save(), gradients: this.gradients.save(),
      ...this.tapesView.save(MAX_SAVED_TAPE_NODES),
    }));
  }

  private restore(): void {
    const saved = this.bridge.restoredState() as SavedInspector | undefined;
    if (!saved || saved.version !== 1) {
      this.tabs.show(this.views[0].id);
      return;
    }
    this.tabs.show(this.tabs.has(saved.view) ? saved.view : this.views[0].id);
    // Saved state is our own output, but it went through VS Code's storage: check it like a message.
    try {
      if (saved.run) validateHostToInspector({ type: 'tapes', run: saved.run, tapes: saved.tapes });
      this.chart.restore(saved.chart);
      if (saved.gradients) {
        // Saved steps went through VS Code's storage: validated like the messages that brought them.
        for (const r of saved.gradients.runs) validateHostToInspector({ type: 'telemetry', runId: Math.max(0, r.runId), steps: r.steps, runLabel: r.label });
        this.gradients.restore(saved.gradients);
      }
      for (const r of [...saved.chart.runs, ...(saved.gradients?.runs ?? [])]) if (r.hostLabel) this.restoredRuns.set(r.runId, r.hostLabel);
      this.tapesView.restore(saved);
    } catch {
      this.tapesView.restore({ tapes: [], collapsed: [] });
    }
  }
}

new Inspector(document.getElementById('inspector') ?? document.body);
