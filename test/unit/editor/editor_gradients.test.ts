// The editor's gradients, from a real engine run whose ops and gradient() call are located in this very file (as
// the kernel locates them in a cell): seed 002's y = 2x² at x = 3 gives 12 on the gradient line and on x's hover.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tf, traceCapture } from '../../../engine';
import { hooks } from '../../../engine/runtime/hooks';
import type { SourceLocation, TapeTrace } from '../../../engine/trace/trace_format';
import { changedGradients, editorGradients, flagChanges, shortSummary } from '../../../src/editor/editor_gradients';

const FILE = __filename;
const LINES = readFileSync(FILE, 'utf8').split('\n');

/** This file's frame of a call stack, as the kernel's locator finds a cell's. */
function locateHere(site?: Error): SourceLocation | undefined {
  for (const frame of site?.stack?.split('\n') ?? []) {
    const m = frame.match(/\((.*):(\d+):(\d+)\)$/) ?? frame.match(/at (.*):(\d+):(\d+)$/);
    if (m && m[1] === FILE) return { file: FILE, line: Number(m[2]), column: Number(m[3]) };
  }
  return undefined;
}

function lineOf(text: string): number {
  const i = LINES.findIndex((l) => l.includes(text));
  assert.ok(i >= 0, text);
  return i + 1;
}

/** Seed 002 run under capture with this file's lines located (the trace resolves them when it is exported). */
function seed002(square: boolean): TapeTrace[] {
  const saved = hooks.locateSource;
  hooks.locateSource = locateHere;
  traceCapture.begin({ sourceLines: true });
  try {
    const x = new tf.Variable(tf.constant(3.0));
    const tape = new tf.GradientTape();
    const y = tape.record(() => (square ? tf.mul(2, tf.pow(x, 2)) : tf.mul(2, tf.pow(x, 3))));
    const dYx = tape.gradient(y, x);
    assert.ok(dYx);
    return traceCapture.end();
  } finally {
    traceCapture.end();
    hooks.locateSource = saved;
  }
}

test("seed 002's y = 2x²: 12 inline on the gradient line, and x's hover holds value 3 and gradient 12", () => {
  const shown = editorGradients(seed002(true), FILE, (line) => LINES[line - 1]);
  const gradientLine = lineOf('const dYx = tape.gradient(y, x);');
  const atGradient = shown.lines.find((l) => l.line === gradientLine);
  assert.equal(atGradient?.text, '∂y/∂x = 12');
  const bound = shown.lines.find((l) => l.line === lineOf('const y = tape.record('));
  assert.equal(bound?.text, 'y = 18   ∂ 1', 'the line that bound y shows its value 2·3² and dy/dy');
  const x = shown.hovers.get('x')!;
  assert.equal(shortSummary(x.value), '3');
  assert.equal(shortSummary(x.grad), '12');
  assert.deepEqual(x.shape, []);
  assert.equal(shortSummary(shown.hovers.get('y')!.value), '18');
});

test('y = 2x³ instead: the gradient line reads 54 (6x²), and nothing is shown for another file', () => {
  const shown = editorGradients(seed002(false), FILE, (line) => LINES[line - 1]);
  assert.equal(shown.lines.find((l) => l.line === lineOf('const dYx = tape.gradient(y, x);'))?.text, '∂y/∂x = 54');
  assert.deepEqual(editorGradients(seed002(false), '/elsewhere.ts', (line) => LINES[line - 1]).lines, []);
});

test('compare with the previous run: editing the loss from 2x² to 2x³ flags the changed gradient of x', () => {
  const before = editorGradients(seed002(true), FILE, (line) => LINES[line - 1]);
  const after = editorGradients(seed002(false), FILE, (line) => LINES[line - 1]);
  const changes = changedGradients(before, after);
  const x = changes.find((c) => c.name === 'x');
  assert.deepEqual(x && { what: x.what, before: x.before, after: x.after }, { what: 'gradient', before: '12', after: '54' });
  assert.deepEqual(changedGradients(before, before), [], 'an unchanged rerun flags nothing');
  const gradientLine = lineOf('const dYx = tape.gradient(y, x);');
  const flagged = flagChanges(after.lines, changes).find((l) => l.line === gradientLine)!;
  assert.match(flagged.text, /^∂y\/∂x = 54 .*⚠ ∂x changed: 12 → 54/);
  assert.match(flagged.text, /⚠ y changed: 18 → 54/, 'the target\'s value changed too');
});
