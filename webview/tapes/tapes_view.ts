// The Tapes view: the recorded tapes (a column, or a picker in the toolbar when narrow), the graph of
// the chosen one, and the details area — beside the graph on wide panels, below it on tall ones,
// resizable, never over it. The details area holds DetailsPanes as tabs: add one to DETAILS_PANES'
// list in the constructor and it hears every tape and node selection.
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { BackwardStepsMessage, RequestStepsMessage, RevealSourceMessage, RunInfo } from '../../src/protocol/inspector_messages';
import { el } from '../dom';
import { GraphView } from '../graph/graph_view';
import type { LayoutClient } from '../graph/layout_client';
import { allScopeKeys, defaultCollapsedScopes, type ViewNode } from '../graph/view_graph';
import { NodeDetails } from '../details/node_details';
import { ReplayPane } from '../replay/replay_pane';
import { HigherOrderPane } from '../replay/higher_order_pane';
import { ComparePane, type PreviousRun } from '../compare/compare_pane';
import type { DetailsPane, InspectorView } from '../layout/inspector_view';
import { FOLD_DETAILS_BELOW_HEIGHT, layoutModeFor, type LayoutMode } from '../layout/layout_mode';
import { SplitLayout, type SavedSplit } from '../layout/split_layout';
import { ViewTabs } from '../layout/view_tabs';
import { TapeList } from './tape_list';
import { TapePicker } from './tape_picker';
import { listedTapes, stopText } from './tape_summary';

/** Cells whose last run is kept for comparison. */
const MAX_CELLS_KEPT = 16;

export interface SavedTapesView {
  run?: RunInfo;
  tapes: TapeTrace[];
  selectedTape?: number;
  selectedNode?: string;
  collapsed: Array<[number, string[]]>;
  split?: SavedSplit;
  detailsPane?: string;
}

export class TapesView implements InspectorView {
  readonly id = 'tapes';
  readonly title = 'Tapes';
  readonly element: HTMLElement;
  readonly graph: GraphView;
  private readonly tapeList = new TapeList((id) => this.chooseTape(id), (show) => this.setShowInternal(show));
  private readonly picker = new TapePicker((id) => this.chooseTape(id), (show) => this.setShowInternal(show));
  private showInternal = false;
  private readonly details: NodeDetails;
  private readonly replay: ReplayPane;
  private readonly panes: DetailsPane[];
  private readonly paneTabs: ViewTabs<DetailsPane>;
  private readonly split: SplitLayout;
  private mode: LayoutMode | undefined;
  private run: RunInfo | undefined;
  private tapes: TapeTrace[] = [];
  private selectedTape: number | undefined;
  private collapsed = new Map<number, Set<string>>();
  /** Per tape, the "×N" groups of repeated ops the user expanded (all start folded). */
  private readonly expandedRepeats = new Map<number, Set<string>>();
  /** The last run of each cell (by file and title, or line for an untitled cell), for "compare with previous". */
  private readonly lastRunOfCell = new Map<string, PreviousRun>();
  private previousRun: PreviousRun | undefined;

  constructor(revealSource: (at: RevealSourceMessage) => void, private readonly changed: () => void, layouts: LayoutClient,
    requestSteps: (request: RequestStepsMessage) => void = () => {}) {
    this.details = new NodeDetails(revealSource);
    this.graph = new GraphView({
      select: (node, trace) => this.nodeSelected(node, trace),
      toggleScope: (key) => this.updateCollapsed((set) => { if (!set.delete(key)) set.add(key); }, true),
      toggleRepeat: (key) => {
        if (this.selectedTape === undefined) return;
        const set = this.expandedRepeats.get(this.selectedTape) ?? new Set<string>();
        if (!set.delete(key)) set.add(key);
        this.expandedRepeats.set(this.selectedTape, set);
        this.chooseTape(this.selectedTape, true);
      },
      collapseAll: () => this.updateCollapsed((set, trace) => allScopeKeys(trace).forEach((k) => set.add(k)), false),
      expandAll: () => this.updateCollapsed((set) => set.clear(), false),
      revealSource: (at) => revealSource({ type: 'revealSource', file: at.file, line: at.line, column: at.column }),
    }, layouts);
    const higherOrder = new HigherOrderPane(this.graph, () => this.tapes, (id) => this.chooseTape(id));
    this.replay = new ReplayPane(this.graph, (id) => higherOrder.shownGroups.find((g) => g.nodeIds.includes(id)), (id) => this.chooseTape(id),
      (tapeId, call) => { if (this.run) requestSteps({ type: 'requestSteps', runId: this.run.runId, tapeId, call }); });
    this.panes = [this.details, this.replay, higherOrder, new ComparePane(this.graph, () => this.previousRun)];
    this.paneTabs = new ViewTabs(this.panes, { idPrefix: 'details-', label: 'Details', onChange: () => this.changed() });
    const fold = el('button', { class: 'fold-details', text: '▾', attrs: { type: 'button', title: 'Fold or unfold the details pane', 'aria-label': 'Fold details' } });
    fold.addEventListener('click', () => this.split.toggleFolded());
    const detailsArea = el('section', { class: 'details-area', attrs: { 'aria-label': 'Details' } },
      el('div', { class: 'details-head' }, this.paneTabs.strip, fold), this.paneTabs.panels);
    this.split = new SplitLayout(this.graph.element, detailsArea, () => this.changed());
    this.element = el('div', { class: 'tapes-view' }, this.tapeList.element, this.split.element);
    this.paneTabs.show(this.panes[0].id);
    new ResizeObserver(([entry]) => this.arrange(entry.contentRect.width, entry.contentRect.height)).observe(this.element);
  }

  /** A run's tapes arrived: the newest is shown. */
  showTapes(run: RunInfo, tapes: TapeTrace[]): void {
    this.keepRun(run, tapes);
    this.run = run;
    this.tapes = tapes;
    this.collapsed.clear();
    this.expandedRepeats.clear();
    this.selectedTape = undefined;
    const newest = listedTapes(tapes, this.showInternal)[0];
    if (newest) this.chooseTape(newest.tapeId);
    else {
      this.refreshLists();
      this.graph.clear(`${run.cellTitle} recorded no tapes.`);
      for (const pane of this.panes) pane.tapeChanged?.(undefined);
      this.details.showNothing();
    }
    this.changed();
  }

  /** Shows a tape; resolves once its graph is drawn (large graphs are laid out by the worker). */
  chooseTape(tapeId: number, keepView = false, selectedNode?: string): Promise<void> {
    const trace = this.tapes.find((t) => t.tapeId === tapeId);
    if (!trace) return Promise.resolve();
    const changed = this.selectedTape !== tapeId;
    this.selectedTape = tapeId;
    this.refreshLists();
    if (!this.collapsed.has(tapeId)) this.collapsed.set(tapeId, defaultCollapsedScopes(trace));
    if (changed) for (const pane of this.panes) pane.tapeChanged?.(trace);
    // A tape opens on the node where NaN/Inf first appeared, if any.
    const opening = changed ? trace.nodes.find((n) => n.numericsFault)?.id : this.graph.selected;
    const start = performance.now();
    const stop = stopText(trace);
    const drawn = this.graph.show(trace, this.collapsed.get(tapeId)!, {
      selectedId: selectedNode ?? opening, keepView, expandedRepeats: this.expandedRepeats.get(tapeId),
      note: stop ? `${stop} — the ops recorded until then:` : undefined,
    }).then(() => {
      if (this.selectedTape !== tapeId || this.graph.shownTrace !== trace) return;
      performance.measure('tapescope:graph-draw', { start, end: performance.now() });
      for (const pane of this.panes) pane.graphDrawn?.(trace);
      this.changed();
    });
    this.changed();
    return drawn;
  }

  save(maxNodes: number): SavedTapesView {
    return {
      run: this.run, selectedTape: this.selectedTape, selectedNode: this.graph.selected,
      // VS Code copies saved state on every save; very large tapes are not kept across a reload.
      tapes: this.tapes.reduce((n, t) => n + t.nodes.length, 0) <= maxNodes ? this.tapes : [],
      collapsed: [...this.collapsed].map(([id, keys]) => [id, [...keys]]),
      split: this.split.save(), detailsPane: this.paneTabs.selected,
    };
  }

  /** Takes back saved state (already validated by the caller). */
  restore(saved: SavedTapesView): void {
    this.run = saved.run;
    this.tapes = saved.tapes;
    this.collapsed = new Map(saved.collapsed.map(([id, keys]) => [id, new Set(keys)]));
    this.split.restore(saved.split);
    if (saved.detailsPane && this.paneTabs.has(saved.detailsPane)) this.paneTabs.show(saved.detailsPane);
    if (saved.selectedTape !== undefined && this.tapes.some((t) => t.tapeId === saved.selectedTape)) {
      this.chooseTape(saved.selectedTape, false, saved.selectedNode);
    } else this.refreshLists();
  }

  /** The host's answer to the replay's requestSteps: fills in the held-back pass once its steps match the tape. */
  backwardStepsArrived(message: BackwardStepsMessage): void {
    const { runId, tapeId, call } = message;
    if (this.run?.runId !== runId) return;
    const trace = this.tapes.find((t) => t.tapeId === tapeId);
    const pass = trace?.gradientCalls[call]?.backward;
    if (!trace || !pass || pass.deferredSteps === undefined) return;
    if (message.missing !== undefined) {
      this.replay.stepsMissing(tapeId, call, message.missing);
      return;
    }
    const steps = message.steps!;
    const ids = new Set(trace.nodes.map((n) => n.id));
    if (steps.length !== pass.deferredSteps || !steps.every((s) => ids.has(s.node) && s.sends.every((e) => ids.has(e.from)))) {
      this.replay.stepsMissing(tapeId, call, `The extension sent ${steps.length} steps for gradient ${call + 1} that do not match this tape `
        + `(${pass.deferredSteps} steps through its nodes): run the cell again.`);
      return;
    }
    pass.steps = steps;
    delete pass.deferredSteps;
    this.replay.stepsArrived(tapeId, call);
  }

  /**
   * Selects the node that produced `tensorId` on tape `tapeId` of the shown run (its scopes opened so its own box
   * is drawn) and shows its details; returns the node's trace id, undefined when that run or tape is not shown.
   */
  async revealTensor(runId: number, tapeId: number, tensorId: number): Promise<string | undefined> {
    if (this.run?.runId !== runId) return undefined;
    const trace = this.tapes.find((t) => t.tapeId === tapeId);
    const node = trace?.nodes.find((n) => n.output === tensorId);
    if (!trace || !node) return undefined;
    void this.chooseTape(tapeId);
    const collapsed = this.collapsed.get(tapeId)!;
    node.scope.forEach((_, i) => collapsed.delete(node.scope.slice(0, i + 1).join('/')));
    await this.chooseTape(tapeId, true);
    const box = this.graph.element.querySelector(`g.node[data-trace-node="${CSS.escape(node.id)}"]`);
    const viewId = box?.getAttribute('data-node-id');
    if (!viewId) return undefined;
    this.graph.select(viewId, true);
    this.paneTabs.show(this.details.id);
    return node.id;
  }

  /** Remembers the run as its cell's last; the one it replaces becomes the previous run compared against. */
  private keepRun(run: RunInfo, tapes: TapeTrace[]): void {
    const key = `${run.file}\u0000${run.cellTitle || `line ${run.line}`}`;
    // the same run sent again (the host bringing it back for a link) keeps what it was compared with
    if (this.lastRunOfCell.get(key)?.run.runId === run.runId) return;
    this.previousRun = this.lastRunOfCell.get(key);
    this.lastRunOfCell.delete(key);
    this.lastRunOfCell.set(key, { run, tapes });
    // the cells run longest ago are forgotten first
    for (const old of this.lastRunOfCell.keys()) {
      if (this.lastRunOfCell.size <= MAX_CELLS_KEPT) break;
      this.lastRunOfCell.delete(old);
    }
  }

  private refreshLists(): void {
    this.tapeList.show(this.run, this.tapes, this.selectedTape, this.showInternal);
    this.picker.show(this.tapes, this.selectedTape, this.showInternal);
  }

  private setShowInternal(show: boolean): void {
    this.showInternal = show;
    this.refreshLists();
    this.changed();
  }

  private nodeSelected(node: ViewNode | undefined, trace: TapeTrace): void {
    if (node) this.details.show(node, trace);
    else this.details.showNothing();
    for (const pane of this.panes) if (pane !== this.details) pane.nodeSelected?.(node, trace);
    this.changed();
  }

  private updateCollapsed(change: (set: Set<string>, trace: TapeTrace) => void, keepView: boolean): void {
    if (this.selectedTape === undefined) return;
    const trace = this.tapes.find((t) => t.tapeId === this.selectedTape)!;
    const set = this.collapsed.get(this.selectedTape) ?? new Set<string>();
    change(set, trace);
    this.collapsed.set(this.selectedTape, set);
    this.chooseTape(this.selectedTape, keepView);
  }

  private arrange(width: number, height: number): void {
    if (width === 0 || height === 0) return;
    const mode = layoutModeFor(width, height);
    if (mode.tapeList !== this.mode?.tapeList) {
      this.element.classList.toggle('list-column', mode.tapeList === 'column');
      if (mode.tapeList === 'picker') this.graph.toolbarLead.append(this.picker.element);
      else this.picker.element.remove();
    }
    this.mode = mode;
    const listWidth = mode.tapeList === 'column' ? this.tapeList.element.offsetWidth : 0;
    this.split.arrange(mode.details, mode.details === 'side' ? width - listWidth : height, height < FOLD_DETAILS_BELOW_HEIGHT);
  }
}
