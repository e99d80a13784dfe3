// Messages between the inspector page and its layout worker (webview/graph/layout_worker.ts), declared once.
// The page sends the boxes to place (sizes and parents, nothing of the trace); the worker answers with their
// centres and each edge's bend points. Both sides validate what they receive, like every other boundary.
import { isFiniteNumber, isInt, isNumberArray, isObject, isOneOf, isString, isStrings } from './validation';

/** How hard the layered layout tries: stepped down as graphs grow (dag_layout.ts). */
export const LAYOUT_QUALITIES = ['best', 'balanced', 'fast'] as const;
export type LayoutQuality = (typeof LAYOUT_QUALITIES)[number];

/** One box to place: its size and the boxes drawn above it (its inputs). */
export interface LayoutBox {
  id: string;
  width: number;
  height: number;
  parents: string[];
}

/** Where the boxes went: centres in the order of the request's boxes, and the drawable edges' bend points. */
export interface LayoutPlacement {
  width: number;
  height: number;
  quality: LayoutQuality;
  x: number[];
  y: number[];
  /** [from id, to id, x0, y0, x1, y1, …]: edges left out of the layout (they would close a cycle) have none. */
  edges: Array<[string, string, number[]]>;
}

/** page → worker: place these boxes. A newer request replaces an older one (the page ends the old worker). */
export interface LayoutRequest {
  type: 'layout';
  id: number;
  boxes: LayoutBox[];
}

/** worker → page: the placement of request `id`, or why it failed. */
export type LayoutReply =
  | { type: 'placed'; id: number; placement: LayoutPlacement }
  | { type: 'failed'; id: number; message: string };

function fail(reason: string): never {
  throw new Error(`invalid layout message: ${reason}`);
}

export function validateLayoutRequest(data: unknown): LayoutRequest {
  if (!isObject(data) || data.type !== 'layout' || !isInt(data.id) || !Array.isArray(data.boxes)) fail('expected {type: "layout", id, boxes}');
  for (const box of data.boxes as unknown[]) {
    if (!isObject(box) || !isString(box.id) || !isFiniteNumber(box.width) || !isFiniteNumber(box.height) || !isStrings(box.parents)) {
      fail(`box ${JSON.stringify(box).slice(0, 80)} needs id, width, height and parents`);
    }
  }
  return data as unknown as LayoutRequest;
}

export function validateLayoutReply(data: unknown): LayoutReply {
  if (!isObject(data) || !isInt(data.id)) fail('expected a reply with an id');
  if (data.type === 'failed') {
    if (!isString(data.message)) fail('a failed reply carries a message');
    return data as unknown as LayoutReply;
  }
  const p = data.placement;
  if (data.type !== 'placed' || !isObject(p)) fail('expected {type: "placed", id, placement}');
  if (!isFiniteNumber(p.width) || !isFiniteNumber(p.height) || !isOneOf(LAYOUT_QUALITIES, p.quality)) fail('placement needs width, height, quality');
  if (!isNumberArray(p.x) || !isNumberArray(p.y) || p.x.length !== p.y.length) fail('placement needs x and y of equal length');
  if (!Array.isArray(p.edges) || !p.edges.every((e) => Array.isArray(e) && isString(e[0]) && isString(e[1]) && isNumberArray(e[2]))) {
    fail('placement edges are [from, to, points]');
  }
  return data as unknown as LayoutReply;
}
