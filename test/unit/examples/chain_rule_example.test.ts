// examples/chain_rule_step_by_step.ts run cell by cell in the real kernel: the seed values it promises, and what
// the editor would show from the tapes the kernel sends (12 on seed 002's gradient line, x's hover: value 3,
// gradient 12), the replay's recorded passes and the Hessian's None cell.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startKernel } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import { splitCells } from '../../../src/cells/cell_splitter';
import type { TapeTrace } from '../../../engine/trace/trace_format';
import { editorGradients, shortSummary } from '../../../src/editor/editor_gradients';

const file = join(resolve(__dirname, '../../..'), 'examples', 'chain_rule_step_by_step.ts');
const kernels: Kernel[] = [];
after(async () => { await Promise.all(kernels.map((k) => k.dispose())); });

test('examples/chain_rule_step_by_step.ts: 12, 2, 13, 6, [[None, 6], [6, 14]], a Jacobian [[2, 0], [0, 4]] and 6, with the editor gradients of seed 002', async () => {
  const k = await startKernel({ maxOldGenerationSizeMb: 1024 });
  kernels.push(k);
  const tapesOf = new Map<number, TapeTrace[]>();
  k.onTapes.event((e) => tapesOf.set(e.runId, e.tapes));
  const text = readFileSync(file, 'utf8');
  const lines = text.split('\n');
  const values: Array<string | undefined> = [];
  const runTapes: TapeTrace[][] = [];
  for (const c of splitCells(text).filter((cell) => cell.title !== '')) {
    const result = await k.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `cell ${c.index} (${c.title}): ${result.error?.message}`);
    values.push(result.value);
    await new Promise((r) => setTimeout(r, 50));
    runTapes.push(tapesOf.get(result.runId) ?? []);
  }
  assert.match(values[0]!, /12\.0/);
  assert.match(values[1]!, /\[<tf\.Tensor: shape=\(\), dtype=float32, numpy=2\.0>\]/);
  assert.match(values[2]!, /13\.0/);
  assert.match(values[3]!, /6\.0/);
  assert.match(values[4]!.replace(/\s+/g, ' '), /\[\[None, <tf\.Tensor[^>]*numpy=6\.0>\], \[<tf\.Tensor[^>]*numpy=6\.0>, <tf\.Tensor[^>]*numpy=14\.0>\]\]/);

  const shown = editorGradients(runTapes[0], file, (line) => lines[line - 1]);
  const gradientLine = lines.findIndex((l) => l.startsWith('let dyDx = tape.gradient(y, x);')) + 1;
  assert.equal(shown.lines.find((l) => l.line === gradientLine)?.text, '∂y/∂x = 12');
  const x = shown.hovers.get('x')!;
  assert.deepEqual([shortSummary(x.value), shortSummary(x.grad)], ['3', '12']);
  assert.ok(runTapes[2][0].gradientCalls[0].backward!.steps.length >= 3, 'the x·x + 3x pass was recorded for the replay');
  assert.match(values[5]!.replace(/\s+/g, ' '), /\[\[2\., 0\.\], \[0\., 4\.\]\]/);
  const jacobian = runTapes[5][0].jacobianCalls?.[0];
  assert.deepEqual(jacobian?.results[0]?.value.values, [2, 0, 0, 4], 'the Jacobian is in the trace for its heatmap');
  assert.match(values[6]!, /6\.0/, 'd(p²)/dp = 6 before the edit the cell suggests');
});
