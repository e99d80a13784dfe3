// The tapes recorded by the last run, newest first, as a column of entries (wide panels) — which
// cell, persistent or not, the op count and what gradient() was asked for (targets and sources).
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RunInfo } from '../../src/protocol/inspector_messages';
import { el } from '../dom';
import { listedTapes, opCountText, runCountsText, stopText, targetsAndSources } from './tape_summary';

export class TapeList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly caption: HTMLElement;
  private readonly counts: HTMLElement;
  private readonly internalToggle: HTMLInputElement;

  constructor(private readonly choose: (tapeId: number) => void, toggleInternal: (show: boolean) => void) {
    this.caption = el('div', { class: 'tape-list-caption' });
    this.counts = el('div', { class: 'tape-counts hint' });
    this.internalToggle = el('input', { class: 'show-internal', attrs: { type: 'checkbox' } });
    this.internalToggle.addEventListener('change', () => toggleInternal(this.internalToggle.checked));
    const internal = el('label', { class: 'toggle internal-toggle', attrs: { title: "Tapes the engine records for itself (ForwardAccumulator, computeGradient)" } }, this.internalToggle, ' internal tapes');
    this.list = el('ol', { class: 'tapes' });
    this.element = el('nav', { class: 'tape-list', attrs: { 'aria-label': 'Recorded tapes' } }, this.caption, this.counts, internal, this.list);
    this.show(undefined, [], undefined, false);
  }

  show(run: RunInfo | undefined, tapes: TapeTrace[], selected: number | undefined, showInternal: boolean): void {
    this.caption.textContent = run ? run.label ?? run.cellTitle : 'No tapes yet. Run a cell that records a tf.GradientTape.';
    this.counts.textContent = run ? runCountsText(tapes, showInternal) : '';
    this.internalToggle.checked = showInternal;
    (this.internalToggle.parentElement as HTMLElement).hidden = !tapes.some((t) => t.internal !== undefined);
    if (run) this.caption.title = `${run.file}:${run.line} (run ${run.runId})`;
    this.list.replaceChildren(...listedTapes(tapes, showInternal).map((tape) => {
      const { targets, sources } = targetsAndSources(tape);
      const lines = [
        `#${tape.order} ${tape.label}`,
        `${tape.persistent ? 'persistent' : 'non-persistent'} · ${tape.mode} · ${opCountText(tape)}`,
        `targets: ${targets}`,
        `sources: ${sources}`,
      ];
      const stop = stopText(tape);
      if (stop) lines.push(stop);
      if (tape.internal) lines.push(`internal: ${tape.internal}`);
      if (tape.parentTapeId !== undefined) lines.push(`nested inside tape ${tape.parentTapeId}`);
      if (tape.childTapeIds.length > 0) lines.push(`contains tape${tape.childTapeIds.length === 1 ? '' : 's'} ${tape.childTapeIds.join(', ')}`);
      const button = el('button', {
        class: 'tape-entry',
        attrs: { type: 'button', 'data-tape-id': tape.tapeId, 'aria-pressed': String(tape.tapeId === selected) },
      }, ...lines.map((text, i) => el('span', { class: i === 0 ? 'tape-title' : text === stop ? 'tape-meta tape-stopped' : 'tape-meta', text })));
      button.addEventListener('click', () => this.choose(tape.tapeId));
      return el('li', {}, button);
    }));
  }
}
