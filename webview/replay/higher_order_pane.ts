// The "Higher order" details pane: for the shown tape, the groups of ops another tape's gradient() recorded (each
// linked to that tape), the tapes that recorded this tape's own gradient (linked back), and the Hessian heatmap an
// outer tape took of an inner tape's gradients, with the user's names on its axes and None cells marked.
import type { TapeTrace, TensorSummary } from '../../engine/trace/trace_format';
import { el } from '../dom';
import type { GraphView } from '../graph/graph_view';
import { tensorDisplayName } from '../graph/names';
import type { DetailsPane } from '../layout/inspector_view';
import { decodeValue } from '../number_format';
import { summaryText } from './gradient_text';
import { gradientGroups, hessianMatrix, jacobianMatrices, recordedBy, type GradientGroup, type GradientMatrix } from './higher_order';
import { GroupFrames, type FrameLink } from './group_frames';

function scalarOf(s: TensorSummary): number | undefined {
  return s.values && s.size === 1 ? decodeValue(s.values[0]) : undefined;
}

/** The matrix as a table whose cells are shaded by magnitude; a None cell is marked, never shaded as zero. */
export function matrixTable(m: GradientMatrix): HTMLTableElement {
  const largest = Math.max(1e-12, ...m.cells.flat().map((c) => Math.abs((c && (scalarOf(c) ?? c.l2)) || 0)));
  return el('table', { class: 'grad-matrix', attrs: { 'aria-label': m.title } },
    el('caption', { text: m.title }),
    el('thead', {}, el('tr', {}, el('th', { text: '' }), ...m.colNames.map((n) => el('th', { class: 'matrix-col', attrs: { scope: 'col' }, text: n })))),
    el('tbody', {}, ...m.cells.map((row, i) => el('tr', {},
      el('th', { class: 'matrix-row', attrs: { scope: 'row' }, text: m.rowNames[i] }),
      ...row.map((cell, j) => {
        if (cell === null) return el('td', { class: 'matrix-cell null-cell', attrs: { title: `∂²/∂${m.rowNames[i]} ∂${m.colNames[j]} is None: no path` }, text: 'None' });
        const magnitude = Math.abs(scalarOf(cell) ?? cell.l2) / largest;
        const td = el('td', { class: 'matrix-cell', text: summaryText(cell) });
        td.style.setProperty('--cell-strength', `${Math.round(15 + 70 * magnitude)}%`);
        return td;
      })))));
}

export class HigherOrderPane implements DetailsPane {
  readonly id = 'higher-order';
  readonly title = 'Higher order';
  readonly element = el('section', { class: 'higher-order-pane', attrs: { 'aria-label': 'Higher-order gradients' } });

  private readonly frames: GroupFrames;
  private groups: GradientGroup[] = [];
  private recordedByLinks: FrameLink[] = [];

  constructor(private readonly graph: GraphView, private readonly allTapes: () => readonly TapeTrace[], private readonly openTape: (tapeId: number) => void) {
    this.frames = new GroupFrames(graph, openTape);
    this.tapeChanged(undefined);
  }

  /** The groups of the shown tape, as tapeChanged found them (the replay names the group a step is in). */
  get shownGroups(): readonly GradientGroup[] { return this.groups; }

  graphDrawn(): void {
    this.frames.draw(this.groups, this.recordedByLinks);
  }

  tapeChanged(trace: TapeTrace | undefined): void {
    this.groups = [];
    this.recordedByLinks = [];
    if (!trace) { this.element.replaceChildren(el('p', { class: 'hint', text: 'No tape selected.' })); return; }
    const tapes = this.allTapes();
    this.groups = gradientGroups(trace, tapes);
    this.recordedByLinks = recordedBy(trace, tapes).map((t) => ({ label: `its gradient computation was recorded on ${t.label} ↗`, tapeId: t.tapeId }));
    const parts: HTMLElement[] = [];
    const link = (text: string, tapeId: number): HTMLButtonElement => {
      const b = el('button', { class: 'tape-link', text, attrs: { type: 'button', 'data-tape': tapeId } });
      b.addEventListener('click', () => this.openTape(tapeId));
      return b;
    };
    for (const group of this.groups) {
      const mark = el('button', { class: 'group-mark', text: `${group.nodeIds.length} ops`, attrs: { type: 'button', title: 'Mark these ops on the graph' } });
      mark.addEventListener('click', () => this.markGroup(group.nodeIds));
      parts.push(el('div', { class: 'gradient-group', attrs: { 'data-inner-tape': group.innerTapeId } },
        el('span', { class: 'group-label', text: group.label }), mark,
        tapes.some((t) => t.tapeId === group.innerTapeId) ? link('open inner tape', group.innerTapeId) : null));
    }
    for (const outer of recordedBy(trace, tapes)) {
      parts.push(el('div', { class: 'recorded-by' }, el('span', { text: 'This tape’s gradient computation was recorded by ' }), link(outer.label, outer.tapeId)));
    }
    const results = trace.gradientCalls.flatMap((call, i) => (call.results ?? []).map((r, k) => el('li', { class: 'gradient-result' },
      el('span', { text: `gradient ${i + 1} w.r.t. ` }), el('span', { class: 'tensor-name', text: tensorDisplayName(trace, call.sources[k]) }),
      el('span', { text: ' = ' }), el('span', { class: 'replay-number', text: r ? summaryText(r.value) : 'None' }))));
    if (results.length > 0) parts.push(el('ul', { class: 'gradient-results' }, ...results));
    const matrix = hessianMatrix(trace, tapes);
    if (matrix) parts.push(matrixTable(matrix));
    for (const jacobian of jacobianMatrices(trace)) parts.push(matrixTable(jacobian));
    if (parts.length === 0) parts.push(el('p', { class: 'hint', text: 'This tape has no nested gradient computations or Jacobians.' }));
    this.element.replaceChildren(...parts);
  }

  private markGroup(nodeIds: readonly string[]): void {
    this.graph.element.querySelectorAll('g.node.in-gradient-group').forEach((n) => n.classList.remove('in-gradient-group'));
    for (const id of nodeIds) this.graph.element.querySelector(`g.node[data-trace-node="${CSS.escape(id)}"]`)?.classList.add('in-gradient-group');
  }
}

