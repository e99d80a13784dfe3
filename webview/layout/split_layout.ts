// The graph and the details area side by side or one above the other, with a splitter between them
// (drag, or focus it and use the arrow keys; double-click folds the details). A CSS grid places the
// three, so neither ever covers the other: the details take `detailsSizePx` along the split's axis.
import { el } from '../dom';
import { DEFAULT_DETAILS_FRACTION, detailsSizePx, FOLDED_DETAILS_PX, type LayoutMode } from './layout_mode';

export interface SavedSplit { fraction: Record<LayoutMode['details'], number>; folded: boolean | null }

const KEY_STEP = 0.03;

export class SplitLayout {
  readonly element: HTMLElement;
  private readonly splitter: HTMLElement;
  private orientation: LayoutMode['details'] = 'side';
  private fraction = { ...DEFAULT_DETAILS_FRACTION };
  /** null: not chosen by the user, so folding follows the panel's height. */
  private userFolded: boolean | null = null;
  private autoFolded = false;
  private length = 0;

  constructor(main: HTMLElement, private readonly details: HTMLElement, private readonly onChange: () => void) {
    this.splitter = el('div', {
      class: 'splitter',
      attrs: { role: 'separator', tabindex: 0, 'aria-label': 'Resize the details pane (arrow keys; Enter folds it)' },
    });
    this.element = el('div', { class: 'split' }, main, this.splitter, details);
    this.splitter.addEventListener('pointerdown', (e) => this.drag(e));
    this.splitter.addEventListener('dblclick', () => this.toggleFolded());
    this.splitter.addEventListener('keydown', (e) => {
      const grow = this.orientation === 'side' ? e.key === 'ArrowLeft' : e.key === 'ArrowUp';
      const shrink = this.orientation === 'side' ? e.key === 'ArrowRight' : e.key === 'ArrowDown';
      if (grow || shrink) {
        e.preventDefault();
        this.setFraction(this.fraction[this.orientation] + (grow ? KEY_STEP : -KEY_STEP));
      } else if (e.key === 'Enter') {
        e.preventDefault();
        this.toggleFolded();
      }
    });
  }

  get folded(): boolean { return this.userFolded ?? this.autoFolded; }

  /** Lays out for a new orientation or size of the split (its length along the axis, in px). */
  arrange(orientation: LayoutMode['details'], length: number, foldByDefault: boolean): void {
    this.orientation = orientation;
    this.length = length;
    this.autoFolded = foldByDefault;
    this.apply();
  }

  toggleFolded(): void {
    this.userFolded = !this.folded;
    this.apply();
    this.onChange();
  }

  unfold(): void {
    if (!this.folded) return;
    this.userFolded = false;
    this.apply();
  }

  save(): SavedSplit { return { fraction: { ...this.fraction }, folded: this.userFolded }; }

  restore(saved: SavedSplit | undefined): void {
    if (!saved) return;
    for (const o of ['side', 'bottom'] as const) {
      const f = saved.fraction?.[o];
      if (typeof f === 'number' && f > 0 && f < 1) this.fraction[o] = f;
    }
    if (typeof saved.folded === 'boolean') this.userFolded = saved.folded;
    this.apply();
  }

  private setFraction(fraction: number): void {
    this.fraction[this.orientation] = Math.min(0.6, Math.max(0.05, fraction));
    this.userFolded = false;
    this.apply();
    this.onChange();
  }

  private apply(): void {
    const size = this.folded ? FOLDED_DETAILS_PX : detailsSizePx(this.orientation, this.fraction[this.orientation], this.length);
    this.element.classList.toggle('side', this.orientation === 'side');
    this.element.classList.toggle('bottom', this.orientation === 'bottom');
    this.element.classList.toggle('folded', this.folded);
    this.element.style.setProperty('--details-size', `${size}px`);
    this.splitter.setAttribute('aria-orientation', this.orientation === 'side' ? 'vertical' : 'horizontal');
    this.splitter.setAttribute('aria-valuenow', String(Math.round((size / Math.max(1, this.length)) * 100)));
    this.details.classList.toggle('folded', this.folded);
  }

  private drag(start: PointerEvent): void {
    start.preventDefault();
    this.splitter.setPointerCapture(start.pointerId);
    const box = this.element.getBoundingClientRect();
    const move = (e: PointerEvent): void => {
      const fromEnd = this.orientation === 'side' ? box.right - e.clientX : box.bottom - e.clientY;
      this.fraction[this.orientation] = Math.min(0.6, Math.max(0.05, fromEnd / Math.max(1, this.length)));
      this.userFolded = false;
      this.apply();
    };
    const end = (): void => {
      this.splitter.removeEventListener('pointermove', move);
      this.splitter.removeEventListener('pointerup', end);
      this.onChange();
    };
    this.splitter.addEventListener('pointermove', move);
    this.splitter.addEventListener('pointerup', end);
  }
}
