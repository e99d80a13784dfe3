// The tapes recorded by the last run, one entry each: which cell, in what order, persistent or
// not, and what gradient() was asked for (targets and sources).
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RunInfo } from '../../src/protocol/inspector_messages';

export class TapeList {
  readonly element: HTMLElement;
  private readonly list: HTMLOListElement;
  private readonly caption: HTMLElement;

  constructor(private readonly choose: (tapeId: number) => void) {
    this.element = document.createElement('nav');
    this.element.className = 'tape-list';
    this.element.setAttribute('aria-label', 'Recorded tapes');
    this.caption = document.createElement('div');
    this.caption.className = 'tape-list-caption';
    this.list = document.createElement('ol');
    this.list.className = 'tapes';
    this.element.append(this.caption, this.list);
    this.show(undefined, [], undefined);
  }

  show(run: RunInfo | undefined, tapes: TapeTrace[], selected: number | undefined): void {
    this.caption.textContent = run
      ? `${run.label ?? run.cellTitle} — ${tapes.length} tape${tapes.length === 1 ? '' : 's'}`
      : 'No tapes yet. Run a cell that records a tf.GradientTape.';
    if (run) this.caption.title = `${run.file}:${run.line} (run ${run.runId})`;
    this.list.innerHTML = '';
    for (const tape of [...tapes].sort((a, b) => a.order - b.order)) {
      const item = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'tape-entry';
      button.dataset.tapeId = String(tape.tapeId);
      button.setAttribute('aria-pressed', String(tape.tapeId === selected));
      const names = (ids: number[]): string => ids.map((id) => {
        const t = tape.tensors.find((x) => x.id === id);
        const producer = tape.nodes.find((n) => n.output === id && n.kind === 'op');
        return t?.name ?? (producer ? `${producer.op} output` : `tensor ${id}`);
      }).join(', ') || '—';
      const ops = tape.nodes.filter((n) => n.kind === 'op').length;
      const targets = [...new Set(tape.gradientCalls.flatMap((g) => g.targets))];
      const sources = [...new Set(tape.gradientCalls.flatMap((g) => g.sources))];
      const lines = [
        `#${tape.order} ${tape.label}`,
        `${tape.persistent ? 'persistent' : 'non-persistent'} · ${tape.mode} · ${ops} op${ops === 1 ? '' : 's'}${tape.truncated ? ` (of ${tape.totalNodes}, truncated)` : ''}`,
        `targets: ${names(targets)}`,
        `sources: ${names(sources)}`,
      ];
      if (tape.parentTapeId !== undefined) lines.push(`nested inside tape ${tape.parentTapeId}`);
      if (tape.childTapeIds.length > 0) lines.push(`contains tape${tape.childTapeIds.length === 1 ? '' : 's'} ${tape.childTapeIds.join(', ')}`);
      lines.forEach((text, i) => {
        const span = document.createElement('span');
        span.className = i === 0 ? 'tape-title' : 'tape-meta';
        span.textContent = text;
        button.append(span);
      });
      button.addEventListener('click', () => this.choose(tape.tapeId));
      item.append(button);
      this.list.append(item);
    }
  }
}
