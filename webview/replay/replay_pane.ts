// The backward-pass replay: steps through a gradient() call in the order the engine ran it. Step 0 seeds the
// targets; each later step differentiates one node, showing the gradient it received, its local rule and what it
// sent along each edge, with the running sum where a tensor receives several contributions. The graph highlights
// the node and labels the edges traversed so far (see graph_overlay.ts).
import type { BackwardPass, EdgeContribution, TapeTrace } from '../../engine/trace/trace_format';
import { el } from '../dom';
import type { GraphView } from '../graph/graph_view';
import { tensorDisplayName } from '../graph/names';
import type { DetailsPane } from '../layout/inspector_view';
import { summaryText } from './gradient_text';
import { localRule } from './local_rules';
import { ReplayOverlay } from './graph_overlay';
import type { GradientGroup } from './higher_order';

/** Steps per second at each speed the player offers. */
const SPEEDS = [0.5, 1, 2, 4];

export class ReplayPane implements DetailsPane {
  readonly id = 'replay';
  readonly title = 'Backward pass';
  readonly element: HTMLElement;
  private readonly callPicker = el('select', { class: 'replay-call', attrs: { 'aria-label': 'gradient() call to replay' } });
  private readonly slider = el('input', { class: 'replay-slider', attrs: { type: 'range', min: 0, max: 0, value: 0, 'aria-label': 'Replay step' } });
  private readonly playButton = el('button', { class: 'replay-play', text: '▶', attrs: { type: 'button', title: 'Play / pause', 'aria-label': 'Play' } });
  private readonly speedPicker = el('select', { class: 'replay-speed', attrs: { 'aria-label': 'Replay speed (steps per second)' } });
  private readonly position = el('span', { class: 'replay-position', attrs: { 'aria-live': 'polite' } });
  private readonly body = el('div', { class: 'replay-step' });
  private readonly overlay: ReplayOverlay;
  private trace: TapeTrace | undefined;
  private pass: BackwardPass | undefined;
  private callIndex = -1;
  private step = 0;
  /** Held-back passes already asked for (until answered): one request each, however often the pane is opened. */
  private readonly requested = new WeakSet<BackwardPass>();
  private timer: ReturnType<typeof setInterval> | undefined;

  /** `groupOf` names the inner gradient() computation a node of the shown tape was recorded in, if any. */
  constructor(graph: GraphView, private readonly groupOf: (nodeId: string) => GradientGroup | undefined = () => undefined,
    private readonly openTape: (tapeId: number) => void = () => {},
    private readonly requestSteps: (tapeId: number, call: number) => void = () => {}) {
    this.overlay = new ReplayOverlay(graph);
    const button = (text: string, label: string, go: () => void): HTMLButtonElement => {
      const b = el('button', { text, attrs: { type: 'button', title: label, 'aria-label': label } });
      b.addEventListener('click', go);
      return b;
    };
    for (const s of SPEEDS) this.speedPicker.append(el('option', { text: `${s}×`, attrs: { value: s, selected: s === 1 } }));
    this.speedPicker.addEventListener('change', () => { if (this.timer !== undefined) this.play(); });
    this.playButton.addEventListener('click', () => (this.timer === undefined ? this.play() : this.pause()));
    this.slider.addEventListener('input', () => { this.pause(); this.go(Number(this.slider.value)); });
    this.callPicker.addEventListener('change', () => this.choosePass(Number(this.callPicker.value)));
    const controls = el('div', { class: 'replay-controls' },
      this.callPicker,
      button('«', 'First step (seed)', () => { this.pause(); this.go(0); }),
      button('◀', 'Previous step (←)', () => { this.pause(); this.go(this.step - 1); }),
      this.playButton,
      button('▶|', 'Next step (→)', () => { this.pause(); this.go(this.step + 1); }),
      button('»', 'Last step', () => { this.pause(); this.go(this.lastStep); }),
      this.speedPicker, this.slider, this.position);
    this.element = el('section', { class: 'replay-pane', attrs: { 'aria-label': 'Backward pass replay', tabindex: 0 } }, controls, this.body);
    this.element.addEventListener('keydown', (event) => {
      if (event.target instanceof HTMLSelectElement) return;
      if (event.key === 'ArrowRight') { this.pause(); this.go(this.step + 1); event.preventDefault(); }
      if (event.key === 'ArrowLeft') { this.pause(); this.go(this.step - 1); event.preventDefault(); }
    });
    this.showEmpty('Select a tape whose gradient was taken to replay its backward pass.');
  }

  tapeChanged(trace: TapeTrace | undefined): void {
    this.pause();
    this.trace = trace;
    this.callPicker.replaceChildren();
    const calls = trace?.gradientCalls ?? [];
    calls.forEach((call, i) => {
      if (!call.backward) return;
      const of = (ids: number[]): string => ids.map((id) => tensorDisplayName(trace!, id)).join(', ');
      this.callPicker.append(el('option', { text: `gradient ${i + 1}: d(${of(call.targets)}) / d(${of(call.sources)})`, attrs: { value: i } }));
    });
    const last = [...calls.keys()].reverse().find((i) => calls[i].backward);
    this.callPicker.hidden = this.callPicker.options.length < 2;
    if (last === undefined) {
      this.pass = undefined;
      this.overlay.clear();
      this.showEmpty(trace ? 'This tape has no recorded backward pass (no gradient() was taken while capturing).' : 'No tape selected.');
      return;
    }
    this.callPicker.value = String(last);
    this.choosePass(last);
  }

  shown(): void {
    if (this.waitingForSteps()) return;
    this.render();
  }

  /** The host answered a request: the pass it filled in (`stepsArrived`) or why it could not (`stepsMissing`). */
  stepsArrived(tapeId: number, call: number): void {
    if (this.trace?.tapeId === tapeId && this.callIndex === call) this.choosePass(call);
  }

  stepsMissing(tapeId: number, call: number, why: string): void {
    const pass = this.trace?.gradientCalls[call]?.backward;
    if (pass) this.requested.delete(pass);
    if (this.trace?.tapeId === tapeId && this.callIndex === call) this.showEmpty(why);
  }

  /** True while the shown pass's steps are still with the host; asks for them once the pane is on screen. */
  private waitingForSteps(): boolean {
    const pass = this.pass, trace = this.trace;
    if (!pass || !trace || pass.deferredSteps === undefined) return false;
    const onScreen = this.element.isConnected && this.element.closest('[hidden]') === null;
    if (onScreen && !this.requested.has(pass)) {
      this.requested.add(pass);
      this.requestSteps(trace.tapeId, this.callIndex);
    }
    this.showEmpty(`Loading steps… (${pass.deferredSteps.toLocaleString('en-US')} steps of a large tape come from the extension when the replay opens)`);
    return true;
  }

  graphDrawn(): void {
    this.overlay.invalidate();
    if (this.trace && this.pass) this.paintOverlay();
  }

  private paintOverlay(): void {
    const pass = this.pass!;
    const current = this.step === 0 ? undefined : pass.steps[this.step - 1].node;
    this.overlay.show(this.trace!, current, pass.steps.slice(0, this.step), pass.seeds.map((s) => s.tensor), current === undefined ? undefined : this.groupOf(current)?.innerTapeId);
  }

  private get lastStep(): number {
    return this.pass?.steps.length ?? 0;
  }

  private choosePass(index: number): void {
    this.pause();
    this.callIndex = index;
    this.pass = this.trace?.gradientCalls[index]?.backward;
    this.slider.max = String(this.lastStep);
    this.step = 0;
    if (this.waitingForSteps()) return;
    this.go(0);
  }

  private go(step: number): void {
    if (!this.pass || this.pass.deferredSteps !== undefined) return;
    this.step = Math.max(0, Math.min(this.lastStep, step));
    this.render();
  }

  private play(): void {
    if (!this.pass || this.pass.deferredSteps !== undefined) return;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.step >= this.lastStep) this.go(0);
    this.playButton.textContent = '⏸';
    this.playButton.setAttribute('aria-label', 'Pause');
    this.timer = setInterval(() => {
      this.go(this.step + 1);
      if (this.step >= this.lastStep) this.pause();
    }, 1000 / Number(this.speedPicker.value));
  }

  private pause(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    this.playButton.textContent = '▶';
    this.playButton.setAttribute('aria-label', 'Play');
  }

  private showEmpty(message: string): void {
    this.position.textContent = '';
    this.slider.disabled = true;
    this.body.replaceChildren(el('p', { class: 'hint', text: message }));
  }

  private render(): void {
    const trace = this.trace, pass = this.pass;
    if (!trace || !pass) return;
    this.slider.disabled = false;
    this.slider.value = String(this.step);
    this.position.textContent = `step ${this.step} of ${this.lastStep}`;
    const name = (id: number): string => tensorDisplayName(trace, id);
    this.paintOverlay();
    if (this.step === 0) {
      this.body.replaceChildren(
        el('h3', { class: 'replay-title', text: 'Step 0: seed the target' }),
        el('ul', { class: 'replay-seeds' }, ...pass.seeds.map((s) =>
          el('li', { class: 'replay-seed' }, el('span', { class: 'tensor-name', text: name(s.tensor) }),
            el('span', { text: ' receives the seed ' }), el('span', { class: 'replay-number', text: summaryText(s.value) })))),
        el('p', { class: 'hint', text: 'd target / d target = 1 (or the outputGradients given). Step forward to push it back through the tape.' }));
      return;
    }
    const step = pass.steps[this.step - 1];
    const node = trace.nodes.find((n) => n.id === step.node)!;
    const contributionsTo = new Map<number, number>();
    for (const s of pass.steps) for (const e of s.sends) contributionsTo.set(e.tensor, (contributionsTo.get(e.tensor) ?? 0) + 1);
    const row = (e: EdgeContribution): HTMLElement => {
      const several = (contributionsTo.get(e.tensor) ?? 0) > 1;
      return el('tr', { class: 'replay-send' },
        el('td', { class: 'tensor-name', text: name(e.tensor) }),
        el('td', { class: 'replay-contribution replay-number', text: summaryText(e.contribution) }),
        el('td', { class: 'replay-sum', text: several ? `running sum ${summaryText(e.total)} (${e.count} of ${contributionsTo.get(e.tensor)})` : '' }));
    };
    const group = this.groupOf(node.id);
    let inGroup: HTMLElement | null = null;
    if (group) {
      const open = el('button', { class: 'tape-link', text: 'open inner tape', attrs: { type: 'button', 'data-tape': group.innerTapeId } });
      open.addEventListener('click', () => this.openTape(group.innerTapeId));
      inGroup = el('p', { class: 'replay-group' }, el('span', { text: 'inside ' }), el('span', { class: 'replay-group-label', text: group.label }), el('span', { text: ' · ' }), open);
    }
    this.body.replaceChildren(
      el('h3', { class: 'replay-title', text: `Step ${this.step}: ${node.op} → ${name(node.output)}` }),
      ...(inGroup ? [inGroup] : []),
      el('p', { class: 'replay-incoming' }, el('span', { text: 'incoming gradient dy = ' }), el('span', { class: 'replay-number', text: summaryText(step.incoming) })),
      el('p', { class: 'replay-rule' }, el('span', { text: 'local rule: ' }), el('code', { class: 'replay-rule-text', text: localRule(node.op) })),
      step.sends.length === 0 ? el('p', { class: 'hint', text: 'No input leads to a source: nothing is sent.' })
        : el('table', { class: 'replay-sends' },
          el('thead', {}, el('tr', {}, el('th', { text: 'sends to' }), el('th', { text: 'contribution' }), el('th', { text: 'sum at that tensor' }))),
          el('tbody', {}, ...step.sends.map(row))));
  }
}
