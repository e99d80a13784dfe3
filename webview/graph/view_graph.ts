// The graph as drawn: the tape's nodes, except that the nodes of a collapsed name scope are
// replaced by one box for the scope. Edges are re-pointed at those boxes and merged.
import type { TapeTrace, TraceNode, TraceTensor } from '../../engine/trace/trace_format';
import { faceLines } from './node_face';

/** Above this many nodes a tape opens with every name scope collapsed. */
export const COLLAPSE_SCOPES_ABOVE = 80;
/** On a large tape, a variable or constant read by this many ops is drawn once beside each reader (as
 * TensorBoard extracts such nodes): one box wired to every layer makes the layered layout add a dummy node per
 * layer crossed, which grows with the square of the tape's length (a 1,000-node tape never finished). */
export const SPLIT_LEAVES_WITH_READERS = 3;

export interface ViewNode {
  id: string;
  kind: 'op' | 'tensor' | 'scope';
  /** First line of the box: the op, or the scope's name. */
  title: string;
  /** Second line: the output shape (after the op when the title is the user's name), or the count of ops inside a scope. */
  subtitle: string;
  /** The value and gradient lines drawn on the face when faces are on (node_face.ts). */
  face: string[];
  /** The trace node behind this box (absent for a collapsed scope). */
  node?: TraceNode;
  tensor?: TraceTensor;
  /** For a collapsed scope: its path joined by '/', and the nodes it stands for. */
  scopeKey?: string;
  members: TraceNode[];
  isSource: boolean;
  isTarget: boolean;
  /** Recorded while an inner gradient() ran (second-order tapes). */
  nestedTapeId?: number;
  parentIds: string[];
  /** Lower-case text that search matches against: name, op, label, shape. */
  searchText: string;
  /** For a leaf drawn once per reader: the id of the first box, which the copies repeat. */
  copyOf?: string;
}

export interface ViewEdge {
  from: string;
  to: string;
  /** Tensors carried (several when boxes merge edges). */
  tensors: number[];
  shapes: number[][];
}

export interface ViewGraph {
  nodes: ViewNode[];
  edges: ViewEdge[];
  /** Scope keys currently expanded that have members (drawn as frames around their nodes). */
  expandedScopes: string[];
}

export function shapeText(shape: number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

export const scopeKeyOf = (scope: string[], depth: number): string => scope.slice(0, depth).join('/');

/** Every scope key in the tape, outermost first. */
export function allScopeKeys(trace: TapeTrace): string[] {
  const keys = new Set<string>();
  for (const node of trace.nodes) for (let d = 1; d <= node.scope.length; d++) keys.add(scopeKeyOf(node.scope, d));
  return [...keys];
}

export function defaultCollapsedScopes(trace: TapeTrace): Set<string> {
  return trace.nodes.length > COLLAPSE_SCOPES_ABOVE ? new Set(allScopeKeys(trace)) : new Set();
}

export function buildViewGraph(trace: TapeTrace, collapsed: ReadonlySet<string>): ViewGraph {
  const tensors = new Map(trace.tensors.map((t) => [t.id, t]));
  const ownerOf = new Map<string, string>();
  const scopes = new Map<string, ViewNode>();
  const nodes: ViewNode[] = [];
  const expanded = new Set<string>();

  for (const node of trace.nodes) {
    const tensor = tensors.get(node.output);
    let owner: string | undefined;
    for (let depth = 1; depth <= node.scope.length; depth++) {
      const key = scopeKeyOf(node.scope, depth);
      if (!collapsed.has(key)) { expanded.add(key); continue; }
      owner = `scope:${key}`;
      let box = scopes.get(owner);
      if (!box) {
        box = {
          id: owner, kind: 'scope', title: node.scope[depth - 1], subtitle: '', face: [], scopeKey: key, members: [],
          isSource: false, isTarget: false, parentIds: [], searchText: key.toLowerCase(),
        };
        scopes.set(owner, box);
        nodes.push(box);
      }
      box.members.push(node);
      box.isSource ||= tensor?.isSource ?? false;
      box.isTarget ||= tensor?.isTarget ?? false;
      box.searchText += ` ${searchTextOf(node, tensor)}`;
      if (node.recordedDuringGradientOf !== undefined) box.nestedTapeId = node.recordedDuringGradientOf;
      break;
    }
    if (owner === undefined) {
      owner = node.id;
      const shape = tensor ? shapeText(tensor.shape) : '';
      const named = node.kind === 'op' && tensor?.name !== undefined;
      nodes.push({
        id: node.id, kind: node.kind, title: node.kind === 'op' ? tensor?.name ?? node.op : tensor?.name ?? node.label,
        subtitle: named ? `${node.op} ${shape}` : shape, face: faceLines(tensor), node, tensor, members: [node],
        isSource: tensor?.isSource ?? false, isTarget: tensor?.isTarget ?? false,
        nestedTapeId: node.recordedDuringGradientOf, parentIds: [], searchText: searchTextOf(node, tensor),
      });
    }
    ownerOf.set(node.id, owner);
  }
  for (const box of scopes.values()) box.subtitle = `${box.members.length} node${box.members.length === 1 ? '' : 's'} ▸`;

  const edges = new Map<string, ViewEdge>();
  for (const edge of trace.edges) {
    const from = ownerOf.get(edge.from);
    const to = ownerOf.get(edge.to);
    if (from === undefined || to === undefined || from === to) continue;
    const key = `${from}->${to}`;
    let merged = edges.get(key);
    if (!merged) {
      merged = { from, to, tensors: [], shapes: [] };
      edges.set(key, merged);
    }
    merged.tensors.push(edge.tensor);
    merged.shapes.push(edge.shape);
  }
  const edgeList = [...edges.values()];
  // Small tapes stay exactly as recorded: one box per tensor, however often it is read.
  if (trace.nodes.length > COLLAPSE_SCOPES_ABOVE) splitSharedLeaves(nodes, edgeList);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const edge of edgeList) byId.get(edge.to)?.parentIds.push(edge.from);
  return { nodes, edges: edgeList, expandedScopes: [...expanded] };
}

function splitSharedLeaves(nodes: ViewNode[], edges: ViewEdge[]): void {
  const readers = new Map<string, ViewEdge[]>();
  for (const edge of edges) {
    const list = readers.get(edge.from) ?? [];
    list.push(edge);
    readers.set(edge.from, list);
  }
  for (const node of [...nodes]) {
    const out = readers.get(node.id);
    if (node.kind !== 'tensor' || !out || out.length < SPLIT_LEAVES_WITH_READERS) continue;
    node.subtitle = `${node.subtitle} ×${out.length}`;
    out.slice(1).forEach((edge, k) => {
      const copy: ViewNode = { ...node, id: `${node.id}~${k + 1}`, parentIds: [], copyOf: node.id };
      nodes.push(copy);
      edge.from = copy.id;
    });
  }
}

function searchTextOf(node: TraceNode, tensor: TraceTensor | undefined): string {
  const shape = tensor ? `${shapeText(tensor.shape)} ${tensor.shape.join('x')}` : '';
  return `${node.label} ${node.op} ${tensor?.name ?? ''} ${shape}`.toLowerCase();
}
