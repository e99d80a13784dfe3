// Frames on the drawn graph for higher order: on an outer tape, a labelled frame around the ops an inner tape's
// gradient() recorded ("gradient of y w.r.t. x (tape 3)"), whose label opens the inner tape; on an inner tape, a
// label that opens the tape that recorded its gradient. Drawn into the graph's own SVG after each draw, below the
// nodes, so the graph view needs no knowledge of tapes nesting.
import type { GraphView } from '../graph/graph_view';
import type { GradientGroup } from './higher_order';

const SVG = 'http://www.w3.org/2000/svg';
const PAD = 14;
const LABEL_HEIGHT = 16;

interface Box { x0: number; y0: number; x1: number; y1: number }

function boxOf(g: Element): Box | undefined {
  const m = (g.getAttribute('transform') ?? '').match(/translate\(([-\d.e]+),([-\d.e]+)\)/);
  const rect = g.querySelector('rect.node-box');
  if (!m || !rect) return undefined;
  const x = Number(m[1]), y = Number(m[2]);
  return { x0: x, y0: y, x1: x + Number(rect.getAttribute('width')), y1: y + Number(rect.getAttribute('height')) };
}

function union(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  return boxes.reduce((a, b) => ({ x0: Math.min(a.x0, b.x0), y0: Math.min(a.y0, b.y0), x1: Math.max(a.x1, b.x1), y1: Math.max(a.y1, b.y1) }));
}

export interface FrameLink {
  label: string;
  /** Where a click on the label goes. */
  tapeId: number;
}

export class GroupFrames {
  constructor(private readonly graph: GraphView, private readonly openTape: (tapeId: number) => void) {}

  /** Frames each group's drawn nodes; `recordedBy` labels the whole graph with links to the tapes that recorded it. */
  draw(groups: readonly GradientGroup[], recordedBy: readonly FrameLink[]): void {
    const root = this.graph.element;
    root.querySelectorAll('g.gradient-group-frames').forEach((n) => n.remove());
    const viewport = root.querySelector('g.viewport');
    if (!viewport || (groups.length === 0 && recordedBy.length === 0)) return;
    const boxes = new Map<string, Element>();
    root.querySelectorAll('g.node[data-trace-node]').forEach((g) => boxes.set(g.getAttribute('data-trace-node')!, g));
    const layer = document.createElementNS(SVG, 'g');
    layer.setAttribute('class', 'gradient-group-frames');
    root.querySelectorAll('g.node.gradient-group-member').forEach((g) => g.classList.remove('gradient-group-member'));
    for (const group of groups) {
      // the frame is the members' bounding box and may enclose other ops the layout put among them: members are marked
      for (const id of group.nodeIds) boxes.get(id)?.classList.add('gradient-group-member');
      const box = union(group.nodeIds.map((id) => boxes.get(id)).filter((g): g is Element => g !== undefined).map(boxOf).filter((b): b is Box => b !== undefined));
      if (box) layer.append(this.frame(box, { label: `${group.label} ↗`, tapeId: group.innerTapeId }, 'gradient-group-frame', String(group.innerTapeId)));
    }
    const all = union([...boxes.values()].map(boxOf).filter((b): b is Box => b !== undefined));
    if (all) recordedBy.forEach((link, i) => layer.append(this.frame({ ...all, y0: all.y0 - i * LABEL_HEIGHT }, link, 'recorded-by-frame', String(link.tapeId))));
    viewport.insertBefore(layer, viewport.firstChild);
  }

  private frame(box: Box, link: FrameLink, kind: string, tape: string): SVGGElement {
    const g = document.createElementNS(SVG, 'g');
    g.setAttribute('class', kind);
    g.setAttribute('data-tape', tape);
    const rect = document.createElementNS(SVG, 'rect');
    rect.setAttribute('x', String(box.x0 - PAD));
    rect.setAttribute('y', String(box.y0 - PAD - LABEL_HEIGHT));
    rect.setAttribute('width', String(box.x1 - box.x0 + 2 * PAD));
    rect.setAttribute('height', String(box.y1 - box.y0 + 2 * PAD + LABEL_HEIGHT));
    rect.setAttribute('rx', '10');
    const label = document.createElementNS(SVG, 'text');
    label.setAttribute('class', 'group-frame-label');
    label.setAttribute('x', String(box.x0 - PAD + 8));
    label.setAttribute('y', String(box.y0 - PAD - 3));
    label.setAttribute('role', 'link');
    label.setAttribute('tabindex', '0');
    label.textContent = link.label;
    const go = (event: Event): void => { event.stopPropagation(); this.openTape(link.tapeId); };
    label.addEventListener('click', go);
    label.addEventListener('keydown', (e) => { if ((e as KeyboardEvent).key === 'Enter') go(e); });
    g.append(rect, label);
    return g;
  }
}
