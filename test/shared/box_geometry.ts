// Rectangles as the inspector's layout tests compare them (a page's panes, a node's box, a viewport), shared by
// the Chromium page tests and the end-to-end suite in the workbench. Half a pixel of slack for sub-pixel layout.
export interface Rect { x: number; y: number; width: number; height: number }

const SLACK = 0.5;

/** The area two rectangles share, 0 when they only touch. */
export function overlapArea(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > SLACK && h > SLACK ? w * h : 0;
}

export function boxesOverlap(a: Rect, b: Rect): boolean {
  return overlapArea(a, b) > 0;
}

/** Whether `inner` lies wholly within `outer`. */
export function isInside(inner: Rect, outer: Rect): boolean {
  return inner.x >= outer.x - SLACK && inner.y >= outer.y - SLACK
    && inner.x + inner.width <= outer.x + outer.width + SLACK && inner.y + inner.height <= outer.y + outer.height + SLACK;
}
