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
  quality: 'best' | 'balanced' | 'fast';
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

export function layoutGraph(graph: ViewGraph, options: LayoutOptions = { faces: false }): GraphLayout {
  const nodes = new Map<string, PlacedNode>();
  const edgePoints = new Map<string, [number, number][]>();
  if (graph.nodes.length === 0) return { width: 0, height: 0, nodes, edgePoints, quality: 'best' };

  const parents = acyclicParents(graph.nodes);
  const stratify = graphStratify()
    .id((d: { id: string }) => d.id)
    .parentIds((d: { id: string }) => parents.get(d.id) ?? []);
  const dag = stratify(graph.nodes.map((n) => ({ id: n.id })));
  const sizes = new Map(graph.nodes.map((n) => [n.id, [nodeWidth(n, options), nodeHeight(n, options)] as [number, number]]));
  const size = (n: { data: { id: string } } | undefined): [number, number] =>
    n ? sizes.get(n.data.id) ?? [64, NODE_HEIGHT] : [0, 0];

  const count = graph.nodes.length;
  const quality = count <= 300 ? 'best' : count <= 1500 ? 'balanced' : 'fast';
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

  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  for (const placed of dag.nodes()) {
    const node = byId.get(placed.data.id);
    const [w, h] = sizes.get(placed.data.id) ?? [64, NODE_HEIGHT];
    if (node) nodes.set(node.id, { node, x: placed.x, y: placed.y, width: w, height: h });
  }
  for (const link of dag.links()) edgePoints.set(`${link.source.data.id}->${link.target.data.id}`, link.points);
  return { width, height, nodes, edgePoints, quality };
}

/** Parents for layout only: an edge that would close a cycle (possible once scopes become boxes) is left out. */
function acyclicParents(nodes: ViewNode[]): Map<string, string[]> {
  const parents = new Map(nodes.map((n) => [n.id, n.parentIds]));
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
