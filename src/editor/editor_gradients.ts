// What the editor shows of a run's tapes, Quokka-style: on each line that bound a recorded tensor its value and
// gradient, on each gradient() line what it returned, and for each name the hover (value, shape, gradient). Pure:
// it reads the traces and the lines' text (for the binding names), so it is tested without VS Code.
import type { GradientCall, TapeTrace, TensorSummary, TraceTensor } from '../../engine/trace/trace_format';
import { isWidenedFloat32, shortestDecimal } from '../../engine/tensor/float_text';

export interface LineGradient {
  /** 1-based line. */
  line: number;
  text: string;
}

export interface NameHover {
  name: string;
  /** 1-based line where it is shown or bound. */
  line: number;
  value?: TensorSummary;
  shape: number[];
  dtype: string;
  /** The gradient of the last gradient() call's target with respect to it; null when None. */
  grad?: TensorSummary | null;
  tapeId: number;
  tensorId: number;
}

export interface EditorGradients {
  lines: LineGradient[];
  hovers: Map<string, NameHover>;
}

const BINDING = /^\s*(?:(?:export\s+)?(?:const|let|var)\s+)?([A-Za-z_$][\w$]*)\s*(?::[^=]+)?=(?!=)/;
const GRADIENT_CALL = /\.gradient\(\s*([^,]+?)\s*,\s*(\[[^\]]*\]|[A-Za-z_$][\w$]*)/;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function numberText(x: number | string): string {
  if (typeof x === 'string') return x === 'Infinity' ? 'inf' : x === '-Infinity' ? '-inf' : 'nan';
  if (x === 0 || !Number.isFinite(x)) return String(x);
  const abs = Math.abs(x);
  if (abs >= 1e5 || abs < 1e-4) return x.toExponential(3);
  return isWidenedFloat32(x) ? shortestDecimal(x, 'float32') : Number(x.toPrecision(6)).toString();
}

/** A summary in a few characters: a scalar's value, a few values, else shape and norm. */
export function shortSummary(s: TensorSummary | null | undefined): string {
  if (s === null) return 'None';
  if (s === undefined) return '?';
  if (s.values && s.size === 1) return numberText(s.values[0]);
  if (s.values && s.size <= 4) return `[${s.values.map(numberText).join(', ')}]`;
  return `(${s.shape.join(', ')}) ‖·‖ ${numberText(Number(s.l2.toPrecision(3)))}`;
}

function namesOf(argument: string): string[] | undefined {
  const text = argument.trim().replace(/^\[|\]$/g, '');
  const names = text.split(',').map((n) => n.trim()).filter(Boolean);
  return names.every((n) => IDENTIFIER.test(n)) ? names : undefined;
}

/**
 * The inline texts and hovers for `file` from a run's tapes (later tapes win a shared line or name).
 * @param lineText the text of a 1-based line of the file, for the names it binds
 */
export function editorGradients(tapes: readonly TapeTrace[], file: string, lineText: (line: number) => string | undefined): EditorGradients {
  const lines = new Map<number, string>();
  const hovers = new Map<string, NameHover>();
  for (const tape of tapes) {
    const tensor = (id: number): TraceTensor | undefined => tape.tensors.find((t) => t.id === id);
    const hover = (name: string, line: number, id: number, grad?: TensorSummary | null): void => {
      const t = tensor(id);
      if (!t) return;
      hovers.set(name, { name, line, value: t.value, shape: t.shape, dtype: t.dtype, grad: grad !== undefined ? grad : t.grad, tapeId: tape.tapeId, tensorId: id });
    };
    // the last op recorded on a line made the tensor that line binds
    const lastOnLine = new Map<number, number>();
    for (const node of tape.nodes) if (node.kind === 'op' && node.source?.file === file && node.recordedDuringGradientOf === undefined) lastOnLine.set(node.source.line, node.output);
    for (const [line, id] of lastOnLine) {
      const name = lineText(line)?.match(BINDING)?.[1];
      const t = tensor(id);
      if (!name || !t) continue;
      lines.set(line, `${name} = ${shortSummary(t.value)}${t.grad !== undefined ? `   ∂ ${shortSummary(t.grad)}` : ''}`);
      hover(name, line, id);
    }
    for (const call of tape.gradientCalls) {
      if (call.source?.file !== file) continue;
      describeGradientCall(call, lineText(call.source.line) ?? '', tape, lines, hover);
    }
  }
  return { lines: [...lines].map(([line, text]) => ({ line, text })).sort((a, b) => a.line - b.line), hovers };
}

function describeGradientCall(call: GradientCall, text: string, tape: TapeTrace, lines: Map<number, string>,
  hover: (name: string, line: number, id: number, grad?: TensorSummary | null) => void): void {
  const line = call.source!.line;
  const match = text.match(GRADIENT_CALL);
  const targetNames = match ? namesOf(match[1]) : undefined;
  const sourceNames = match ? namesOf(match[2]) : undefined;
  const target = targetNames?.length === 1 ? targetNames[0] : 'target';
  const parts = call.sources.map((id, k) => {
    const name = sourceNames?.length === call.sources.length ? sourceNames[k] : tape.tensors.find((t) => t.id === id)?.name ?? `source ${k + 1}`;
    const result = call.results?.[k];
    if (sourceNames?.length === call.sources.length) hover(name, line, id, result === undefined ? undefined : result?.value ?? null);
    return `∂${target}/∂${name} = ${result === undefined ? '?' : shortSummary(result?.value ?? null)}`;
  });
  if (targetNames?.length === call.targets.length) targetNames.forEach((name, k) => hover(name, line, call.targets[k]));
  lines.set(line, parts.join(', '));
}

/** A name whose gradient (or value) differs from the previous run of the same cell. */
export interface GradientChange {
  name: string;
  line: number;
  what: 'gradient' | 'value';
  before: string;
  after: string;
}

/** What changed between two runs of a cell, name by name: gradients first, then values; new and vanished names too. */
export function changedGradients(previous: EditorGradients, current: EditorGradients): GradientChange[] {
  const changes: GradientChange[] = [];
  for (const [name, now] of current.hovers) {
    const was = previous.hovers.get(name);
    const before = was ? shortSummary(was.grad) : 'absent';
    const after = shortSummary(now.grad);
    if (before !== after) changes.push({ name, line: now.line, what: 'gradient', before, after });
    else if (was && shortSummary(was.value) !== shortSummary(now.value)) {
      changes.push({ name, line: now.line, what: 'value', before: shortSummary(was.value), after: shortSummary(now.value) });
    }
  }
  for (const [name, was] of previous.hovers) {
    if (!current.hovers.has(name)) changes.push({ name, line: was.line, what: 'gradient', before: shortSummary(was.grad), after: 'absent' });
  }
  return changes;
}

/** The inline text of each line with the changes since the previous run flagged on it. */
export function flagChanges(lines: readonly LineGradient[], changes: readonly GradientChange[]): LineGradient[] {
  const byLine = new Map(lines.map((l) => [l.line, l.text]));
  for (const c of changes) {
    const flag = `⚠ ${c.what === 'gradient' ? '∂' : ''}${c.name} changed: ${c.before} → ${c.after}`;
    const text = byLine.get(c.line);
    byLine.set(c.line, text ? `${text}   ${flag}` : flag);
  }
  return [...byLine].map(([line, text]) => ({ line, text })).sort((a, b) => a.line - b.line);
}
