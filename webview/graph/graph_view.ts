// Draws one tape as a DAG: boxes for ops and tensors, edges with their shapes on hover, pan/zoom,
// fit to view, search, scope boxes that expand on click, gradient colouring, keyboard navigation.
import { select, type Selection } from 'd3-selection';
import { zoom, zoomIdentity, zoomTransform, type D3ZoomEvent, type ZoomBehavior } from 'd3-zoom';
import { line, curveMonotoneY } from 'd3-shape';
import 'd3-transition';
import type { SourceLocation, TapeTrace, TraceNode, TraceTensor } from '../../engine/trace/trace_format';
import { buildViewGraph, shapeText, type ViewEdge, type ViewGraph, type ViewNode } from './view_graph';
import { FACE_LINE_HEIGHT, graphLayoutOf, layoutBoxes, NODE_HEIGHT, type GraphLayout, type PlacedNode } from './dag_layout';
import type { LayoutBox, LayoutPlacement } from '../../src/protocol/layout_messages';
import type { LayoutClient, LayoutSite } from './layout_client';
import { gradientColourScale, type GradientColour } from './gradient_scale';
import { formatNumber } from '../number_format';
import { opCountText } from '../tapes/tape_summary';
import { faceMapOffsets, type FaceMap } from './node_face';
import { heatmapDataUrl } from './face_heatmap';

export interface GraphViewEvents {
  select(node: ViewNode | undefined, trace: TapeTrace): void;
  toggleScope(scopeKey: string): void;
  /** Expand (or fold again) a "×N" box of repeated ops. */
  toggleRepeat(repeatKey: string): void;
  collapseAll(): void;
  expandAll(): void;
  /** Show the user's line that recorded a node (double-click on it). */
  revealSource(at: SourceLocation): void;
}

/** Fit never zooms out so far that a box is shorter than this: it frames the targets and sources instead. */
export const MIN_READABLE_NODE_PX = 26;
/** Faces (values and gradients on the boxes) start on for graphs of up to this many boxes. */
export const FACES_BY_DEFAULT_UP_TO = 300;
/** The event the graph's element dispatches each time a graph is drawn (after a layout arrives). */
export const GRAPH_DRAWN_EVENT = 'tapescope-graph-drawn';
/** Performance marks around a layout that was not ready at once: asked for, and placed (the bench reads them). */
export const LAYOUT_PENDING_MARK = 'tapescope:layout-pending';
export const LAYOUT_PLACED_MARK = 'tapescope:layout-placed';

export interface ShowOptions {
  /** The box to select once drawn (kept if it is still drawn). */
  selectedId?: string;
  /** Keep the current pan and zoom instead of fitting. */
  keepView?: boolean;
  /** The "×N" groups the user expanded. */
  expandedRepeats?: ReadonlySet<string>;
  /** A line about the tape, shown above the graph. */
  note?: string;
}

const edgeKey = (e: ViewEdge): string => `${e.from}->${e.to}`;
const edgePath = line<[number, number]>().curve(curveMonotoneY);

export class GraphView {
  readonly element: HTMLElement;
  /** The start of the toolbar, where the Tapes view puts the compact tape picker on narrow panels. */
  readonly toolbarLead: HTMLElement;
  private readonly svg: Selection<SVGSVGElement, unknown, null, undefined>;
  private readonly viewport: Selection<SVGGElement, unknown, null, undefined>;
  private readonly tip: HTMLElement;
  private readonly searchInput: HTMLInputElement;
  private readonly matchCount: HTMLElement;
  private readonly gradientToggle: HTMLInputElement;
  private readonly facesToggle: HTMLInputElement;
  /** null: faces follow the graph's size (on up to FACES_BY_DEFAULT_UP_TO boxes); else the user's choice. */
  private facesChosen: boolean | null = null;
  private readonly legend: HTMLElement;
  private readonly status: HTMLElement;
  private readonly zoomBehaviour: ZoomBehavior<SVGSVGElement, unknown>;
  /** What is drawn: the trace, its fold state, its boxes and where they are (all swapped at once when a layout arrives). */
  private trace: TapeTrace | undefined;
  private collapsedNow: ReadonlySet<string> | undefined;
  private cursorLine: { file: string; line: number } | undefined;
  private expandedNow: ReadonlySet<string> = new Set();
  private noteNow = '';
  private graph: ViewGraph | undefined;
  /** Counts show() calls: a layout that arrives for an older one is dropped. */
  private request = 0;
  private layout: GraphLayout | undefined;
  private tensors = new Map<number, TraceTensor>();
  private selectedId: string | undefined;
  private matches: string[] = [];
  private matchIndex = -1;
  /** Milliseconds the last draw took (layout + DOM), read by the bench. */
  lastDrawMs = 0;
  /** The graph's on-screen size, kept by a ResizeObserver: reading it on demand would force the
   * browser to lay out thousands of fresh nodes synchronously (600 ms at 5,000 nodes). */
  private viewSize = { width: 0, height: 0 };
  private userMovedView = false;

  constructor(private readonly events: GraphViewEvents, private readonly layouts: LayoutClient) {
    this.element = document.createElement('section');
    this.element.className = 'graph-pane';
    this.element.setAttribute('aria-label', 'Tape graph');
    this.element.innerHTML = `
      <div class="toolbar" role="toolbar" aria-label="Graph tools">
        <span class="toolbar-lead"></span>
        <input type="search" class="graph-search" placeholder="Search ( / )" aria-label="Search nodes by name, op or shape">
        <span class="match-count" aria-live="polite"></span>
        <button type="button" class="fit" title="Fit the graph in view (F)">Fit</button>
        <button type="button" class="collapse-all" title="Collapse every name scope">Collapse</button>
        <button type="button" class="expand-all" title="Expand every name scope">Expand</button>
        <label class="toggle" title="Values and gradients on the node faces"><input type="checkbox" class="show-faces" checked> values</label>
        <label class="toggle" title="Colour nodes by |gradient| (log scale)"><input type="checkbox" class="colour-by-grad"> |∇|</label>
        <span class="gradient-legend" hidden></span>
      </div>
      <div class="graph-status" aria-live="polite"></div>
      <svg class="graph" tabindex="0" role="application"
           aria-label="Tape graph. Arrow keys move between nodes, Enter expands a scope, F fits, + and - zoom, / searches.">
        <defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head"></path></marker></defs>
        <g class="viewport"><g class="scope-frames"></g><g class="edges"></g><g class="nodes"></g></g>
      </svg>
      <div class="edge-tip" role="tooltip" hidden></div>`;
    const q = <T extends Element>(sel: string): T => this.element.querySelector(sel) as T;
    this.toolbarLead = q('.toolbar-lead');
    this.svg = select(q<SVGSVGElement>('svg.graph'));
    this.viewport = this.svg.select<SVGGElement>('g.viewport');
    this.tip = q('.edge-tip');
    this.searchInput = q('.graph-search');
    this.matchCount = q('.match-count');
    this.gradientToggle = q('.colour-by-grad');
    this.facesToggle = q('.show-faces');
    this.legend = q('.gradient-legend');
    this.status = q('.graph-status');

    this.zoomBehaviour = zoom<SVGSVGElement, unknown>()
      .scaleExtent([0.002, 4])
      .on('zoom', (event: D3ZoomEvent<SVGSVGElement, unknown>) => {
        this.viewport.attr('transform', event.transform.toString());
        if (event.sourceEvent) this.userMovedView = true;
      });
    this.svg.call(this.zoomBehaviour).on('dblclick.zoom', null);

    q<HTMLButtonElement>('.fit').addEventListener('click', () => this.fit());
    q<HTMLButtonElement>('.collapse-all').addEventListener('click', () => this.events.collapseAll());
    q<HTMLButtonElement>('.expand-all').addEventListener('click', () => this.events.expandAll());
    this.gradientToggle.addEventListener('change', () => this.applyGradientColouring());
    this.facesToggle.addEventListener('change', () => {
      this.facesChosen = this.facesToggle.checked;
      if (this.trace && this.collapsedNow) void this.show(this.trace, this.collapsedNow, { selectedId: this.selectedId, expandedRepeats: this.expandedNow, note: this.noteNow });
    });
    this.searchInput.addEventListener('input', () => this.search(this.searchInput.value));
    this.searchInput.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') { e.preventDefault(); this.nextMatch(e.shiftKey ? -1 : 1); }
      if (e.key === 'Escape') { this.searchInput.value = ''; this.search(''); this.svgNode().focus(); }
    });
    this.svgNode().addEventListener('keydown', (e) => this.onKey(e));
    new ResizeObserver(([entry]) => {
      this.viewSize = { width: entry.contentRect.width, height: entry.contentRect.height };
      // Keep the whole graph in view as the panel resizes, until the user pans or zooms.
      if (!this.userMovedView) this.fit(false);
    }).observe(this.svgNode());
  }

  private svgNode(): SVGSVGElement { return this.svg.node()!; }

  /**
   * Draws a tape; `collapsed` holds the scope keys shown as single boxes. The boxes are placed by the layout
   * worker (small graphs and cached layouts at once): until the placement arrives the graph drawn before stays,
   * and stays live. Resolves once this tape is drawn, or when a newer show() replaced it.
   */
  show(trace: TapeTrace, collapsed: ReadonlySet<string>, options: ShowOptions = {}): Promise<void> {
    const start = performance.now();
    const request = ++this.request;
    const expandedRepeats = options.expandedRepeats ?? new Set<string>();
    const graph = buildViewGraph(trace, collapsed, expandedRepeats);
    const faces = this.facesChosen ?? graph.nodes.length <= FACES_BY_DEFAULT_UP_TO;
    this.facesToggle.checked = faces;
    const boxes = layoutBoxes(graph, { faces });
    const commit = (placement: LayoutPlacement, site: LayoutSite): void => {
      if (request !== this.request) return;
      performance.mark(LAYOUT_PLACED_MARK);
      this.trace = trace;
      this.collapsedNow = collapsed;
      this.expandedNow = expandedRepeats;
      this.noteNow = options.note ?? '';
      this.tensors = new Map(trace.tensors.map((t) => [t.id, t]));
      this.graph = graph;
      this.element.classList.toggle('faces', faces);
      this.layout = graphLayoutOf(graph, boxes, placement);
      this.drawLaidOut(options, site, start);
    };
    const now = this.layouts.placeNow(boxes);
    if (now) {
      commit(now, 'page');
      return Promise.resolve();
    }
    this.layoutPending(boxes);
    return this.layouts.place(boxes).then((done) => { if (done) commit(done.placement, done.site); });
  }

  private layoutPending(boxes: LayoutBox[]): void {
    performance.mark(LAYOUT_PENDING_MARK);
    this.element.dataset.layout = 'pending';
    this.status.textContent = `Laying out ${boxes.length.toLocaleString('en-US')} boxes…`;
  }

  private drawLaidOut(options: ShowOptions, site: LayoutSite, start: number): void {
    const trace = this.trace!;
    this.draw();
    const cut = trace.truncated ? `Showing ${opCountText(trace)} (the trace was cut: the targets, the sources and the paths between them are kept).` : '';
    this.status.textContent = [this.noteNow, cut].filter(Boolean).join(' ');
    this.search(this.searchInput.value);
    this.applyGradientColouring();
    if (this.cursorLine) this.highlightLine(this.cursorLine.file, this.cursorLine.line);
    const keep = options.selectedId && this.layout!.nodes.has(options.selectedId) ? options.selectedId : undefined;
    this.select(keep, false);
    if (!options.keepView) this.fit(false);
    this.lastDrawMs = performance.now() - start;
    this.element.dataset.layout = 'drawn';
    this.element.dataset.layoutSite = site;
    this.element.dataset.boxes = String(this.layout!.nodes.size);
    this.element.dataset.layoutsInWorker = String(this.layouts.counts.worker);
    this.element.dataset.layoutsReplaced = String(this.layouts.counts.replaced);
    this.element.dispatchEvent(new CustomEvent(GRAPH_DRAWN_EVENT));
  }

  clear(message: string): void {
    this.request++;
    this.element.dataset.layout = 'drawn';
    this.trace = undefined;
    this.graph = undefined;
    this.layout = undefined;
    this.viewport.selectAll('g > *').remove();
    this.status.textContent = message;
  }

  private draw(): void {
    const layout = this.layout!;
    const graph = this.graph!;
    const placed = [...layout.nodes.values()];

    const frames = graph.expandedScopes
      .map((key) => ({ key, box: this.scopeBounds(key, placed) }))
      .filter((f): f is { key: string; box: DOMRectLike } => f.box !== undefined);
    const frameSel = this.viewport.select('g.scope-frames').selectAll<SVGGElement, { key: string; box: DOMRectLike }>('g.scope-frame')
      .data(frames, (d) => d.key)
      .join((enter) => {
        const g = enter.append('g').attr('class', 'scope-frame');
        g.append('rect');
        g.append('text').attr('class', 'scope-frame-label').attr('role', 'button');
        return g;
      });
    frameSel.select('rect').attr('x', (d) => d.box.x).attr('y', (d) => d.box.y)
      .attr('width', (d) => d.box.width).attr('height', (d) => d.box.height).attr('rx', 8);
    frameSel.select<SVGTextElement>('text').attr('x', (d) => d.box.x + 8).attr('y', (d) => d.box.y + 14)
      .text((d) => `${d.key.split('/').pop()} ▾ (click to collapse)`)
      .on('click', (_e, d) => this.events.toggleScope(d.key));

    const edgeSel = this.viewport.select('g.edges').selectAll<SVGPathElement, ViewEdge>('path.edge')
      .data(graph.edges, edgeKey)
      .join('path')
      .attr('class', 'edge')
      .attr('marker-end', 'url(#arrow)')
      .attr('d', (e) => this.edgeD(e));
    edgeSel.on('mouseenter', (event: MouseEvent, e) => this.showEdgeTip(event, e))
      .on('mousemove', (event: MouseEvent) => this.moveTip(event))
      .on('mouseleave', () => { this.tip.hidden = true; });

    const nodeSel = this.viewport.select('g.nodes').selectAll<SVGGElement, PlacedNode>('g.node')
      .data(placed, (p) => p.node.id)
      .join((enter) => {
        const g = enter.append('g');
        g.append('rect').attr('class', 'node-box');
        g.append('text').attr('class', 'node-title');
        g.append('text').attr('class', 'node-subtitle');
        g.append('g').attr('class', 'node-faces');
        g.append('g').attr('class', 'node-maps');
        g.append('g').attr('class', 'node-badge');
        g.append('title');
        return g;
      });
    nodeSel
      .attr('class', (p) => nodeClasses(p.node))
      .attr('data-node-id', (p) => p.node.id)
      .attr('data-trace-node', (p) => p.node.node?.id ?? null)
      .attr('transform', (p) => `translate(${p.x - p.width / 2},${p.y - p.height / 2})`);
    nodeSel.select('rect').attr('width', (p) => p.width).attr('height', (p) => p.height).attr('rx', (p) => (p.node.kind === 'op' ? 6 : 16));
    nodeSel.select('text.node-title').attr('x', (p) => p.width / 2).attr('y', 15).text((p) => p.node.title);
    nodeSel.select('text.node-subtitle').attr('x', (p) => p.width / 2).attr('y', 30).text((p) => p.node.subtitle);
    const faces = this.element.classList.contains('faces');
    nodeSel.select('g.node-faces').selectAll<SVGTextElement, FaceLine>('text.node-face')
      .data((p) => (faces ? p.node.face.map((line) => ({ line, x: p.width / 2 })) : []))
      .join('text')
      .attr('class', (d) => `node-face${d.line.startsWith('∇') ? ' grad' : ''}${d.line === '∇ None' ? ' none' : ''}`)
      .attr('x', (d) => d.x)
      .attr('y', (_d, i) => NODE_HEIGHT + 6 + i * FACE_LINE_HEIGHT)
      .text((d) => d.line);
    nodeSel.select('g.node-maps').selectAll<SVGImageElement, PlacedMap>('image.node-map')
      .data((p) => (faces ? placedMaps(p) : []))
      .join('image')
      .attr('class', (d) => `node-map ${d.map.role}`)
      .attr('x', (d) => d.x).attr('y', (d) => d.y)
      .attr('width', (d) => d.map.width).attr('height', (d) => d.map.height)
      .attr('preserveAspectRatio', 'none')
      .attr('aria-label', (d) => `${d.map.role === 'grad' ? 'gradient' : 'value'} heatmap, ${d.map.sourceShape.join('×')}`)
      .attr('href', (d) => heatmapDataUrl(d.map));
    nodeSel.select('g.node-badge').each(function (p) {
      const badge = select(this);
      badge.selectAll('*').remove();
      const text = badgeText(p.node);
      if (!text) return;
      badge.attr('transform', `translate(${p.width - 6},-6)`);
      badge.append('rect').attr('x', -text.length * 3.4 - 4).attr('y', -7).attr('width', text.length * 6.8 + 8).attr('height', 14).attr('rx', 7);
      badge.append('text').attr('y', 4).text(text);
    });
    nodeSel.select('title').text((p) => nodeTooltip(p.node));
    // A clicked box is under the pointer already: select it without panning the view away.
    nodeSel.on('click', (_e, p) => this.activate(p.node, false));
    nodeSel.on('dblclick', (_e, p) => { if (p.node.node?.source) this.events.revealSource(p.node.node.source); });
  }

  private scopeBounds(key: string, placed: PlacedNode[]): DOMRectLike | undefined {
    const depth = key.split('/').length;
    const inside = placed.filter((p) => p.node.node && p.node.node.scope.slice(0, depth).join('/') === key);
    if (inside.length === 0) return undefined;
    const pad = 10 + 4 * Math.max(0, 4 - depth);
    const x0 = Math.min(...inside.map((p) => p.x - p.width / 2)) - pad;
    const y0 = Math.min(...inside.map((p) => p.y - p.height / 2)) - pad - 14;
    const x1 = Math.max(...inside.map((p) => p.x + p.width / 2)) + pad;
    const y1 = Math.max(...inside.map((p) => p.y + p.height / 2)) + pad;
    return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
  }

  private edgeD(edge: ViewEdge): string {
    const points = this.layout!.edgePoints.get(edgeKey(edge));
    const a = this.layout!.nodes.get(edge.from);
    const b = this.layout!.nodes.get(edge.to);
    if (points && points.length >= 2 && a && b) {
      // d3-dag routes centre to centre; start and end on the boxes so the arrowhead shows.
      const trimmed = points.map((p) => [p[0], p[1]] as [number, number]);
      trimmed[0][1] = a.y + a.height / 2;
      trimmed[trimmed.length - 1][1] = b.y - b.height / 2 - 1;
      return edgePath(trimmed) ?? '';
    }
    // Left out of the layout (it would close a cycle through a scope box): a straight line.
    if (!a || !b) return '';
    return `M${a.x},${a.y + a.height / 2}L${b.x},${b.y - b.height / 2}`;
  }

  private showEdgeTip(event: MouseEvent, edge: ViewEdge): void {
    const from = this.graph!.nodes.find((n) => n.id === edge.from);
    const to = this.graph!.nodes.find((n) => n.id === edge.to);
    const lines = edge.tensors.map((id, i) => {
      const t = this.tensors.get(id);
      const name = t?.name ? `${t.name} ` : '';
      return `${name}${shapeText(edge.shapes[i])} ${t?.dtype ?? ''}`.trim();
    });
    this.tip.textContent = `${from?.title ?? edge.from} → ${to?.title ?? edge.to}: ${lines.join(', ')}`;
    this.tip.hidden = false;
    this.moveTip(event);
  }

  private moveTip(event: MouseEvent): void {
    const box = this.element.getBoundingClientRect();
    this.tip.style.left = `${event.clientX - box.left + 12}px`;
    this.tip.style.top = `${event.clientY - box.top + 12}px`;
  }

  private activate(node: ViewNode, reveal: boolean): void {
    if (node.kind === 'scope' && node.scopeKey) {
      this.events.toggleScope(node.scopeKey);
      return;
    }
    if ((node.kind === 'repeat' || node.kind === 'line') && node.repeatKey) {
      this.events.toggleRepeat(node.repeatKey);
      return;
    }
    this.select(node.id, reveal);
  }

  select(id: string | undefined, reveal: boolean): void {
    this.selectedId = id;
    this.viewport.selectAll<SVGGElement, PlacedNode>('g.node').classed('selected', (p) => p.node.id === id);
    const placed = id ? this.layout?.nodes.get(id) : undefined;
    if (placed && reveal) this.reveal(placed);
    if (this.trace) this.events.select(placed?.node, this.trace);
  }

  get selected(): string | undefined { return this.selectedId; }

  /** The trace whose graph is drawn (a newer one may still be being laid out). */
  get shownTrace(): TapeTrace | undefined { return this.trace; }

  /** Marks the boxes whose ops were called on a line of the user's file (the editor's cursor line). */
  highlightLine(file: string, line: number): void {
    this.cursorLine = { file, line };
    const at = (n: TraceNode): boolean => n.source?.line === line && n.source.file === file;
    this.viewport.selectAll<SVGGElement, PlacedNode>('g.node').classed('at-cursor', (p) => p.node.members.some(at));
  }

  /** Pans (without changing zoom) so a node is in view. */
  private reveal(placed: PlacedNode): void {
    const t = zoomTransform(this.svgNode());
    const x = t.applyX(placed.x);
    const y = t.applyY(placed.y);
    const { width, height } = this.viewSize;
    if (x < 40 || y < 40 || x > width - 40 || y > height - 40) {
      this.svg.call(this.zoomBehaviour.translateTo, placed.x, placed.y);
    }
  }

  /**
   * Fits the whole graph in view — unless its boxes would be shorter than MIN_READABLE_NODE_PX; then it
   * frames the targets and sources (the boxes gradient() was asked about) at a readable zoom, or, in a view too
   * small to hold those too, the targets.
   */
  fit(animate = true): void {
    if (!this.layout || this.layout.nodes.size === 0) return;
    const { width, height } = this.viewSize;
    if (width === 0 || height === 0) return;
    const placed = [...this.layout.nodes.values()];
    const all = boundsOf(placed);
    // Readable: a typical box (the median height; faces make boxes taller) at least MIN_READABLE_NODE_PX tall.
    const heights = placed.map((p) => p.height).sort((a, b) => a - b);
    const minK = MIN_READABLE_NODE_PX / heights[heights.length >> 1];
    let box = all;
    let k = fitScale(all, width, height);
    if (k < minK) {
      const framings = [placed.filter((p) => p.node.isTarget || p.node.isSource), placed.filter((p) => p.node.isTarget), placed.slice(-1)]
        .filter((nodes) => nodes.length > 0).map(boundsOf);
      box = framings.find((b) => fitScale(b, width, height) >= minK) ?? framings[Math.min(1, framings.length - 1)];
      k = Math.max(minK, fitScale(box, width, height));
    }
    this.userMovedView = false;
    const transform = zoomIdentity
      .translate(width / 2 - (box.x + box.width / 2) * k, height / 2 - (box.y + box.height / 2) * k)
      .scale(k);
    if (animate) this.svg.transition().duration(250).call(this.zoomBehaviour.transform, transform);
    else this.svg.call(this.zoomBehaviour.transform, transform);
  }

  search(query: string): void {
    const q = query.trim().toLowerCase();
    const nodes = this.viewport.selectAll<SVGGElement, PlacedNode>('g.node');
    if (q === '') {
      this.matches = [];
      nodes.classed('match', false).classed('dim', false);
      this.matchCount.textContent = '';
      return;
    }
    this.matches = [...(this.layout?.nodes.values() ?? [])].filter((p) => p.node.searchText.includes(q)).map((p) => p.node.id);
    const hit = new Set(this.matches);
    nodes.classed('match', (p) => hit.has(p.node.id)).classed('dim', (p) => !hit.has(p.node.id));
    this.matchCount.textContent = `${this.matches.length} match${this.matches.length === 1 ? '' : 'es'}`;
    this.matchIndex = -1;
  }

  private nextMatch(direction: 1 | -1): void {
    if (this.matches.length === 0) return;
    this.matchIndex = (this.matchIndex + direction + this.matches.length) % this.matches.length;
    const placed = this.layout!.nodes.get(this.matches[this.matchIndex])!;
    this.svg.transition().duration(200).call(this.zoomBehaviour.translateTo, placed.x, placed.y);
    if (placed.node.kind !== 'scope') this.select(placed.node.id, false);
  }

  private applyGradientColouring(): void {
    const on = this.gradientToggle.checked && this.graph !== undefined;
    let scale: GradientColour | undefined;
    if (on) scale = gradientColourScale(this.graph!.nodes.map((n) => this.nodeGradient(n)));
    const fill = (p: PlacedNode): string | null => (scale ? scale.colour(this.nodeGradient(p.node)) ?? null : null);
    this.viewport.selectAll<SVGGElement, PlacedNode>('g.node').select('rect').style('fill', fill);
    this.viewport.selectAll<SVGGElement, PlacedNode>('g.node').classed('graded', (p) => fill(p) !== null);
    this.viewport.selectAll<SVGPathElement, ViewEdge>('path.edge').style('stroke', (e) =>
      (scale ? scale.colour(this.tensors.get(e.tensors[0])?.grad) ?? null : null));
    this.element.classList.toggle('gradient-colouring', on);
    if (on && scale) {
      this.legend.hidden = false;
      this.legend.innerHTML = '';
      const bar = document.createElement('span');
      bar.className = 'legend-bar';
      bar.style.background = `linear-gradient(to right, ${scale.ramp.join(', ')})`;
      this.legend.append(`RMS |grad| ${formatNumber(scale.domain[0])} `, bar, ` ${formatNumber(scale.domain[1])}`);
    } else {
      this.legend.hidden = !on;
      this.legend.textContent = on ? 'No gradients recorded on this tape.' : '';
    }
  }

  /** The gradient that colours a box: its own tensor's, or for a scope the largest among its members. */
  private nodeGradient(node: ViewNode) {
    if (node.kind !== 'scope') return node.tensor?.grad;
    let best: TraceTensor['grad'];
    let bestL2 = -1;
    for (const member of node.members) {
      const grad = this.tensors.get(member.output)?.grad;
      if (grad && grad.l2 / Math.sqrt(Math.max(1, grad.size)) > bestL2) { best = grad; bestL2 = grad.l2 / Math.sqrt(Math.max(1, grad.size)); }
    }
    return best;
  }

  private onKey(e: KeyboardEvent): void {
    if (!this.layout || !this.graph) return;
    const current = this.selectedId ? this.layout.nodes.get(this.selectedId) : undefined;
    const move = (target: PlacedNode | undefined): void => {
      if (!target) return;
      e.preventDefault();
      this.select(target.node.id, true);
    };
    switch (e.key) {
      case 'ArrowUp':
      case 'ArrowDown': {
        if (!current) { move(this.layout.nodes.values().next().value); return; }
        const ids = e.key === 'ArrowUp'
          ? current.node.parentIds
          : this.graph.edges.filter((x) => x.from === current.node.id).map((x) => x.to);
        move(nearest(current, ids.map((id) => this.layout!.nodes.get(id)).filter((p): p is PlacedNode => !!p)));
        return;
      }
      case 'ArrowLeft':
      case 'ArrowRight': {
        if (!current) { move(this.layout.nodes.values().next().value); return; }
        const sign = e.key === 'ArrowLeft' ? -1 : 1;
        const row = [...this.layout.nodes.values()].filter((p) => Math.abs(p.y - current.y) < 1 && (p.x - current.x) * sign > 0);
        move(nearest(current, row));
        return;
      }
      case 'Enter':
      case ' ':
        if (current) { e.preventDefault(); this.activate(current.node, true); }
        return;
      case 'f': case 'F': e.preventDefault(); this.fit(); return;
      case '+': case '=': e.preventDefault(); this.svg.transition().duration(150).call(this.zoomBehaviour.scaleBy, 1.25); return;
      case '-': case '_': e.preventDefault(); this.svg.transition().duration(150).call(this.zoomBehaviour.scaleBy, 0.8); return;
      case '/': e.preventDefault(); this.searchInput.focus(); return;
      case 'Escape': this.select(undefined, false); return;
      default:
    }
  }
}

interface DOMRectLike { x: number; y: number; width: number; height: number }
interface FaceLine { line: string; x: number }
interface PlacedMap { map: FaceMap; x: number; y: number }

/** A box's face heatmaps in a row below its face lines. */
function placedMaps(p: PlacedNode): PlacedMap[] {
  const maps = p.node.faceMaps;
  if (maps.length === 0) return [];
  const y = NODE_HEIGHT + (p.node.face.length > 0 ? p.node.face.length * FACE_LINE_HEIGHT + 4 : 0) + 2;
  const xs = faceMapOffsets(maps, p.width);
  return maps.map((map, i) => ({ map, x: xs[i], y }));
}

const FIT_PAD = 20;

function boundsOf(placed: PlacedNode[]): DOMRectLike {
  let x0 = Infinity; let y0 = Infinity; let x1 = -Infinity; let y1 = -Infinity;
  for (const p of placed) {
    x0 = Math.min(x0, p.x - p.width / 2); x1 = Math.max(x1, p.x + p.width / 2);
    y0 = Math.min(y0, p.y - p.height / 2); y1 = Math.max(y1, p.y + p.height / 2);
  }
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** The zoom that shows `box` whole with a margin, never above 1.25 (small graphs are not blown up). */
function fitScale(box: DOMRectLike, width: number, height: number): number {
  return Math.min(1.25, (width - 2 * FIT_PAD) / Math.max(1, box.width), (height - 2 * FIT_PAD) / Math.max(1, box.height));
}

function nearest(from: PlacedNode, candidates: PlacedNode[]): PlacedNode | undefined {
  let best: PlacedNode | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = Math.hypot(c.x - from.x, c.y - from.y);
    if (d < bestDistance) { best = c; bestDistance = d; }
  }
  return best;
}

/** The badge of the node where NaN/Inf first appeared ('NaN ∇' for the backward pass). */
function badgeText(node: ViewNode): string | undefined {
  const fault = node.node?.numericsFault ?? node.members.find((m) => m.numericsFault)?.numericsFault;
  if (!fault) return undefined;
  return fault === 'forward' ? 'NaN first' : 'NaN first ∇';
}

function holdsNonFinite(node: ViewNode): boolean {
  const bad = (s: TraceTensor['value'] | null | undefined): boolean => !!s && (s.nanCount > 0 || s.infCount > 0);
  return bad(node.tensor?.value) || bad(node.tensor?.grad);
}

function nodeClasses(node: ViewNode): string {
  const classes = ['node', `kind-${node.kind}`];
  if (node.isSource) classes.push('source');
  if (node.isTarget) classes.push('target');
  if (node.nestedTapeId !== undefined) classes.push('nested');
  if (node.node?.numericsFault) classes.push('numerics-fault');
  if (holdsNonFinite(node)) classes.push('non-finite');
  if (node.tensor?.grad === null) classes.push('null-grad');
  return classes.join(' ');
}

function nodeTooltip(node: ViewNode): string {
  const parts = [`${node.title} ${node.subtitle}`];
  if (node.node?.source) parts.push(`line ${node.node.source.line} (double-click to show it in the editor)`);
  if (node.isSource) parts.push('source of gradient()');
  if (node.isTarget) parts.push('target of gradient()');
  if (node.nestedTapeId !== undefined) parts.push(`recorded while tape ${node.nestedTapeId} computed a gradient (second order)`);
  if (node.kind === 'scope') parts.push('name scope: click to expand');
  if (node.kind === 'repeat') parts.push(`${node.title} repetitions of ${node.subtitle}: click to show the first and last`);
  if (node.kind === 'line') parts.push(`the ops ${node.title} of the cell recorded: click to show them`);
  if (node.subtitle.includes('×')) parts.push('read by several ops: drawn once beside each of them');
  return parts.join('\n');
}
