// The graph as drawn: the tape's nodes, except that the nodes of a collapsed name scope are
// replaced by one box for the scope. Edges are re-pointed at those boxes and merged.
import type { TapeTrace, TraceNode, TraceTensor } from '../../engine/trace/trace_format';
import { faceLines, faceMaps, type FaceMap } from './node_face';
import { FOLD_REPEATS_ABOVE, foldRepeats, type RepeatGroup } from './repeat_fold';

/** Above this many nodes a tape opens with every name scope collapsed. */
export const COLLAPSE_SCOPES_ABOVE = 80;
/** On a large tape, a variable or constant read by this many ops is drawn once beside each reader (as
 * TensorBoard extracts such nodes): one box wired to every layer makes the layered layout add a dummy node per
 * layer crossed, which grows with the square of the tape's length (a 1,000-node tape never finished). */
export const SPLIT_LEAVES_WITH_READERS = 3;

export interface ViewNode {
  id: string;
  kind: 'op' | 'tensor' | 'scope' | 'repeat';
  /** First line of the box: the op, or the scope's name. */
  title: string;
  /** Second line: the output shape (after the op when the title is the user's name), or the count of ops inside a scope. */
  subtitle: string;
  /** The value and gradient lines drawn on the face when faces are on (node_face.ts). */
  face: string[];
  /** Heatmaps of a small tensor's value and gradient, drawn below the face lines (node_face.ts). */
  faceMaps: FaceMap[];
  /** The trace node behind this box (absent for a collapsed scope). */
  node?: TraceNode;
  tensor?: TraceTensor;
  /** For a collapsed scope: its path joined by '/', and the nodes it stands for. */
  scopeKey?: string;
  /** For a folded run of repetitions: its key (repeat_fold.ts); a click expands it. */
  repeatKey?: string;
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

/** The collapsed scope (outermost collapsed level) a node is drawn inside, if any; notes the expanded ones. */
function collapsedScopeOf(node: TraceNode, collapsed: ReadonlySet<string>, expanded: Set<string>): { key: string; depth: number } | undefined {
  for (let depth = 1; depth <= node.scope.length; depth++) {
    const key = scopeKeyOf(node.scope, depth);
    if (collapsed.has(key)) return { key, depth };
    expanded.add(key);
  }
  return undefined;
}

/**
 * The drawn graph: scopes in `collapsed` as single boxes; on larger tapes, repeated op sequences folded into
 * "×N" boxes unless their key is in `expandedRepeats` (repeat_fold.ts).
 */
export function buildViewGraph(trace: TapeTrace, collapsed: ReadonlySet<string>, expandedRepeats: ReadonlySet<string> = new Set()): ViewGraph {
  const tensors = new Map(trace.tensors.map((t) => [t.id, t]));
  const ownerOf = new Map<string, string>();
  const boxes = new Map<string, ViewNode>();
  const nodes: ViewNode[] = [];
  const expanded = new Set<string>();

  const scopeOf = new Map<string, { key: string; depth: number }>();
  for (const node of trace.nodes) {
    const scope = collapsedScopeOf(node, collapsed, expanded);
    if (scope) scopeOf.set(node.id, scope);
  }
  const repeatOf = trace.nodes.length > FOLD_REPEATS_ABOVE
    ? foldRepeats(trace.nodes.filter((n) => n.kind === 'op' && !scopeOf.has(n.id)), expandedRepeats).groupOf
    : new Map<string, RepeatGroup>();
  // A leaf read only inside one group (a loop's constant) folds with it.
  const leafGroup = new Map<string, RepeatGroup | null>();
  for (const edge of trace.edges) {
    if (!edge.from.startsWith('t')) continue;
    const group = repeatOf.get(edge.to) ?? null;
    const had = leafGroup.get(edge.from);
    leafGroup.set(edge.from, had === undefined || had === group ? group : null);
  }

  const boxFor = (id: string, make: () => ViewNode): ViewNode => {
    let box = boxes.get(id);
    if (!box) {
      box = make();
      boxes.set(id, box);
      nodes.push(box);
    }
    return box;
  };
  for (const node of trace.nodes) {
    const tensor = tensors.get(node.output);
    const scope = scopeOf.get(node.id);
    const group = repeatOf.get(node.id) ?? (node.kind === 'tensor' ? leafGroup.get(node.id) ?? undefined : undefined);
    let box: ViewNode | undefined;
    if (scope) {
      box = boxFor(`scope:${scope.key}`, () => ({
        id: `scope:${scope.key}`, kind: 'scope', title: node.scope[scope.depth - 1], subtitle: '', face: [], faceMaps: [], scopeKey: scope.key, members: [],
        isSource: false, isTarget: false, parentIds: [], searchText: scope.key.toLowerCase(),
      }));
    } else if (group) {
      box = boxFor(group.key, () => ({
        id: group.key, kind: 'repeat', title: `×${group.count.toLocaleString('en-US')}`, subtitle: group.block, face: [], faceMaps: [],
        repeatKey: group.key, members: [], isSource: false, isTarget: false, parentIds: [], searchText: `repeat ${group.block}`.toLowerCase(),
      }));
    }
    if (box) {
      box.members.push(node);
      box.isSource ||= tensor?.isSource ?? false;
      box.isTarget ||= tensor?.isTarget ?? false;
      box.searchText += ` ${searchTextOf(node, tensor)}`;
      if (node.recordedDuringGradientOf !== undefined) box.nestedTapeId = node.recordedDuringGradientOf;
      ownerOf.set(node.id, box.id);
      continue;
    }
    const shape = tensor ? shapeText(tensor.shape) : '';
    const named = node.kind === 'op' && tensor?.name !== undefined;
    nodes.push({
      id: node.id, kind: node.kind, title: node.kind === 'op' ? tensor?.name ?? node.op : tensor?.name ?? node.label,
      subtitle: named ? `${node.op} ${shape}` : shape, face: faceLines(tensor), faceMaps: faceMaps(tensor), node, tensor, members: [node],
      isSource: tensor?.isSource ?? false, isTarget: tensor?.isTarget ?? false,
      nestedTapeId: node.recordedDuringGradientOf, parentIds: [], searchText: searchTextOf(node, tensor),
    });
    ownerOf.set(node.id, node.id);
  }
  for (const box of boxes.values()) {
    if (box.kind === 'scope') box.subtitle = `${box.members.length} node${box.members.length === 1 ? '' : 's'} ▸`;
  }

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
