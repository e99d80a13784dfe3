// The tapes recorded by the last run, newest first, as a column of entries (wide panels) — which
// cell, persistent or not, the op count and what gradient() was asked for (targets and sources).
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RunInfo } from '../../src/protocol/inspector_messages';
import { el } from '../dom';
import { newestFirst, opCountText, targetsAndSources } from './tape_summary';

export class TapeList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly caption: HTMLElement;

  constructor(private readonly choose: (tapeId: number) => void) {
    this.caption = el('div', { class: 'tape-list-caption' });
    this.list = el('ol', { class: 'tapes' });
    this.element = el('nav', { class: 'tape-list', attrs: { 'aria-label': 'Recorded tapes' } }, this.caption, this.list);
    this.show(undefined, [], undefined);
  }

  show(run: RunInfo | undefined, tapes: TapeTrace[], selected: number | undefined): void {
    this.caption.textContent = run
      ? `${run.label ?? run.cellTitle} — ${tapes.length} tape${tapes.length === 1 ? '' : 's'}`
      : 'No tapes yet. Run a cell that records a tf.GradientTape.';
    if (run) this.caption.title = `${run.file}:${run.line} (run ${run.runId})`;
    this.list.replaceChildren(...newestFirst(tapes).map((tape) => {
      const { targets, sources } = targetsAndSources(tape);
      const lines = [
        `#${tape.order} ${tape.label}`,
        `${tape.persistent ? 'persistent' : 'non-persistent'} · ${tape.mode} · ${opCountText(tape)}`,
        `targets: ${targets}`,
        `sources: ${sources}`,
      ];
      if (tape.parentTapeId !== undefined) lines.push(`nested inside tape ${tape.parentTapeId}`);
      if (tape.childTapeIds.length > 0) lines.push(`contains tape${tape.childTapeIds.length === 1 ? '' : 's'} ${tape.childTapeIds.join(', ')}`);
      const button = el('button', {
        class: 'tape-entry',
        attrs: { type: 'button', 'data-tape-id': tape.tapeId, 'aria-pressed': String(tape.tapeId === selected) },
      }, ...lines.map((text, i) => el('span', { class: i === 0 ? 'tape-title' : 'tape-meta', text })));
      button.addEventListener('click', () => this.choose(tape.tapeId));
      return el('li', {}, button);
    }));
  }
}
