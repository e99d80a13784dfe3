// Marks the replay on the drawn graph: the node being differentiated, the targets seeded, and on every edge already
// traversed the contribution it carried (summed when one edge carried several). Works on the graph's own SVG (the
// nodes' data-trace-node, the edges' bound data), so the graph view needs no replay knowledge.
// A step touches only what changed since the last paint: the elements are indexed once per drawing of the graph,
// and each paint diffs the wanted classes and labels against those applied. Classes only recolour (never resize) the
// graph's boxes and edges, and the labels live in an SVG of their own laid over the graph (its transform mirrors the
// graph's zoom): any change of geometry inside the graph's SVG lays all of it out again, hundreds of ms on a
// 1,000-box tape, while the overlay is small.
import { select } from 'd3-selection';
import type { BackwardStep, TapeTrace } from '../../engine/trace/trace_format';
import type { GraphView } from '../graph/graph_view';
import type { ViewEdge } from '../graph/view_graph';
import { edgeLabelText } from './gradient_text';

const SVG = 'http://www.w3.org/2000/svg';
type ReplayClass = 'replay-current' | 'replay-seeded' | 'replay-visited' | 'replay-traversed';

/** The drawn graph's elements the overlay paints, indexed once per drawing. */
interface GraphIndex {
  boxes: Map<string, Element>;
  /** View ids of trace nodes (the drawn box holding each). */
  viewIds: Map<string, string>;
  edges: Map<string, SVGPathElement>;
  midpoints: Map<string, DOMPoint>;
}

export class ReplayOverlay {
  private frame = 0;
  private index: GraphIndex | undefined;
  private readonly applied = new Map<Element, ReplayClass>();
  private readonly labels = new Map<string, SVGTextElement>();
  private layer: SVGGElement | undefined;
  private overlay: SVGSVGElement | undefined;
  private zoomMirror: MutationObserver | undefined;
  private resize: ResizeObserver | undefined;

  constructor(private readonly graph: GraphView) {}

  /** The graph was drawn again: its elements are indexed afresh on the next paint. */
  invalidate(): void {
    for (const [element, cls] of this.applied) element.classList.remove(cls);
    this.index = undefined;
    this.applied.clear();
    this.labels.clear();
    this.layer = undefined;
    this.overlay?.remove();
    this.overlay = undefined;
    this.zoomMirror?.disconnect();
    this.resize?.disconnect();
  }

  clear(): void {
    cancelAnimationFrame(this.frame);
    this.paint(undefined, undefined, [], []);
  }

  /** Drawn on the next frame, after the graph itself (a tape change redraws the graph after the panes hear of it);
   * steps pressed within one frame paint once. */
  show(trace: TapeTrace, current: string | undefined, done: readonly BackwardStep[], seeded: readonly number[], currentGroup?: number): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => {
      performance.mark('tapescope:replay-paint-start');
      this.paint(trace, current, done, seeded, currentGroup);
      performance.measure('tapescope:replay-paint', 'tapescope:replay-paint-start');
    });
  }

  private indexGraph(): GraphIndex {
    const root = this.graph.element;
    const boxes = new Map<string, Element>();
    const viewIds = new Map<string, string>();
    root.querySelectorAll('g.node[data-trace-node]').forEach((g) => {
      const id = g.getAttribute('data-trace-node')!;
      boxes.set(id, g);
      viewIds.set(id, g.getAttribute('data-node-id')!);
    });
    const edges = new Map<string, SVGPathElement>();
    select(root).selectAll<SVGPathElement, ViewEdge>('path.edge').each(function (edge) { edges.set(`${edge.from}->${edge.to}`, this); });
    return { boxes, viewIds, edges, midpoints: new Map() };
  }

  private paint(trace: TapeTrace | undefined, current: string | undefined, done: readonly BackwardStep[], seeded: readonly number[], currentGroup?: number): void {
    const root = this.graph.element;
    root.querySelectorAll('g.gradient-group-frame').forEach((g) => g.classList.toggle('replay-in-group', g.getAttribute('data-tape') === String(currentGroup)));
    const first: Element | undefined = this.index?.boxes.values().next().value;
    if (first && !first.isConnected) this.invalidate();
    const index = this.index ??= this.indexGraph();
    const wanted = new Map<Element, ReplayClass>();
    const carried = new Map<string, string[]>();
    if (trace) {
      const mark = (traceNode: string, cls: ReplayClass): void => { const g = index.boxes.get(traceNode); if (g) wanted.set(g, cls); };
      for (const s of done) mark(s.node, 'replay-visited');
      if (current === undefined) for (const n of trace.nodes) if (seeded.includes(n.output)) mark(n.id, 'replay-seeded');
      if (current !== undefined) mark(current, 'replay-current');
      // contributions by drawn edge: view ids of the producer and the consumer
      for (const s of done) {
        const to = index.viewIds.get(s.node);
        for (const e of s.sends) {
          const from = index.viewIds.get(e.from);
          if (to === undefined || from === undefined) continue;
          const key = `${from}->${to}`;
          const path = index.edges.get(key);
          if (!path) continue;
          wanted.set(path, 'replay-traversed');
          const texts = carried.get(key);
          if (texts) texts.push(edgeLabelText(e.contribution)); else carried.set(key, [edgeLabelText(e.contribution)]);
        }
      }
    }
    // all geometry is read before anything is written: a read after a write would lay the whole graph out again
    for (const key of carried.keys()) {
      if (this.labels.has(key) || index.midpoints.has(key)) continue;
      const path = index.edges.get(key)!;
      index.midpoints.set(key, path.getPointAtLength(path.getTotalLength() / 2));
    }
    for (const [element, cls] of this.applied) if (wanted.get(element) !== cls) element.classList.remove(cls);
    for (const [element, cls] of wanted) if (this.applied.get(element) !== cls) element.classList.add(cls);
    this.applied.clear();
    for (const [element, cls] of wanted) this.applied.set(element, cls);
    this.paintLabels(index, carried);
  }

  private paintLabels(index: GraphIndex, carried: ReadonlyMap<string, string[]>): void {
    for (const [key, label] of this.labels) if (!carried.has(key)) { label.remove(); this.labels.delete(key); }
    if (carried.size === 0) return;
    const viewport = this.graph.element.querySelector<SVGGElement>('g.viewport');
    if (!viewport) return;
    if (!this.layer?.isConnected) {
      this.layer = this.labelLayer(viewport);
      for (const label of this.labels.values()) this.layer.append(label);
    }
    for (const [key, texts] of carried) {
      const text = texts.join(' + ');
      let label = this.labels.get(key);
      if (!label) {
        const mid = index.midpoints.get(key)!;
        label = document.createElementNS(SVG, 'text');
        label.setAttribute('class', 'replay-edge-label');
        label.setAttribute('x', String(mid.x + 4));
        label.setAttribute('y', String(mid.y));
        label.setAttribute('data-edge', key);
        this.labels.set(key, label);
        this.layer.append(label);
      }
      if (label.textContent !== text) label.textContent = text;
    }
  }

  /** The labels' own SVG over the graph's, its group following the graph's zoom transform. */
  private labelLayer(viewport: SVGGElement): SVGGElement {
    const graphSvg = viewport.ownerSVGElement!;
    this.overlay?.remove();
    this.zoomMirror?.disconnect();
    this.resize?.disconnect();
    const overlay = document.createElementNS(SVG, 'svg');
    overlay.setAttribute('class', 'replay-overlay');
    overlay.setAttribute('aria-hidden', 'true');
    const place = (): void => {
      const at = graphSvg.getBoundingClientRect(), pane = this.graph.element.getBoundingClientRect();
      Object.assign(overlay.style, { left: `${at.left - pane.left}px`, top: `${at.top - pane.top}px`, width: `${at.width}px`, height: `${at.height}px` });
    };
    place();
    this.resize = new ResizeObserver(place);
    this.resize.observe(graphSvg);
    const layer = document.createElementNS(SVG, 'g');
    layer.setAttribute('class', 'replay-labels');
    const mirror = (): void => layer.setAttribute('transform', viewport.getAttribute('transform') ?? '');
    mirror();
    this.zoomMirror = new MutationObserver(mirror);
    this.zoomMirror.observe(viewport, { attributes: true, attributeFilter: ['transform'] });
    overlay.append(layer);
    graphSvg.after(overlay);
    this.overlay = overlay;
    return layer;
  }
}
