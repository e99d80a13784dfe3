// The tape list folded into a drop-down for narrow panels: it sits in the graph's toolbar, newest first.
import type { TapeTrace } from '../../engine/trace/trace_format';
import { el } from '../dom';
import { newestFirst, tapeOneLine } from './tape_summary';

export class TapePicker {
  readonly element: HTMLSelectElement;

  constructor(choose: (tapeId: number) => void) {
    this.element = el('select', { class: 'tape-picker', attrs: { 'aria-label': 'Tape to show' } });
    this.element.addEventListener('change', () => choose(Number(this.element.value)));
    this.show([], undefined);
  }

  show(tapes: TapeTrace[], selected: number | undefined): void {
    const options = newestFirst(tapes).map((tape) => {
      const option = el('option', { text: tapeOneLine(tape), attrs: { value: tape.tapeId } });
      option.selected = tape.tapeId === selected;
      return option;
    });
    this.element.replaceChildren(...(options.length > 0 ? options : [el('option', { text: 'No tapes yet' })]));
    this.element.disabled = options.length === 0;
    this.element.title = options.find((o) => o.selected)?.textContent ?? '';
  }
}
