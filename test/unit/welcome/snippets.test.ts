// The contributed snippets and the New Cell File template, expanded with their default placeholders as VS Code
// inserts them, run in a real kernel: each gives the value its mathematics says.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FIRST_CELL } from '../../../src/welcome/first_cell';
import { cell, startKernel } from '../kernel/kernel_fixture';

const root = path.resolve(__dirname, '..', '..', '..');
const snippets = JSON.parse(readFileSync(path.join(root, 'snippets', 'cells.code-snippets'), 'utf8')) as Record<string, { prefix: string[]; body: string[] }>;
const kernel = startKernel();
after(async () => (await kernel).dispose());

/** The text VS Code inserts when every placeholder keeps its default (`${1:x}` → x, `$0` → nothing). */
function expand(name: string): string {
  const snippet = snippets[name];
  assert.ok(snippet, `no snippet named ${name}`);
  let text = snippet.body.join('\n');
  for (let previous = ''; previous !== text;) {
    previous = text;
    text = text.replace(/\$\{\d+:([^${}]*)\}/g, '$1');
  }
  return text.replace(/\$\d+/g, '');
}

async function valueOf(code: string): Promise<{ value?: string }> {
  const result = await (await kernel).run(cell(code));
  assert.equal(result.outcome, 'ok', `${result.error?.message}\n${code}`);
  return { value: result.value };
}

test('the snippets are the four the README lists, and the contributions point at this file for TS and JS', () => {
  assert.deepEqual(Object.keys(snippets), ['Tapescope cell', 'GradientTape block', 'Second derivative with nested tapes', 'Training loop']);
  const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  assert.deepEqual(manifest.contributes.snippets.map((s: { language: string }) => s.language), ['typescript', 'javascript']);
  assert.equal(expand('Tapescope cell'), '// %% Title\n');
});

test('the tape snippet gives d(x²)/dx at 3 = 6', async () => {
  assert.match((await valueOf(expand('GradientTape block'))).value ?? '', /numpy=6\.0>/);
});

test('the nested-tape snippet gives d²(x³)/dx² at 1 = 6 (and dy/dx = 3)', async () => {
  const code = `${expand('Second derivative with nested tapes')}\n[dydx, d2ydx2]`;
  const value = (await valueOf(code)).value ?? '';
  assert.match(value, /numpy=3\.0>, <tf\.Tensor: shape=\(\), dtype=float32, numpy=6\.0>\]/);
});

test('the training-loop snippet drives w to the minimum of (w − 3)², 3', async () => {
  const value = (await valueOf(expand('Training loop'))).value ?? '';
  const w = Number(/numpy=(-?[\d.]+)/.exec(value)?.[1]);
  assert.ok(Math.abs(w - 3) < 1e-3, `w = ${value}`);
});

test('a new cell file\'s first cell runs and gives 6.0', async () => {
  assert.match((await valueOf(FIRST_CELL)).value ?? '', /numpy=6\.0>/);
});
