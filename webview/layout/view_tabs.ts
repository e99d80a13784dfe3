// A tab strip with its panels: the inspector's top-level views and the details area's panes use the
// same one. Roving tabindex, ←/→ move between tabs (WAI-ARIA tabs pattern).
import { el } from '../dom';

export interface Tab { readonly id: string; readonly title: string; readonly element: HTMLElement; shown?(): void }

export class ViewTabs<T extends Tab> {
  readonly strip: HTMLElement;
  readonly panels: HTMLElement;
  private readonly buttons = new Map<string, HTMLButtonElement>();
  private readonly panelOf = new Map<string, HTMLElement>();
  private current: string | undefined;

  constructor(
    private readonly tabs: readonly T[],
    private readonly options: { idPrefix: string; label: string; onChange?: (id: string) => void },
  ) {
    this.strip = el('div', { class: 'tabs', attrs: { role: 'tablist', 'aria-label': options.label } });
    this.panels = el('div', { class: 'tab-panels' });
    tabs.forEach((tab, index) => {
      const button = el('button', {
        text: tab.title,
        attrs: { type: 'button', role: 'tab', id: `${options.idPrefix}tab-${tab.id}`, 'aria-controls': `${options.idPrefix}pane-${tab.id}` },
      });
      button.addEventListener('click', () => this.show(tab.id));
      button.addEventListener('keydown', (e) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        const next = tabs[(index + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
        this.show(next.id);
        this.buttons.get(next.id)!.focus();
      });
      const panel = el('div', {
        class: 'pane',
        attrs: { role: 'tabpanel', id: `${options.idPrefix}pane-${tab.id}`, 'aria-labelledby': button.id },
      }, tab.element);
      this.buttons.set(tab.id, button);
      this.panelOf.set(tab.id, panel);
      this.strip.append(button);
      this.panels.append(panel);
    });
    if (tabs.length === 1) this.strip.classList.add('single');
  }

  get selected(): string | undefined { return this.current; }

  has(id: string): boolean { return this.panelOf.has(id); }

  show(id: string): void {
    if (!this.panelOf.has(id)) return;
    this.current = id;
    for (const tab of this.tabs) {
      const on = tab.id === id;
      const button = this.buttons.get(tab.id)!;
      button.setAttribute('aria-selected', String(on));
      button.tabIndex = on ? 0 : -1;
      this.panelOf.get(tab.id)!.hidden = !on;
    }
    this.tabs.find((t) => t.id === id)?.shown?.();
    this.options.onChange?.(id);
  }
}
