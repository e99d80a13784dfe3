// The one DOM idiom of the inspector's panes: build elements with el(), put user text in with
// textContent (never innerHTML: tensor names and op labels come from user code), keep the root in
// `element`. A pane is a class whose constructor builds its subtree once and whose methods update it.

type Child = Node | string | null | undefined | false;

export interface ElOptions {
  class?: string;
  /** Attributes set with setAttribute (aria-*, role, title, data-*, type, …). */
  attrs?: Record<string, string | number | boolean | undefined>;
  /** Text content, set as text. */
  text?: string;
}

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, options: ElOptions = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (options.class) node.className = options.class;
  for (const [name, value] of Object.entries(options.attrs ?? {})) {
    if (value === undefined || value === false) continue;
    node.setAttribute(name, value === true ? '' : String(value));
  }
  if (options.text !== undefined) node.textContent = options.text;
  for (const child of children) if (child !== null && child !== undefined && child !== false) node.append(child);
  return node;
}
