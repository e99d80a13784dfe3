// What the inspector's layout hosts. Two kinds of parts plug in, each a class with a root `element`
// built with el() (webview/dom.ts):
// - an InspectorView is a top-level tab (Tapes, Training, …), listed in webview/main.ts;
// - a DetailsPane is a tab in the Tapes view's details area, beside or below the graph (Node, …),
//   listed in webview/tapes/tapes_view.ts. It hears which tape and node are selected.
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { ViewNode } from '../graph/view_graph';

export interface InspectorView {
  /** Stable id: the tab's DOM id suffix, the saved state's `view`, the `focus` message's `view`. */
  readonly id: string;
  readonly title: string;
  readonly element: HTMLElement;
  /** Called each time the view becomes visible (redraw at the size it now has). */
  shown?(): void;
}

export interface DetailsPane {
  readonly id: string;
  readonly title: string;
  readonly element: HTMLElement;
  shown?(): void;
  /** The tape drawn in the graph changed (undefined: no tape). */
  tapeChanged?(trace: TapeTrace | undefined): void;
  /** The selected node changed (undefined: nothing selected). */
  nodeSelected?(node: ViewNode | undefined, trace: TapeTrace): void;
  /** The graph was drawn again (a tape shown, a scope or a repeat folded): marks on its SVG are redone here. */
  graphDrawn?(trace: TapeTrace): void;
}
