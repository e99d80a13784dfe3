// Messages between the extension host and the inspector webview, declared once.
// The webview treats everything it receives as untrusted and the host does the same with the
// webview: both run these validators, and a malformed message is rejected with the reason.
import {
  DTYPES, INTERNAL_TAPE_KINDS, JACOBIAN_KINDS, MAX_HEATMAP_SIDE, MAX_IMAGE_GRID_VALUES, MAX_INLINE_VALUES, NODE_KINDS, NULL_GRADIENT_REASONS, NUMERICS_PHASES, TENSOR_KINDS, TRACE_MODES,
  type BackwardStep, type MetricPoint, type TapeTrace, type TensorSummary, type TraceEdge, type TraceNode, type TraceTensor,
} from '../../engine/trace/trace_format';
import {
  isFiniteNumber, isInt, isNumber, isNumberArray, isObject, isOneOf, isRunId, isShape, isString, type Fields,
} from './validation';
import {
  DISTRIBUTION_PERCENTILES, type StepTelemetry, type VariableTelemetry,
} from '../../engine/trace/telemetry_format';

/** Which cell run recorded a set of tapes or logged a set of points. */
export interface RunInfo {
  runId: number;
  cellTitle: string;
  file: string;
  line: number;
  /** The run's name everywhere: the cell's title and its start time ('Train · 23:14:05'). */
  label?: string;
}

export interface ShowTapesMessage { type: 'tapes'; run: RunInfo; tapes: TapeTrace[] }
export interface AddMetricsMessage { type: 'metrics'; runId: number; points: MetricPoint[]; runLabel?: string }
/** Optimizer steps' telemetry for the Gradients view, streamed like metric points. */
export interface AddTelemetryMessage { type: 'telemetry'; runId: number; steps: StepTelemetry[]; runLabel?: string }
/** Bring one part of the inspector to the front (sent when the panel opens because of new data). */
export interface FocusViewMessage { type: 'focus'; view: 'tapes' | 'chart' | 'gradients' }

/** The editor's cursor moved to a line of a file whose ops are drawn: the page highlights that line's nodes. */
export interface CursorLineMessage { type: 'cursor'; file: string; line: number }

/** Select the node that produced a tensor (the editor hover's link): run `runId`'s tape `tapeId`, tensor `tensorId`. */
export interface RevealNodeMessage { type: 'revealNode'; runId: number; tapeId: number; tensorId: number }

/**
 * The answer to requestSteps: gradient call `call` of run `runId`'s tape `tapeId` with its backward steps, or
 * `missing` saying why the host no longer has them (the run dropped from its recent runs).
 */
export interface BackwardStepsMessage { type: 'backwardSteps'; runId: number; tapeId: number; call: number; steps?: BackwardStep[]; missing?: string }

export type HostToInspectorMessage = ShowTapesMessage | AddMetricsMessage | AddTelemetryMessage | FocusViewMessage | CursorLineMessage | RevealNodeMessage
  | BackwardStepsMessage;

export interface InspectorReadyMessage { type: 'ready' }
/** The page cannot download files itself; it asks the host to save an export. */
export interface ExportFileMessage {
  type: 'export';
  format: 'csv' | 'svg' | 'png';
  suggestedName: string;
  /** Text for csv/svg, base64 for png. */
  data: string;
}
export interface RevealSourceMessage { type: 'revealSource'; file: string; line: number; column: number }

/** The page's answer to revealNode: the node it selected (`node` absent: that tape or tensor is not shown). */
export interface NodeRevealedMessage { type: 'nodeRevealed'; tapeId: number; tensorId: number; node?: string }

/** The replay was opened on a gradient call whose steps the host held back (BackwardPass.deferredSteps). */
export interface RequestStepsMessage { type: 'requestSteps'; runId: number; tapeId: number; call: number }

export type InspectorToHostMessage = InspectorReadyMessage | ExportFileMessage | RevealSourceMessage | NodeRevealedMessage | RequestStepsMessage;

export class MalformedInspectorMessageError extends Error {
  constructor(direction: string, why: string) {
    super(`Rejected malformed ${direction} message: ${why}`);
    this.name = 'MalformedInspectorMessageError';
  }
}

/** A summary never carries more values, or heatmap cells, than the producer (engine/trace/summarize.ts) makes. */
const MAX_HEATMAP_CELLS = MAX_HEATMAP_SIDE * MAX_HEATMAP_SIDE;

/** Collects the first reason a value fails; `check` reads like a list of rules. */
class Checker {
  constructor(private readonly direction: string) {}
  check(ok: boolean, why: string): void {
    if (!ok) throw new MalformedInspectorMessageError(this.direction, why);
  }
}

function checkSummary(c: Checker, s: unknown, where: string): asserts s is TensorSummary {
  c.check(isObject(s), `${where} must be a TensorSummary object`);
  const m = s as Fields;
  c.check(isShape(m.shape), `${where}.shape must be non-negative integers`);
  c.check(isOneOf(DTYPES, m.dtype), `${where}.dtype ${JSON.stringify(m.dtype)} is not a dtype`);
  for (const key of ['size', 'nanCount', 'infCount'] as const) c.check(isInt(m[key]), `${where}.${key} must be an integer`);
  // min/max/mean can legitimately be NaN/Infinity in memory; JSON turns those into null.
  for (const key of ['min', 'max', 'mean', 'std', 'l2'] as const) {
    c.check(isNumber(m[key]) || m[key] === null, `${where}.${key} must be a number`);
  }
  if (m.values !== undefined) {
    c.check(Array.isArray(m.values) && m.values.length <= MAX_INLINE_VALUES
      && m.values.every((v) => isNumber(v) || v === 'NaN' || v === 'Infinity' || v === '-Infinity'),
    `${where}.values must be at most ${MAX_INLINE_VALUES} numbers or 'NaN'/'Infinity'/'-Infinity'`);
  }
  if (m.histogram !== undefined) {
    const h = m.histogram as Fields;
    c.check(isObject(h) && isNumberArray(h.edges) && isNumberArray(h.counts)
      && (h.edges as number[]).length === (h.counts as number[]).length + 1,
    `${where}.histogram needs counts and one more edge than counts`);
  }
  if (m.heatmap !== undefined) {
    const h = m.heatmap as Fields;
    c.check(isObject(h) && isInt(h.rows) && isInt(h.cols) && isNumberArray(h.values)
      && (h.rows as number) * (h.cols as number) === (h.values as number[]).length
      && (h.values as number[]).length <= MAX_HEATMAP_CELLS && isShape(h.sourceShape)
      && (h.sourceShape as number[]).length === 2,
    `${where}.heatmap needs rows*cols values (at most ${MAX_HEATMAP_CELLS}) and a 2-d sourceShape`);
  }
  if (m.imageGrid !== undefined) {
    const g = m.imageGrid as Fields;
    const sizes = ['rows', 'cols', 'totalRows', 'totalCols', 'tileHeight', 'tileWidth'] as const;
    c.check(isObject(g) && (g.layout === 'NHWC' || g.layout === 'HWIO') && sizes.every((k) => isInt(g[k]))
      && isNumberArray(g.values) && isShape(g.sourceTile) && (g.sourceTile as number[]).length === 2
      && (g.values as number[]).length === (g.rows as number) * (g.cols as number) * (g.tileHeight as number) * (g.tileWidth as number)
      && (g.values as number[]).length <= MAX_IMAGE_GRID_VALUES,
    `${where}.imageGrid needs a layout, sizes and rows*cols*tileHeight*tileWidth values (at most ${MAX_IMAGE_GRID_VALUES})`);
  }
}

function checkTensor(c: Checker, t: unknown, where: string): asserts t is TraceTensor {
  c.check(isObject(t), `${where} must be an object`);
  const m = t as Fields;
  c.check(isInt(m.id), `${where}.id must be an integer`);
  c.check(m.name === undefined || isString(m.name), `${where}.name must be a string`);
  c.check(isShape(m.shape), `${where}.shape must be non-negative integers`);
  c.check(isOneOf(DTYPES, m.dtype), `${where}.dtype is not a dtype`);
  c.check(isOneOf(TENSOR_KINDS, m.kind), `${where}.kind ${JSON.stringify(m.kind)} is unknown`);
  c.check(typeof m.isSource === 'boolean' && typeof m.isTarget === 'boolean', `${where}.isSource/isTarget must be booleans`);
  if (m.value !== undefined) checkSummary(c, m.value, `${where}.value`);
  if (m.grad !== undefined && m.grad !== null) checkSummary(c, m.grad, `${where}.grad`);
  c.check(m.nullReason === undefined || isOneOf(NULL_GRADIENT_REASONS, m.nullReason), `${where}.nullReason is unknown`);
  c.check(m.nullExplanation === undefined || isString(m.nullExplanation), `${where}.nullExplanation must be a string`);
}

function checkNode(c: Checker, n: unknown, where: string): asserts n is TraceNode {
  c.check(isObject(n), `${where} must be an object`);
  const m = n as Fields;
  c.check(isString(m.id) && m.id.length > 0, `${where}.id must be a non-empty string`);
  c.check(isOneOf(NODE_KINDS, m.kind), `${where}.kind must be 'op' or 'tensor'`);
  c.check(isString(m.op) && isString(m.label), `${where}.op and .label must be strings`);
  c.check(isInt(m.output), `${where}.output must be a tensor id`);
  c.check(Array.isArray(m.inputs) && m.inputs.every(isInt), `${where}.inputs must be tensor ids`);
  c.check(Array.isArray(m.scope) && m.scope.every(isString), `${where}.scope must be strings`);
  c.check(m.recordedDuringGradientOf === undefined || isInt(m.recordedDuringGradientOf),
    `${where}.recordedDuringGradientOf must be a tape id`);
  c.check(m.numericsFault === undefined || isOneOf(NUMERICS_PHASES, m.numericsFault),
    `${where}.numericsFault must be 'forward' or 'backward'`);
  c.check(m.argNames === undefined || (Array.isArray(m.argNames) && m.argNames.every((a) => a === null || isString(a))),
    `${where}.argNames must be names or nulls`);
  c.check(m.inFunction === undefined || isString(m.inFunction), `${where}.inFunction must be a string`);
  if (m.source !== undefined) {
    const s = m.source as Fields;
    c.check(isObject(s) && isString(s.file) && isInt(s.line) && isInt(s.column), `${where}.source must be {file,line,column}`);
  }
}

function checkEdge(c: Checker, e: unknown, where: string, nodeIds: Set<string>): asserts e is TraceEdge {
  c.check(isObject(e), `${where} must be an object`);
  const m = e as Fields;
  c.check(isString(m.from) && nodeIds.has(m.from), `${where}.from ${JSON.stringify(m.from)} is not a node of this tape`);
  c.check(isString(m.to) && nodeIds.has(m.to), `${where}.to ${JSON.stringify(m.to)} is not a node of this tape`);
  c.check(isInt(m.tensor) && isShape(m.shape), `${where} needs a tensor id and a shape`);
}

/** Checks a recorded backward pass: its steps name nodes of the tape and carry summaries the replay draws. */
function checkBackwardPass(c: Checker, b: unknown, where: string, nodeIds: Set<string>): void {
  c.check(isObject(b) && Array.isArray(b.seeds) && Array.isArray(b.steps), `${where} needs seeds and steps arrays`);
  const m = b as Fields;
  c.check(m.truncated === undefined || typeof m.truncated === 'boolean', `${where}.truncated must be a boolean`);
  (m.seeds as unknown[]).forEach((s, i) => {
    c.check(isObject(s) && isInt(s.tensor), `${where}.seeds[${i}] needs a tensor id`);
    checkSummary(c, (s as Fields).value, `${where}.seeds[${i}].value`);
  });
  c.check(m.deferredSteps === undefined || (isInt(m.deferredSteps) && (m.deferredSteps as number) >= 1 && (m.steps as unknown[]).length === 0),
    `${where}.deferredSteps must be a positive count, with steps left empty`);
  checkBackwardSteps(c, m.steps as unknown[], `${where}.steps`, (id) => nodeIds.has(id));
}

/** Checks backward steps; `isNode` says whether a node id belongs to their tape (a steps message cannot know: the page checks). */
function checkBackwardSteps(c: Checker, steps: unknown[], where: string, isNode: (id: string) => boolean): asserts steps is BackwardStep[] {
  steps.forEach((s, i) => {
    const at = `${where}[${i}]`;
    c.check(isObject(s) && isString(s.node) && isNode(s.node), `${at}.node is not a node of this tape`);
    checkSummary(c, (s as Fields).incoming, `${at}.incoming`);
    const sends = (s as Fields).sends;
    c.check(Array.isArray(sends), `${at}.sends must be an array`);
    (sends as unknown[]).forEach((e, j) => {
      const edge = e as Fields;
      c.check(isObject(e) && isInt(edge.input) && isInt(edge.tensor) && isInt(edge.count) && (edge.count as number) >= 1
        && isString(edge.from) && isNode(edge.from), `${at}.sends[${j}] needs input, tensor, count and a node it came from`);
      checkSummary(c, edge.contribution, `${at}.sends[${j}].contribution`);
      checkSummary(c, edge.total, `${at}.sends[${j}].total`);
    });
  });
}

/** The ids naming one gradient call of one run's tape, as requestSteps and its answer carry them. */
function checkCallAddress(c: Checker, m: Fields, type: string): void {
  checkRunId(c, m.runId, `${type}.runId`);
  c.check(isInt(m.tapeId) && isInt(m.call) && (m.call as number) >= 0, `${type} needs tapeId and a call index >= 0`);
}

/** Checks one TapeTrace in depth: the webview draws every field of it. */
function checkTapeTrace(c: Checker, t: unknown, where: string): asserts t is TapeTrace {
  c.check(isObject(t), `${where} must be a TapeTrace object`);
  const m = t as Fields;
  c.check(m.version === 1, `${where}.version must be 1 (got ${JSON.stringify(m.version)})`);
  c.check(isInt(m.tapeId) && isInt(m.order) && isString(m.label), `${where} needs tapeId, order and label`);
  c.check(isOneOf(TRACE_MODES, m.mode), `${where}.mode must be 'tape' or 'graph'`);
  c.check(typeof m.persistent === 'boolean' && typeof m.truncated === 'boolean', `${where}.persistent/truncated must be booleans`);
  c.check(isInt(m.totalNodes), `${where}.totalNodes must be an integer`);
  c.check(m.parentTapeId === undefined || isInt(m.parentTapeId), `${where}.parentTapeId must be a tape id`);
  c.check(Array.isArray(m.childTapeIds) && m.childTapeIds.every(isInt), `${where}.childTapeIds must be tape ids`);
  c.check(m.internal === undefined || (INTERNAL_TAPE_KINDS as readonly unknown[]).includes(m.internal), `${where}.internal is not a known kind`);
  if (m.stoppedBy !== undefined) {
    const stop = m.stoppedBy as Fields;
    c.check(isObject(stop) && isString(stop.name) && isString(stop.message) && (stop.line === undefined || isInt(stop.line)),
      `${where}.stoppedBy needs name, message and an optional line`);
  }
  c.check(Array.isArray(m.nodes) && Array.isArray(m.edges) && Array.isArray(m.tensors) && Array.isArray(m.gradientCalls),
    `${where} needs nodes, edges, tensors and gradientCalls arrays`);
  const nodeIds = new Set<string>();
  (m.nodes as unknown[]).forEach((n, i) => {
    checkNode(c, n, `${where}.nodes[${i}]`);
    c.check(!nodeIds.has(n.id), `${where}.nodes[${i}].id ${JSON.stringify(n.id)} is repeated`);
    nodeIds.add(n.id);
  });
  (m.edges as unknown[]).forEach((e, i) => checkEdge(c, e, `${where}.edges[${i}]`, nodeIds));
  (m.tensors as unknown[]).forEach((x, i) => checkTensor(c, x, `${where}.tensors[${i}]`));
  (m.gradientCalls as unknown[]).forEach((g, i) => {
    c.check(isObject(g) && Array.isArray(g.targets) && g.targets.every(isInt) && Array.isArray(g.sources)
      && g.sources.every(isInt), `${where}.gradientCalls[${i}] needs targets and sources tensor ids`);
    const source = (g as Fields).source as Fields | undefined;
    c.check(source === undefined || (isObject(source) && isString(source.file) && isInt(source.line) && isInt(source.column)),
      `${where}.gradientCalls[${i}].source must be {file,line,column}`);
    const results = (g as Fields).results;
    if (results !== undefined) {
      c.check(Array.isArray(results) && results.length === (g as Fields & { sources: unknown[] }).sources.length,
        `${where}.gradientCalls[${i}].results must hold one entry per source`);
      (results as unknown[]).forEach((r, k) => {
        if (r === null) return;
        c.check(isObject(r) && isInt(r.tensor), `${where}.gradientCalls[${i}].results[${k}] needs a tensor id`);
        checkSummary(c, (r as Fields).value, `${where}.gradientCalls[${i}].results[${k}].value`);
      });
    }
    const backward = (g as Fields).backward;
    if (backward !== undefined) checkBackwardPass(c, backward, `${where}.gradientCalls[${i}].backward`, nodeIds);
  });
  if (m.jacobianCalls !== undefined) {
    c.check(Array.isArray(m.jacobianCalls), `${where}.jacobianCalls must be an array`);
    (m.jacobianCalls as unknown[]).forEach((j, i) => checkJacobianCall(c, j, `${where}.jacobianCalls[${i}]`));
  }
}

function checkJacobianCall(c: Checker, j: unknown, where: string): void {
  c.check(isObject(j) && (JACOBIAN_KINDS as readonly unknown[]).includes(j.kind) && isInt(j.target), `${where} needs a known kind and a target id`);
  const m = j as Fields;
  const isShape = (s: unknown): boolean => Array.isArray(s) && s.every(isInt);
  c.check(isShape(m.targetShape), `${where}.targetShape must be a shape`);
  c.check(Array.isArray(m.sources) && m.sources.every(isInt) && Array.isArray(m.sourceShapes) && m.sourceShapes.every(isShape)
    && m.sourceShapes.length === m.sources.length, `${where} needs source ids and one shape each`);
  c.check(Array.isArray(m.results) && m.results.length === (m.sources as unknown[]).length, `${where}.results must hold one entry per source`);
  (m.results as unknown[]).forEach((r, k) => {
    if (r === null) return;
    c.check(isObject(r) && isInt(r.tensor), `${where}.results[${k}] needs a tensor id`);
    checkSummary(c, (r as Fields).value, `${where}.results[${k}].value`);
    c.check(((r as Fields).value as TensorSummary).shape.length === 2, `${where}.results[${k}].value must be a matrix`);
  });
}

function checkMetricPoint(c: Checker, p: unknown, where: string): asserts p is MetricPoint {
  c.check(isObject(p), `${where} must be an object`);
  const m = p as Fields;
  c.check(isString(m.name) && m.name.length > 0, `${where}.name must be a non-empty string`);
  c.check(isFiniteNumber(m.step), `${where}.step must be a finite number`);
  // A NaN loss is worth plotting as a gap, so value may be NaN/±Infinity (null after JSON).
  c.check(isNumber(m.value) || m.value === null, `${where}.value must be a number`);
  c.check(isFiniteNumber(m.wallTime), `${where}.wallTime must be a finite number`);
}

const GRADIENT_FLAGS = ['vanishing', 'exploding', 'nan'];
/** Norms may be NaN/±Infinity in memory, null after JSON. */
const isNorm = (v: unknown): boolean => isNumber(v) || v === null;

function checkVariableTelemetry(c: Checker, v: unknown, where: string): asserts v is VariableTelemetry {
  c.check(isObject(v), `${where} must be an object`);
  const m = v as Fields;
  c.check(isString(m.variable) && m.variable.length > 0 && isString(m.layer), `${where} needs variable and layer names`);
  c.check(isInt(m.size) && isInt(m.nanCount) && isInt(m.infCount), `${where}.size/nanCount/infCount must be integers`);
  c.check(isNorm(m.gradNorm) && isFiniteNumber(m.zeroFraction), `${where} needs gradNorm and zeroFraction`);
  for (const key of ['weightNorm', 'updateNorm', 'updateRatio'] as const) {
    c.check(m[key] === undefined || isNorm(m[key]), `${where}.${key} must be a number`);
  }
  c.check(m.slots === undefined || (isObject(m.slots) && Object.values(m.slots).every(isNorm)), `${where}.slots must map names to norms`);
  c.check(m.flag === undefined || GRADIENT_FLAGS.includes(m.flag as string), `${where}.flag ${JSON.stringify(m.flag)} is unknown`);
  for (const key of ['gradPercentiles', 'weightPercentiles'] as const) {
    const p = m[key];
    c.check(p === undefined || (Array.isArray(p) && p.length === DISTRIBUTION_PERCENTILES.length && p.every(isNorm)),
      `${where}.${key} must hold ${DISTRIBUTION_PERCENTILES.length} numbers`);
  }
}

function checkStepTelemetry(c: Checker, t: unknown, where: string): asserts t is StepTelemetry {
  c.check(isObject(t), `${where} must be an object`);
  const m = t as Fields;
  c.check(isString(m.optimizer) && isInt(m.step) && (m.step as number) >= 0, `${where} needs optimizer and a step`);
  c.check(isFiniteNumber(m.wallTime) && isNorm(m.learningRate) && isNorm(m.effectiveStepSize), `${where} needs wallTime, learningRate, effectiveStepSize`);
  c.check(Array.isArray(m.variables), `${where}.variables must be an array`);
  (m.variables as unknown[]).forEach((v, i) => checkVariableTelemetry(c, v, `${where}.variables[${i}]`));
  if (m.alerts !== undefined) {
    c.check(Array.isArray(m.alerts) && m.alerts.every((a: unknown) => isObject(a) && isString(a.variable)
      && GRADIENT_FLAGS.includes(a.flag as string) && isInt(a.step) && isNorm(a.gradNorm)),
    `${where}.alerts must be GradientAlert[]`);
  }
}

function checkRunId(c: Checker, v: unknown, where: string): void {
  c.check(isRunId(v), `${where} must be a non-negative integer`);
}

/** Checks a message the webview received from the host; throws MalformedInspectorMessageError otherwise. */
export function validateHostToInspector(message: unknown): HostToInspectorMessage {
  const c = new Checker('host→inspector');
  c.check(isObject(message), 'not an object');
  const m = message as Fields;
  switch (m.type) {
    case 'tapes': {
      const run = m.run as Fields;
      c.check(isObject(run), 'tapes.run must be an object');
      checkRunId(c, run.runId, 'tapes.run.runId');
      c.check(isString(run.cellTitle) && isString(run.file) && isInt(run.line), 'tapes.run needs cellTitle, file and line');
      c.check(run.label === undefined || isString(run.label), 'tapes.run.label must be a string');
      c.check(Array.isArray(m.tapes), 'tapes.tapes must be an array');
      (m.tapes as unknown[]).forEach((t, i) => checkTapeTrace(c, t, `tapes.tapes[${i}]`));
      return m as unknown as ShowTapesMessage;
    }
    case 'metrics':
      checkRunId(c, m.runId, 'metrics.runId');
      c.check(m.runLabel === undefined || isString(m.runLabel), 'metrics.runLabel must be a string');
      c.check(Array.isArray(m.points), 'metrics.points must be an array');
      (m.points as unknown[]).forEach((p, i) => checkMetricPoint(c, p, `metrics.points[${i}]`));
      return m as unknown as AddMetricsMessage;
    case 'telemetry':
      checkRunId(c, m.runId, 'telemetry.runId');
      c.check(m.runLabel === undefined || isString(m.runLabel), 'telemetry.runLabel must be a string');
      c.check(Array.isArray(m.steps), 'telemetry.steps must be an array');
      (m.steps as unknown[]).forEach((t, i) => checkStepTelemetry(c, t, `telemetry.steps[${i}]`));
      return m as unknown as AddTelemetryMessage;
    case 'focus':
      c.check(m.view === 'tapes' || m.view === 'chart' || m.view === 'gradients', "focus.view must be 'tapes', 'chart' or 'gradients'");
      return m as unknown as FocusViewMessage;
    case 'cursor':
      c.check(isString(m.file) && isInt(m.line) && (m.line as number) >= 1, 'cursor needs file and line >= 1');
      return m as unknown as CursorLineMessage;
    case 'revealNode':
      checkRunId(c, m.runId, 'revealNode.runId');
      c.check(isInt(m.tapeId) && isInt(m.tensorId), 'revealNode needs tapeId and tensorId');
      return m as unknown as RevealNodeMessage;
    case 'backwardSteps':
      checkCallAddress(c, m, 'backwardSteps');
      c.check((m.steps === undefined) !== (m.missing === undefined), 'backwardSteps needs either steps or missing');
      if (m.missing !== undefined) c.check(isString(m.missing) && m.missing.length > 0, 'backwardSteps.missing must be a non-empty string');
      else {
        c.check(Array.isArray(m.steps), 'backwardSteps.steps must be an array');
        checkBackwardSteps(c, m.steps as unknown[], 'backwardSteps.steps', () => true);
      }
      return m as unknown as BackwardStepsMessage;
    default:
      throw new MalformedInspectorMessageError('host→inspector', `unknown type ${JSON.stringify(m.type)}`);
  }
}

/** Checks a message the host received from the webview; throws MalformedInspectorMessageError otherwise. */
export function validateInspectorToHost(message: unknown): InspectorToHostMessage {
  const c = new Checker('inspector→host');
  c.check(isObject(message), 'not an object');
  const m = message as Fields;
  switch (m.type) {
    case 'ready':
      return m as unknown as InspectorReadyMessage;
    case 'export':
      c.check(m.format === 'csv' || m.format === 'svg' || m.format === 'png', "export.format must be 'csv', 'svg' or 'png'");
      c.check(isString(m.suggestedName) && /^[\w.-]{1,100}$/.test(m.suggestedName),
        'export.suggestedName must be a plain file name');
      c.check(isString(m.data), 'export.data must be a string');
      return m as unknown as ExportFileMessage;
    case 'revealSource':
      c.check(isString(m.file) && m.file.length > 0 && isInt(m.line) && (m.line as number) >= 1 && isInt(m.column),
        'revealSource needs file, line >= 1 and column');
      return m as unknown as RevealSourceMessage;
    case 'nodeRevealed':
      c.check(isInt(m.tapeId) && isInt(m.tensorId) && (m.node === undefined || isString(m.node)), 'nodeRevealed needs tapeId, tensorId and an optional node id');
      return m as unknown as NodeRevealedMessage;
    case 'requestSteps':
      checkCallAddress(c, m, 'requestSteps');
      return m as unknown as RequestStepsMessage;
    default:
      throw new MalformedInspectorMessageError('inspector→host', `unknown type ${JSON.stringify(m.type)}`);
  }
}
