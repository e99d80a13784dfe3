// The side panel for the selected node: its value and the gradient of the target with respect to it — or,
// for a source whose gradient is None, why — first (beside the editor the pane is short), then what it is.
import type { TapeTrace } from '../../engine/trace/trace_format';
import type { RevealSourceMessage } from '../../src/protocol/inspector_messages';
import type { ViewNode } from '../graph/view_graph';
import { shapeText } from '../graph/view_graph';
import { tensorDisplayName } from '../graph/names';
import { renderTensorSummary } from './tensor_view';
import type { DetailsPane } from '../layout/inspector_view';
import { attrRows, opLabel } from '../graph/window_label';

export class NodeDetails implements DetailsPane {
  readonly id = 'node';
  readonly title = 'Node';
  readonly element: HTMLElement;

  constructor(private readonly revealSource: (at: RevealSourceMessage) => void) {
    this.element = document.createElement('aside');
    this.element.className = 'node-details';
    this.element.setAttribute('aria-label', 'Selected node');
    this.element.setAttribute('aria-live', 'polite');
    this.showNothing();
  }

  showNothing(): void {
    this.element.innerHTML = '<p class="hint">Select a node (click, or focus the graph and use the arrow keys) to see its value and gradient.</p>';
  }

  show(node: ViewNode, trace: TapeTrace): void {
    const tensor = node.tensor;
    const traceNode = node.node;
    this.element.innerHTML = '';
    const title = document.createElement('h2');
    title.className = 'details-title';
    title.textContent = traceNode?.kind === 'op' && tensor?.name ? `${opLabel(traceNode)} → ${tensor.name}` : node.title;
    this.element.append(title);

    const facts = document.createElement('dl');
    facts.className = 'facts';
    const fact = (name: string, value: string): void => {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value;
      facts.append(dt, dd);
    };
    if (traceNode) {
      fact('node', `${traceNode.id} · tensor ${traceNode.output}`);
      fact('kind', traceNode.kind === 'op' ? `op ${traceNode.op}` : `${tensor?.kind ?? 'tensor'}`);
      if (traceNode.label !== node.title) fact('label', traceNode.label);
      const inputs = traceNode.inputs.map((id) => trace.tensors.find((t) => t.id === id))
        .map((t) => (t ? `${tensorDisplayName(trace, t.id)} ${shapeText(t.shape)}` : '?'));
      if (inputs.length > 0) fact('inputs', inputs.join(', '));
      if (traceNode.argNames || traceNode.inFunction) {
        const passed = traceNode.argNames ? `(${traceNode.argNames.map((a) => a ?? '…').join(', ')})` : '';
        fact('called', `${traceNode.op}${passed}${traceNode.inFunction ? ` inside ${traceNode.inFunction}` : ''}`);
      }
      if (traceNode.scope.length > 0) fact('scope', traceNode.scope.join(' / '));
      for (const [name, value] of attrRows(traceNode.attrs)) fact(name, value);
    }
    if (tensor) fact('output', `${shapeText(tensor.shape)} ${tensor.dtype}`);
    const roles = [node.isSource ? 'source of gradient()' : '', node.isTarget ? 'target of gradient()' : ''].filter(Boolean);
    if (roles.length > 0) fact('role', roles.join(', '));
    if (node.nestedTapeId !== undefined) {
      fact('recorded', `while tape ${node.nestedTapeId} computed a gradient — a second-order node`);
    }
    const about = document.createElement('section');
    about.className = 'details-about';
    about.append(heading('Node'), facts);
    if (traceNode?.source) {
      const at = traceNode.source;
      const link = document.createElement('button');
      link.type = 'button';
      link.className = 'source-link';
      link.textContent = `${at.file.split(/[\\/]/).pop()}:${at.line}`;
      link.title = `Show ${at.file}:${at.line} in the editor`;
      link.addEventListener('click', () => this.revealSource({ type: 'revealSource', file: at.file, line: at.line, column: at.column }));
      about.append(link);
    }
    if (traceNode?.numericsFault) {
      const fault = document.createElement('div');
      fault.className = 'numerics-alert';
      fault.setAttribute('role', 'alert');
      fault.textContent = `⚠ NaN/Inf first appeared here in the ${traceNode.numericsFault === 'forward' ? 'forward value' : 'gradient'}.`;
      this.element.append(fault);
    }

    const value = document.createElement('section');
    value.className = 'details-value';
    value.append(heading('Value'));
    value.append(tensor?.value ? renderTensorSummary(tensor.value, 'value') : note('No value recorded.'));
    this.element.append(value);

    const grad = document.createElement('section');
    grad.className = 'details-gradient';
    grad.append(heading('Gradient'));
    if (tensor?.grad) {
      grad.append(renderTensorSummary(tensor.grad, 'd target / d this'));
    } else if (tensor?.grad === null) {
      const none = document.createElement('div');
      none.className = 'null-gradient';
      const why = tensor.nullExplanation ?? (tensor.nullReason ? `reason: ${tensor.nullReason}` : 'No gradient flows to this tensor from the target.');
      none.innerHTML = '<strong>None</strong> ';
      const text = document.createElement('span');
      text.className = 'null-explanation';
      text.textContent = why;
      none.append(text);
      if (tensor.nullReason) none.dataset.reason = tensor.nullReason;
      grad.append(none);
    } else {
      grad.append(note(trace.gradientCalls.length === 0 ? 'gradient() was not called on this tape.' : 'No gradient recorded for this node.'));
    }
    this.element.append(grad, about);
  }
}

function heading(text: string): HTMLElement {
  const h = document.createElement('h3');
  h.textContent = text;
  return h;
}

function note(text: string): HTMLElement {
  const p = document.createElement('p');
  p.className = 'hint';
  p.textContent = text;
  return p;
}
