// The tape list folded into a drop-down for narrow panels: it sits in the graph's toolbar, newest first.
import type { TapeTrace } from '../../engine/trace/trace_format';
import { el } from '../dom';
import { listedTapes, runCountsText, tapeOneLine } from './tape_summary';

/** The picker's last entry, when the run has internal tapes: shows or hides them. */
const INTERNAL_OPTION = 'internal';

export class TapePicker {
  readonly element: HTMLSelectElement;
  private showingInternal = false;

  constructor(choose: (tapeId: number) => void, toggleInternal: (show: boolean) => void) {
    this.element = el('select', { class: 'tape-picker', attrs: { 'aria-label': 'Tape to show' } });
    this.element.addEventListener('change', () => {
      if (this.element.value === INTERNAL_OPTION) toggleInternal(!this.showingInternal);
      else choose(Number(this.element.value));
    });
    this.show([], undefined, false);
  }

  show(tapes: TapeTrace[], selected: number | undefined, showInternal: boolean): void {
    this.showingInternal = showInternal;
    const options: HTMLElement[] = listedTapes(tapes, showInternal).map((tape) => {
      const option = el('option', { text: tapeOneLine(tape), attrs: { value: tape.tapeId } });
      option.selected = tape.tapeId === selected;
      return option;
    });
    if (options.length > 0) options.unshift(el('option', { text: runCountsText(tapes, showInternal), attrs: { disabled: true } }));
    if (tapes.some((t) => t.internal !== undefined)) {
      options.push(el('option', { text: showInternal ? 'Hide internal tapes' : 'Show internal tapes', attrs: { value: INTERNAL_OPTION } }));
    }
    this.element.replaceChildren(...(options.length > 0 ? options : [el('option', { text: 'No tapes yet' })]));
    this.element.disabled = options.length === 0;
    this.element.title = options.find((o) => (o as HTMLOptionElement).selected)?.textContent ?? '';
  }
}
