// The graph as drawn: the tape's nodes, except that folds replace runs of them by one box each — a collapsed
// name scope, a run of repetitions ("×N", repeat_fold.ts), the ops one source line recorded (line_fold.ts).
// Edges are re-pointed at those boxes and merged. A large tape folds only as far as it must: first its
// collapsed scopes and repeated ops; if that leaves more than FOLD_BOXES_ABOVE boxes, repeated scopes too
// (layer_3 and layer_4 read alike) with the leaves only one box reads inside it; then source lines.
import { CUT_NODE_ID, type SourceLocation, type TapeTrace, type TraceNode, type TraceTensor } from '../../engine/trace/trace_format';
import { faceLines, faceMaps, type FaceMap } from './node_face';
import { foldLines } from './line_fold';
import { foldRepeatedUnits, opSignature, type FoldUnit } from './repeat_fold';
import { opLabel } from './window_label';

/** Above this many nodes a tape opens with every name scope collapsed, and repeated ops fold. */
export const COLLAPSE_SCOPES_ABOVE = 80;
/** On a large tape, a variable or constant read by this many ops is drawn once beside each reader (as
 * TensorBoard extracts such nodes): one box wired to every layer makes the layered layout add a dummy node per
 * layer crossed, which grows with the square of the tape's length (a 1,000-node tape never finished). */
export const SPLIT_LEAVES_WITH_READERS = 3;
/** A large tape whose folds leave more boxes than this folds further (repeated scopes, then source lines). */
export const FOLD_BOXES_ABOVE = 200;

export interface ViewNode {
  id: string;
  kind: 'op' | 'tensor' | 'scope' | 'repeat' | 'line';
  /** First line of the box: the op, or the scope's name. */
  title: string;
  /** Second line: the output shape (after the op when the title is the user's name), or the count of ops inside a scope. */
  subtitle: string;
  /** The value and gradient lines drawn on the face when faces are on (node_face.ts). */
  face: string[];
  /** Heatmaps of a small tensor's value and gradient, drawn below the face lines (node_face.ts). */
  faceMaps: FaceMap[];
  /** The trace node behind this box (absent for a fold). */
  node?: TraceNode;
  tensor?: TraceTensor;
  /** For a collapsed scope: its path joined by '/', and the nodes it stands for. */
  scopeKey?: string;
  /** For a fold a click expands (a run of repetitions, a source line's ops): its key. */
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
  /** How far the tape had to fold: 0 scopes and repeated ops, 1 also repeated scopes, 2 also source lines. */
  foldLevel: FoldLevel;
}

export type FoldLevel = 0 | 1 | 2;

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
 * "×N" boxes, and further folds while the boxes are too many, except the folds whose keys are in `expanded`.
 */
export function buildViewGraph(trace: TapeTrace, collapsed: ReadonlySet<string>, expanded: ReadonlySet<string> = new Set()): ViewGraph {
  const large = trace.nodes.length > COLLAPSE_SCOPES_ABOVE;
  let graph = assemble(trace, collapsed, expanded, large, 0);
  for (let level = 1 as FoldLevel; large && graph.nodes.length > FOLD_BOXES_ABOVE && level <= 2; level++) {
    graph = assemble(trace, collapsed, expanded, large, level);
  }
  return graph;
}

/** A step of the recorded order as folding sees it: one op, every op of a collapsed scope, or a cut trace's gap. */
interface Unit {
  ops: TraceNode[];
  scope?: { key: string; name: string };
  /** The node standing for a cut trace's left-out ops: nothing folds across it. */
  cut?: true;
}

/** A box that stands for several trace nodes. */
interface Fold {
  id: string;
  kind: 'scope' | 'repeat' | 'line';
  title: string;
  subtitle: string;
  scopeKey?: string;
  repeatKey?: string;
}

function assemble(trace: TapeTrace, collapsed: ReadonlySet<string>, expanded: ReadonlySet<string>, large: boolean, level: FoldLevel): ViewGraph {
  const tensors = new Map(trace.tensors.map((t) => [t.id, t]));
  const expandedScopes = new Set<string>();
  const units: Unit[] = [];
  const scopeUnits = new Map<string, Unit>();
  const cutReaders = new Set(trace.edges.filter((e) => e.from === CUT_NODE_ID).map((e) => e.to));
  for (const node of trace.nodes) {
    if (node.kind !== 'op') continue;
    if (cutReaders.has(node.id) && !units.some((u) => u.cut)) units.push({ ops: [], cut: true });
    const scope = collapsedScopeOf(node, collapsed, expandedScopes);
    if (!scope) { units.push({ ops: [node] }); continue; }
    let unit = scopeUnits.get(scope.key);
    if (!unit) {
      unit = { ops: [], scope: { key: scope.key, name: node.scope[scope.depth - 1] } };
      scopeUnits.set(scope.key, unit);
      units.push(unit);
    }
    unit.ops.push(node);
  }

  // Which fold each unit is drawn in.
  const foldOf: Array<Fold | undefined> = units.map((u) => (u.scope
    ? { id: `scope:${u.scope.key}`, kind: 'scope', title: u.scope.name, subtitle: '', scopeKey: u.scope.key } : undefined));
  if (large) {
    const signatures: FoldUnit[] = units.map((u, i) => (u.cut ? { signature: CUT_NODE_ID, label: '⋯' } : u.scope
      ? { signature: level >= 1 ? scopeSignature(u) : `scope ${i}`, label: `${u.scope.name}/` }
      : { signature: opSignature(u.ops[0], level >= 1), label: u.ops[0].op }));
    for (const g of foldRepeatedUnits(signatures, expanded)) {
      const fold: Fold = { id: g.key, kind: 'repeat', title: `×${g.count.toLocaleString('en-US')}`, subtitle: g.block, repeatKey: g.key };
      for (let k = g.start; k < g.start + g.period * g.count; k++) foldOf[k] = fold;
    }
  }
  if (level >= 2) {
    const pinned = (u: Unit): boolean => u.ops.some((n) => { const t = tensors.get(n.output); return !!t && (t.isTarget || t.isSource); });
    const lineUnits = units.map((u, i) => ({ source: sameLine(u.ops), keep: u.cut === true || (foldOf[i] !== undefined && foldOf[i]!.kind !== 'scope') || pinned(u) }));
    for (const g of foldLines(lineUnits, expanded)) {
      let ops = 0;
      for (let k = g.start; k < g.start + g.count; k++) ops += units[k].ops.length;
      const last = units[g.start + g.count - 1].ops.at(-1)!;
      const fold: Fold = {
        id: g.key, kind: 'line', title: `line ${g.line}`, repeatKey: g.key,
        subtitle: `${ops.toLocaleString('en-US')} ops → ${tensors.get(last.output)?.name ?? last.op} ▸`,
      };
      for (let k = g.start; k < g.start + g.count; k++) foldOf[k] = fold;
    }
  }

  const ownerOf = new Map<string, Fold | undefined>();
  units.forEach((u, i) => { for (const n of u.ops) ownerOf.set(n.id, foldOf[i]); });
  // A leaf read only inside one fold (a loop's constant, a layer's bias) folds with it: repeats always, every
  // kind of fold once the tape must fold further.
  const leafFold = new Map<string, Fold | null>();
  for (const edge of trace.edges) {
    if (ownerOf.has(edge.from) || edge.from === CUT_NODE_ID) continue;
    const fold = ownerOf.get(edge.to);
    const into = fold && (level >= 1 || fold.kind === 'repeat') ? fold : null;
    const had = leafFold.get(edge.from);
    leafFold.set(edge.from, had === undefined || had === into ? into : null);
  }

  const nodes: ViewNode[] = [];
  const boxes = new Map<string, { box: ViewNode; search: Set<string> }>();
  const boxIdOf = new Map<string, string>();
  for (const node of trace.nodes) {
    const tensor = tensors.get(node.output);
    const fold = node.kind === 'op' ? ownerOf.get(node.id) : leafFold.get(node.id) ?? undefined;
    if (fold) {
      let entry = boxes.get(fold.id);
      if (!entry) {
        entry = {
          box: { ...fold, face: [], faceMaps: [], members: [], isSource: false, isTarget: false, parentIds: [], searchText: '' },
          search: new Set([`${fold.kind === 'repeat' ? 'repeat ' : ''}${fold.scopeKey ?? fold.subtitle}`.toLowerCase()]),
        };
        boxes.set(fold.id, entry);
        nodes.push(entry.box);
      }
      const box = entry.box;
      box.members.push(node);
      box.isSource ||= tensor?.isSource ?? false;
      box.isTarget ||= tensor?.isTarget ?? false;
      entry.search.add(searchTextOf(node, tensor));
      if (node.recordedDuringGradientOf !== undefined) box.nestedTapeId = node.recordedDuringGradientOf;
      boxIdOf.set(node.id, fold.id);
      continue;
    }
    const shape = tensor ? shapeText(tensor.shape) : '';
    const named = node.kind === 'op' && tensor?.name !== undefined;
    nodes.push({
      id: node.id, kind: node.kind, title: node.id === CUT_NODE_ID ? node.label : node.kind === 'op' ? tensor?.name ?? opLabel(node) : tensor?.name ?? node.label,
      subtitle: named ? `${opLabel(node)} ${shape}` : shape, face: faceLines(tensor), faceMaps: faceMaps(tensor), node, tensor, members: [node],
      isSource: tensor?.isSource ?? false, isTarget: tensor?.isTarget ?? false,
      nestedTapeId: node.recordedDuringGradientOf, parentIds: [], searchText: searchTextOf(node, tensor),
    });
    boxIdOf.set(node.id, node.id);
  }
  for (const { box, search } of boxes.values()) {
    box.searchText = [...search].join(' ');
    if (box.kind === 'scope') box.subtitle = `${box.members.length} node${box.members.length === 1 ? '' : 's'} ▸`;
  }

  const edges = new Map<string, ViewEdge>();
  for (const edge of trace.edges) {
    const from = boxIdOf.get(edge.from);
    const to = boxIdOf.get(edge.to);
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
  if (large) splitSharedLeaves(nodes, edgeList);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (const edge of edgeList) byId.get(edge.to)?.parentIds.push(edge.from);
  return { nodes, edges: edgeList, expandedScopes: [...expandedScopes], foldLevel: level };
}

/** A collapsed scope as folding compares it: its name with numbers read alike, and its ops. */
function scopeSignature(unit: Unit): string {
  return `scope:${unit.scope!.name.replace(/\d+/g, '#')}|${unit.ops.map((n) => opSignature(n, true)).join(',')}`;
}

/** The line all of a unit's ops were recorded on, if they share one. */
function sameLine(ops: readonly TraceNode[]): SourceLocation | undefined {
  const first = ops[0]?.source;
  if (!first) return undefined;
  return ops.every((n) => n.source?.line === first.line && n.source.file === first.file) ? first : undefined;
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
