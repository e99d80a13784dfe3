// Marks the replay on the drawn graph: the node being differentiated, the targets seeded, and on every edge already
// traversed the contribution it carried (summed when one edge carried several). Works on the graph's own SVG (the
// nodes' data-trace-node, the edges' bound data), so the graph view needs no replay knowledge.
import { select } from 'd3-selection';
import type { BackwardStep, TapeTrace } from '../../engine/trace/trace_format';
import type { GraphView } from '../graph/graph_view';
import type { ViewEdge } from '../graph/view_graph';
import { edgeLabelText } from './gradient_text';

const SVG = 'http://www.w3.org/2000/svg';

export class ReplayOverlay {
  private frame = 0;

  constructor(private readonly graph: GraphView) {}

  clear(): void {
    cancelAnimationFrame(this.frame);
    this.paint(undefined, undefined, [], []);
  }

  /** Drawn on the next frame, after the graph itself (a tape change redraws the graph after the panes hear of it);
   * steps pressed within one frame paint once. */
  show(trace: TapeTrace, current: string | undefined, done: readonly BackwardStep[], seeded: readonly number[], currentGroup?: number): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.paint(trace, current, done, seeded, currentGroup));
  }

  private paint(trace: TapeTrace | undefined, current: string | undefined, done: readonly BackwardStep[], seeded: readonly number[], currentGroup?: number): void {
    const root = this.graph.element;
    root.querySelectorAll('g.gradient-group-frame').forEach((g) => g.classList.toggle('replay-in-group', g.getAttribute('data-tape') === String(currentGroup)));
    root.querySelectorAll('.replay-current, .replay-seeded, .replay-visited, .replay-traversed')
      .forEach((n) => n.classList.remove('replay-current', 'replay-seeded', 'replay-visited', 'replay-traversed'));
    root.querySelectorAll('.replay-labels').forEach((n) => n.remove());
    if (!trace) return;
    const boxes = new Map<string, Element>();
    root.querySelectorAll('g.node[data-trace-node]').forEach((g) => boxes.set(g.getAttribute('data-trace-node')!, g));
    const boxOf = (traceNode: string): Element | null => boxes.get(traceNode) ?? null;
    const seededNodes = trace.nodes.filter((n) => seeded.includes(n.output)).map((n) => n.id);
    if (current === undefined) for (const id of seededNodes) boxOf(id)?.classList.add('replay-seeded');
    for (const s of done) boxOf(s.node)?.classList.add('replay-visited');
    if (current !== undefined) boxOf(current)?.classList.add('replay-current');

    // contributions by drawn edge: view ids of the producer and the consumer, and the tensor
    const viewId = (traceNode: string): string | null => boxOf(traceNode)?.getAttribute('data-node-id') ?? null;
    const carried = new Map<string, string[]>();
    for (const s of done) {
      const to = viewId(s.node);
      for (const e of s.sends) {
        const from = viewId(e.from);
        if (to === null || from === null) continue;
        const key = `${from}->${to}`;
        carried.set(key, [...(carried.get(key) ?? []), edgeLabelText(e.contribution)]);
      }
    }
    const viewport = root.querySelector('g.viewport');
    if (!viewport || carried.size === 0) return;
    const labels = document.createElementNS(SVG, 'g');
    labels.setAttribute('class', 'replay-labels');
    select(root).selectAll<SVGPathElement, ViewEdge>('path.edge').each(function (edge) {
      const texts = carried.get(`${edge.from}->${edge.to}`);
      if (!texts) return;
      this.classList.add('replay-traversed');
      const length = this.getTotalLength();
      const mid = this.getPointAtLength(length / 2);
      const label = document.createElementNS(SVG, 'text');
      label.setAttribute('class', 'replay-edge-label');
      label.setAttribute('x', String(mid.x + 4));
      label.setAttribute('y', String(mid.y));
      label.setAttribute('data-edge', `${edge.from}->${edge.to}`);
      label.textContent = texts.join(' + ');
      labels.append(label);
    });
    viewport.append(labels);
  }
}
