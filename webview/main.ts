// The inspector page: tapes of the last run (list, graph, node details) and training curves.
// Every message from the host is validated before anything is drawn; state is saved so the page
// comes back as it was after the panel is hidden or the window reloads.
import type { TapeTrace } from '../engine/trace/trace_format';
import {
  validateHostToInspector, type HostToInspectorMessage, type RunInfo,
} from '../src/protocol/inspector_messages';
import { HostBridge } from './host_bridge';
import { TapeList } from './tapes/tape_list';
import { GraphView } from './graph/graph_view';
import { allScopeKeys, defaultCollapsedScopes } from './graph/view_graph';
import { NodeDetails } from './details/node_details';
import { TrainingChart, type SavedChart } from './chart/training_chart';
import { GradientView, type SavedGradients } from './training/gradient_view';

type View = 'tapes' | 'chart' | 'gradients';
const VIEWS: readonly View[] = ['tapes', 'chart', 'gradients'];

const MAX_SAVED_TAPE_NODES = 3000;

interface SavedInspector {
  version: 1;
  view: View;
  run?: RunInfo;
  tapes: TapeTrace[];
  selectedTape?: number;
  selectedNode?: string;
  collapsed: Array<[number, string[]]>;
  chart: SavedChart;
  gradients?: SavedGradients;
}

class Inspector {
  private readonly bridge = new HostBridge();
  private readonly tabs: Record<View, HTMLButtonElement>;
  private readonly panes: Record<View, HTMLElement>;
  private readonly banner: HTMLElement;
  private readonly tapeList = new TapeList((id) => this.chooseTape(id));
  private readonly details = new NodeDetails((at) => this.bridge.post(at));
  private readonly graph = new GraphView({
    select: (node, trace) => {
      if (node) this.details.show(node, trace);
      else this.details.showNothing();
      this.save();
    },
    toggleScope: (key) => this.toggleScope(key),
  });
  private readonly chart = new TrainingChart((message) => this.bridge.post(message), () => this.save());
  private readonly gradients = new GradientView(() => this.save());
  /** Runs restored from saved state: a new kernel (after a reload) numbers its runs from 1 again. */
  private readonly restoredRuns = new Map<number, string>();
  private nextRestoredId = -1;
  private view: View = 'tapes';
  private run: RunInfo | undefined;
  private tapes: TapeTrace[] = [];
  private selectedTape: number | undefined;
  private collapsed = new Map<number, Set<string>>();

  constructor(root: HTMLElement) {
    root.innerHTML = `
      <header class="inspector-header">
        <div class="tabs" role="tablist" aria-label="Inspector views">
          <button type="button" role="tab" id="tab-tapes" aria-controls="pane-tapes">Tapes</button>
          <button type="button" role="tab" id="tab-chart" aria-controls="pane-chart">Training</button>
          <button type="button" role="tab" id="tab-gradients" aria-controls="pane-gradients">Gradients</button>
        </div>
        <div class="banner" role="alert" hidden></div>
      </header>
      <main>
        <div class="pane tapes-pane" id="pane-tapes" role="tabpanel" aria-labelledby="tab-tapes"></div>
        <div class="pane" id="pane-chart" role="tabpanel" aria-labelledby="tab-chart"></div>
        <div class="pane" id="pane-gradients" role="tabpanel" aria-labelledby="tab-gradients"></div>
      </main>`;
    this.tabs = { tapes: root.querySelector('#tab-tapes')!, chart: root.querySelector('#tab-chart')!, gradients: root.querySelector('#tab-gradients')! };
    this.panes = { tapes: root.querySelector('#pane-tapes')!, chart: root.querySelector('#pane-chart')!, gradients: root.querySelector('#pane-gradients')! };
    this.banner = root.querySelector('.banner')!;
    this.panes.tapes.append(this.tapeList.element, this.graph.element, this.details.element);
    this.panes.chart.append(this.chart.element);
    this.panes.gradients.append(this.gradients.element);
    for (const view of VIEWS) {
      this.tabs[view].addEventListener('click', () => this.showView(view));
      this.tabs[view].addEventListener('keydown', (e) => {
        if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
          const other = VIEWS[(VIEWS.indexOf(view) + (e.key === 'ArrowRight' ? 1 : VIEWS.length - 1)) % VIEWS.length];
          this.showView(other);
          this.tabs[other].focus();
        }
      });
    }
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
      case 'tapes': this.showTapes(message.run, message.tapes); break;
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
      case 'focus': this.showView(message.view); break;
    }
  }

  /** A restored run whose id a new kernel now uses for another run moves to an id of its own. */
  private separateRestoredRun(runId: number, label: string | undefined): void {
    const restoredLabel = this.restoredRuns.get(runId);
    if (restoredLabel === undefined || label === undefined) return;
    this.restoredRuns.delete(runId);
    if (restoredLabel === label) return;
    const to = this.nextRestoredId--;
    this.chart.store.rekey(runId, to);
    this.gradients.rekey(runId, to);
  }

  private showTapes(run: RunInfo, tapes: TapeTrace[]): void {
    this.run = run;
    this.tapes = tapes;
    this.collapsed.clear();
    const first = [...tapes].sort((a, b) => a.order - b.order)[0];
    this.selectedTape = undefined;
    if (first) this.chooseTape(first.tapeId);
    else {
      this.tapeList.show(run, tapes, undefined);
      this.graph.clear(`${run.cellTitle} recorded no tapes.`);
      this.details.showNothing();
    }
    this.save();
  }

  private chooseTape(tapeId: number, keepView = false, selectedNode?: string): void {
    const trace = this.tapes.find((t) => t.tapeId === tapeId);
    if (!trace) return;
    const changed = this.selectedTape !== tapeId;
    this.selectedTape = tapeId;
    this.tapeList.show(this.run, this.tapes, tapeId);
    if (!this.collapsed.has(tapeId)) this.collapsed.set(tapeId, defaultCollapsedScopes(trace));
    performance.mark('tapescope:graph-start');
    this.graph.show(trace, this.collapsed.get(tapeId)!, selectedNode ?? (changed ? undefined : this.graph.selected), keepView);
    performance.measure('tapescope:graph-draw', 'tapescope:graph-start');
    if (!this.graph.selected) this.details.showNothing();
    this.save();
  }

  private toggleScope(key: string): void {
    if (this.selectedTape === undefined) return;
    const trace = this.tapes.find((t) => t.tapeId === this.selectedTape)!;
    const collapsed = this.collapsed.get(this.selectedTape) ?? new Set<string>();
    if (key === '*collapse') allScopeKeys(trace).forEach((k) => collapsed.add(k));
    else if (key === '*expand') collapsed.clear();
    else if (collapsed.has(key)) collapsed.delete(key);
    else collapsed.add(key);
    this.collapsed.set(this.selectedTape, collapsed);
    this.chooseTape(this.selectedTape, key !== '*collapse' && key !== '*expand');
  }

  private showView(view: View): void {
    this.view = view;
    for (const v of VIEWS) {
      this.tabs[v].setAttribute('aria-selected', String(v === view));
      this.tabs[v].tabIndex = v === view ? 0 : -1;
      this.panes[v].hidden = v !== view;
    }
    if (view === 'chart') this.chart.requestRedraw();
    if (view === 'gradients') this.gradients.requestRedraw();
    this.save();
  }

  private save(): void {
    this.bridge.saveStateSoon((): SavedInspector => ({
      version: 1, view: this.view, run: this.run, selectedTape: this.selectedTape,
      // VS Code copies saved state on every save; very large tapes are not kept across a reload.
      tapes: this.tapes.reduce((n, t) => n + t.nodes.length, 0) <= MAX_SAVED_TAPE_NODES ? this.tapes : [],
      selectedNode: this.graph.selected, collapsed: [...this.collapsed].map(([id, keys]) => [id, [...keys]]),
      chart: this.chart.save(),
      gradients: this.gradients.save(),
    }));
  }

  private restore(): void {
    const saved = this.bridge.restoredState() as SavedInspector | undefined;
    if (!saved || saved.version !== 1) {
      this.showView('tapes');
      return;
    }
    // Saved state is our own output, but it went through VS Code's storage: check it like a message.
    try {
      if (saved.run) validateHostToInspector({ type: 'tapes', run: saved.run, tapes: saved.tapes });
      this.run = saved.run;
      this.tapes = saved.tapes;
      this.collapsed = new Map(saved.collapsed.map(([id, keys]) => [id, new Set(keys)]));
      this.chart.restore(saved.chart);
      if (saved.gradients) {
        // Saved steps went through VS Code's storage: validated like the messages that brought them.
        for (const r of saved.gradients.runs) validateHostToInspector({ type: 'telemetry', runId: Math.max(0, r.runId), steps: r.steps, runLabel: r.label });
        this.gradients.restore(saved.gradients);
      }
      for (const r of [...saved.chart.runs, ...(saved.gradients?.runs ?? [])]) if (r.hostLabel) this.restoredRuns.set(r.runId, r.hostLabel);
    } catch {
      this.tapes = [];
    }
    this.showView(saved.view);
    if (saved.selectedTape !== undefined && this.tapes.some((t) => t.tapeId === saved.selectedTape)) {
      this.chooseTape(saved.selectedTape, false, saved.selectedNode);
    } else {
      this.tapeList.show(this.run, this.tapes, undefined);
    }
  }
}

new Inspector(document.getElementById('inspector') ?? document.body);
