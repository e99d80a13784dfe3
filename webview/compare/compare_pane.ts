// The "Compare" details pane: the shown tape against the same tape of the cell's previous run (kept by the Tapes
// view when the cell runs again). Lists, node by node, what changed in values and gradients and by how much, and
// which nodes appeared or vanished; marks them on the graph, and a click on a row selects its node.
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RunInfo } from '../../src/protocol/inspector_messages';
import { el } from '../dom';
import type { GraphView } from '../graph/graph_view';
import type { DetailsPane } from '../layout/inspector_view';
import { formatNumber } from '../number_format';
import { summaryText } from '../replay/gradient_text';
import { compareTapes, matchingTape, type NodeComparison, type QuantityChange } from './run_compare';

export interface PreviousRun {
  run: RunInfo;
  tapes: TapeTrace[];
}

const MARKS = ['compare-changed', 'compare-appeared'];

function quantityText(q: QuantityChange | undefined): string {
  if (!q) return '';
  const side = (s: QuantityChange['before']): string => (s ? summaryText(s) : 'None');
  return `${side(q.before)} → ${side(q.after)}`;
}

function deltaText(q: QuantityChange | undefined): string {
  if (!q) return '';
  return Number.isFinite(q.delta) ? `Δ ${formatNumber(q.delta)}` : 'Δ —';
}

export class ComparePane implements DetailsPane {
  readonly id = 'compare';
  readonly title = 'Compare';
  readonly element = el('section', { class: 'compare-pane', attrs: { 'aria-label': 'Compare with the previous run' } });
  private trace: TapeTrace | undefined;
  private frame = 0;

  constructor(private readonly graph: GraphView, private readonly previous: () => PreviousRun | undefined) {
    this.tapeChanged(undefined);
  }

  tapeChanged(trace: TapeTrace | undefined): void {
    this.trace = trace;
    this.render();
  }

  graphDrawn(): void {
    this.render();
  }

  private render(): void {
    const trace = this.trace;
    const previous = this.previous();
    const before = trace && previous ? matchingTape(trace, previous.tapes) : undefined;
    if (!trace || !previous || !before) {
      this.mark([]);
      this.element.replaceChildren(el('p', { class: 'hint', text: !trace ? 'No tape selected.'
        : !previous ? 'Run this cell again to compare: the previous run’s tapes are kept here.'
          : 'The previous run of this cell recorded no matching tape.' }));
      return;
    }
    const result = compareTapes(before, trace);
    const count = (kind: NodeComparison['kind']): number => result.nodes.filter((n) => n.kind === kind).length;
    const summary = `${count('changed')} changed · ${count('appeared')} appeared · ${count('vanished')} vanished · ${result.unchanged} unchanged`;
    const rows = result.nodes.map((n) => this.row(n));
    this.element.replaceChildren(
      el('p', { class: 'compare-against' }, el('span', { text: 'Compared with ' }),
        el('span', { class: 'compare-run', text: previous.run.label ?? previous.run.cellTitle }),
        el('span', { text: ` (${before.label}), the previous run of this cell` })),
      el('p', { class: 'compare-summary', text: summary }),
      rows.length === 0 ? el('p', { class: 'hint', text: 'No value or gradient changed.' })
        : el('table', { class: 'compare-table' },
          el('thead', {}, el('tr', {}, ...['node', 'op', 'value', '', 'gradient', ''].map((h) => el('th', { text: h })))),
          el('tbody', {}, ...rows)));
    this.mark(result.nodes);
  }

  private row(n: NodeComparison): HTMLElement {
    const status = n.kind === 'changed' ? '' : n.kind === 'appeared' ? 'new in this run' : 'gone since the previous run';
    const tr = el('tr', { class: `compare-row compare-${n.kind}`, attrs: { 'data-node': n.afterNode ?? n.beforeNode ?? '', tabindex: n.afterNode ? 0 : -1 } },
      el('td', { class: 'tensor-name', text: n.name }),
      el('td', { class: 'compare-op', text: n.op }),
      ...(n.kind === 'changed'
        ? [el('td', { class: 'compare-value replay-number', text: quantityText(n.value) }), el('td', { class: 'compare-delta', text: deltaText(n.value) }),
          el('td', { class: 'compare-grad replay-number', text: quantityText(n.grad) }), el('td', { class: 'compare-delta', text: deltaText(n.grad) })]
        : [el('td', { class: 'compare-status', text: status, attrs: { colspan: 4 } })]));
    if (n.afterNode) {
      const go = (): void => this.selectTraceNode(n.afterNode!);
      tr.addEventListener('click', go);
      tr.addEventListener('keydown', (e) => { if (e.key === 'Enter') go(); });
    }
    return tr;
  }

  private selectTraceNode(traceNode: string): void {
    const box = this.graph.element.querySelector(`g.node[data-trace-node="${CSS.escape(traceNode)}"]`);
    const viewId = box?.getAttribute('data-node-id');
    if (viewId) this.graph.select(viewId, true);
  }

  /** Marks changed and new nodes on the graph, on the next frame (after the graph itself is drawn). */
  private mark(nodes: readonly NodeComparison[]): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      const root = this.graph.element;
      root.querySelectorAll(MARKS.map((m) => `g.node.${m}`).join(', ')).forEach((g) => g.classList.remove(...MARKS));
      for (const n of nodes) {
        if (!n.afterNode || n.kind === 'vanished') continue;
        root.querySelector(`g.node[data-trace-node="${CSS.escape(n.afterNode)}"]`)?.classList.add(`compare-${n.kind}`);
      }
    });
  }
}
