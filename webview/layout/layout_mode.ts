// How the Tapes view arranges itself for the room it has (pure, so it is unit-tested): the tape list
// as a column or a compact picker, the details area beside the graph or below it, and its size.

export interface LayoutMode {
  /** 'column': the tape list is a column on the left; 'picker': a drop-down in the graph's toolbar. */
  tapeList: 'column' | 'picker';
  /** Where the details area sits: beside the graph on wide panels, below it on tall or narrow ones. */
  details: 'side' | 'bottom';
}

/** The tape list gets its own column only from this width: below it the graph needs the room. */
export const LIST_COLUMN_MIN_WIDTH = 1100;
/** Details go beside the graph only from this width and when the panel is wider than tall by this ratio. */
export const SIDE_DETAILS_MIN_WIDTH = 760;
export const SIDE_DETAILS_MIN_ASPECT = 1.15;
/** Under this height the details area starts folded to its header, leaving the graph the room. */
export const FOLD_DETAILS_BELOW_HEIGHT = 420;
/** The details area's height when folded: its tab strip only. */
export const FOLDED_DETAILS_PX = 30;

export function layoutModeFor(width: number, height: number): LayoutMode {
  return {
    tapeList: width >= LIST_COLUMN_MIN_WIDTH ? 'column' : 'picker',
    details: width >= SIDE_DETAILS_MIN_WIDTH && width / Math.max(1, height) >= SIDE_DETAILS_MIN_ASPECT ? 'side' : 'bottom',
  };
}

/** Default share of the split the details take, by orientation. */
export const DEFAULT_DETAILS_FRACTION: Record<LayoutMode['details'], number> = { side: 0.27, bottom: 0.3 };

/**
 * Pixels the details area gets along the split's axis: the user's (or default) fraction of the
 * split's length, at least enough to read a few lines and never more than 45% (the graph keeps most).
 */
export function detailsSizePx(orientation: LayoutMode['details'], fraction: number, splitLength: number): number {
  const min = orientation === 'side' ? 240 : 110;
  const max = Math.max(min, Math.floor(splitLength * 0.45));
  return Math.round(Math.min(max, Math.max(min, fraction * splitLength)));
}
