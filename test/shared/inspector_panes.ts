// The inspector's panes a user sees, by the selectors the page gives them: what the layout tests keep apart.
export const INSPECTOR_PANES: ReadonlyArray<readonly [name: string, selector: string]> = [
  ['header', '.inspector-header'], ['tape list', '.tapes-view.list-column > .tape-list'],
  ['toolbar', '.graph-pane .toolbar'], ['graph', 'svg.graph'], ['splitter', '.splitter'], ['details', '.details-area'],
];
