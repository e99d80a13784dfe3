// Lays out the drawn graph top to bottom with d3-dag's Sugiyama layout.
//
// Why d3-dag and not elkjs: measured on tape-shaped DAGs (each op reads 1-2 recent tensors), Node 20,
// 120x36 boxes — d3-dag: 100 nodes 19-165 ms, 1,000 nodes 103-537 ms, 5,000 nodes 0.7-3.4 s (by the
// settings below); elkjs layered: 100 nodes 210-430 ms, 1,000 nodes 0.8-7.8 s, 5,000 nodes 6.9 s.
// Side by side the pictures are alike (both layered, few crossings); d3-dag's simplex coordinates are
// narrower for small tapes. elkjs lays out nested boxes natively, which we do not need: collapsed
// scopes become single boxes and expanded ones are framed after layout.
// Coordinates: simplex (straight chains, few bends) for small graphs, but on a long tape whose every
// layer also reads a leaf (a variable, a constant) it, like greedy and quad, walks the chain sideways
// into a staircase (77 boxes: 2,700 px wide, vs 280 px centred). So small graphs take the narrower of
// simplex and centred, and large ones are centred (linear time). Layering and crossing reduction step
// down as graphs grow, keeping the first draw of a 5,000-node tape within a couple of seconds.
import {
  coordCenter, coordSimplex, decrossDfs, decrossTwoLayer, graphStratify, layeringLongestPath,
  layeringSimplex, sugiyama,
} from 'd3-dag';
import type { LayoutBox, LayoutPlacement, LayoutQuality } from '../../src/protocol/layout_messages';
import type { ViewGraph, ViewNode } from './view_graph';
import { faceMapsExtent } from './node_face';

export const NODE_HEIGHT = 38;
/** Each value/gradient line on a node's face adds this much height. */
export const FACE_LINE_HEIGHT = 14;

export interface LayoutOptions {
  /** Draw value and gradient lines on the faces (taller, maybe wider boxes). */
  faces: boolean;
}
const GAP: [number, number] = [18, 34];

export interface PlacedNode { node: ViewNode; x: number; y: number; width: number; height: number }
export interface GraphLayout {
  width: number;
  height: number;
  nodes: Map<string, PlacedNode>;
  /** Bend points per edge key `from->to`; edges left out of the layout (cycles through boxes) have none. */
  edgePoints: Map<string, [number, number][]>;
  quality: LayoutQuality;
}

export function nodeWidth(node: ViewNode, options: LayoutOptions = { faces: false }): number {
  let chars = Math.max(node.title.length, node.subtitle.length);
  if (options.faces) for (const line of node.face) chars = Math.max(chars, line.length);
  const maps = options.faces ? faceMapsExtent(node.faceMaps).width + 16 : 0;
  return Math.min(260, Math.max(64, chars * 7 + 22, maps));
}

export function nodeHeight(node: ViewNode, options: LayoutOptions = { faces: false }): number {
  if (!options.faces) return NODE_HEIGHT;
  const maps = faceMapsExtent(node.faceMaps).height;
  return NODE_HEIGHT + (node.face.length > 0 ? node.face.length * FACE_LINE_HEIGHT + 4 : 0) + (maps > 0 ? maps + 6 : 0);
}

/** What the layout needs of a drawn graph: each box's size and parents (what the page sends its worker). */
export function layoutBoxes(graph: ViewGraph, options: LayoutOptions = { faces: false }): LayoutBox[] {
  return graph.nodes.map((n) => ({ id: n.id, width: nodeWidth(n, options), height: nodeHeight(n, options), parents: n.parentIds }));
}

/** Places boxes with d3-dag (the layout worker's whole job; pure, so Node runs it too). */
export function placeBoxes(boxes: readonly LayoutBox[]): LayoutPlacement {
  const edges: LayoutPlacement['edges'] = [];
  if (boxes.length === 0) return { width: 0, height: 0, quality: 'best', x: [], y: [], edges };
  const parents = acyclicParents(boxes);
  const stratify = graphStratify()
    .id((d: { id: string }) => d.id)
    .parentIds((d: { id: string }) => parents.get(d.id) ?? []);
  const dag = stratify(boxes.map((b) => ({ id: b.id })));
  const sizes = new Map(boxes.map((b) => [b.id, [b.width, b.height] as [number, number]]));
  const size = (n: { data: { id: string } } | undefined): [number, number] =>
    n ? sizes.get(n.data.id) ?? [64, NODE_HEIGHT] : [0, 0];

  const count = boxes.length;
  const quality: LayoutQuality = count <= 300 ? 'best' : count <= 1500 ? 'balanced' : 'fast';
  const base = sugiyama().nodeSize(size).gap(GAP);
  let width: number;
  let height: number;
  if (quality === 'best') {
    const layered = base.layering(layeringSimplex()).decross(decrossTwoLayer());
    const centredWidth = layered.coord(coordCenter())(dag).width;
    ({ width, height } = layered.coord(coordSimplex())(dag));
    if (width > 2.5 * centredWidth) ({ width, height } = layered.coord(coordCenter())(dag));
  } else {
    const decross = quality === 'balanced' ? decrossTwoLayer() : decrossDfs();
    ({ width, height } = base.layering(layeringLongestPath()).decross(decross).coord(coordCenter())(dag));
  }

  const at = new Map<string, [number, number]>();
  for (const placed of dag.nodes()) at.set(placed.data.id, [placed.x, placed.y]);
  const x = boxes.map((b) => at.get(b.id)?.[0] ?? 0);
  const y = boxes.map((b) => at.get(b.id)?.[1] ?? 0);
  for (const link of dag.links()) edges.push([link.source.data.id, link.target.data.id, link.points.flat()]);
  return { width, height, quality, x, y, edges };
}

/** A placement joined back to the drawn graph's boxes (the request's `boxes` in the same order). */
export function graphLayoutOf(graph: ViewGraph, boxes: readonly LayoutBox[], placement: LayoutPlacement): GraphLayout {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes = new Map<string, PlacedNode>();
  boxes.forEach((b, i) => {
    const node = byId.get(b.id);
    if (node) nodes.set(b.id, { node, x: placement.x[i], y: placement.y[i], width: b.width, height: b.height });
  });
  const edgePoints = new Map<string, [number, number][]>();
  for (const [from, to, flat] of placement.edges) {
    const points: [number, number][] = [];
    for (let k = 0; k + 1 < flat.length; k += 2) points.push([flat[k], flat[k + 1]]);
    edgePoints.set(`${from}->${to}`, points);
  }
  return { width: placement.width, height: placement.height, nodes, edgePoints, quality: placement.quality };
}

/** The whole layout on this thread (Node tests, the bench, and the page when no worker can start). */
export function layoutGraph(graph: ViewGraph, options: LayoutOptions = { faces: false }): GraphLayout {
  const boxes = layoutBoxes(graph, options);
  return graphLayoutOf(graph, boxes, placeBoxes(boxes));
}

/** Parents for layout only: an edge that would close a cycle (possible once scopes become boxes) is left out. */
function acyclicParents(nodes: readonly LayoutBox[]): Map<string, string[]> {
  const parents = new Map(nodes.map((n) => [n.id, n.parents]));
  const state = new Map<string, 'visiting' | 'done'>();
  const kept = new Map<string, string[]>();
  for (const start of nodes) {
    if (state.has(start.id)) continue;
    // Iterative DFS over parent links: deep tapes (5,000 ops in a chain) would overflow recursion.
    const stack: Array<{ id: string; next: number }> = [{ id: start.id, next: 0 }];
    state.set(start.id, 'visiting');
    kept.set(start.id, []);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const list = parents.get(top.id) ?? [];
      if (top.next >= list.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const parent = list[top.next++];
      const seen = state.get(parent);
      if (seen === 'visiting') continue;
      kept.get(top.id)!.push(parent);
      if (seen === undefined) {
        state.set(parent, 'visiting');
        kept.set(parent, []);
        stack.push({ id: parent, next: 0 });
      }
    }
  }
  return kept;
}
