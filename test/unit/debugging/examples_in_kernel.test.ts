// The example cell files for graph mode, forward mode and gradient debugging run cell by cell in the real
// kernel (worker + engine) and print the numbers their comments promise, including the NaN origin's cell line.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startKernel } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import { splitCells } from '../../../src/cells/cell_splitter';

const repoRoot = resolve(__dirname, '../../..');
const kernels: Kernel[] = [];
after(async () => { await Promise.all(kernels.map((k) => k.dispose())); });

async function runExample(name: string): Promise<{ output: string; values: (string | undefined)[]; titles: string[] }> {
  const k = await startKernel();
  kernels.push(k);
  let output = '';
  k.onStream.event((e) => { output += e.text; });
  const file = join(repoRoot, 'examples', name);
  const values: (string | undefined)[] = [];
  const titles: string[] = [];
  for (const c of splitCells(readFileSync(file, 'utf8'))) {
    const result = await k.run({ code: c.code, file, lineOffset: c.startLine, title: c.title });
    assert.equal(result.outcome, 'ok', `${name} cell ${c.index} (${c.title}): ${result.error?.message}`);
    values.push(result.value);
    titles.push(c.title);
  }
  return { output, values, titles };
}

test('examples/graph_mode.ts prints the seed\'s derivatives and traces once per signature', async () => {
  const { output, values, titles } = await runExample('graph_mode.ts');
  assert.match(output, /tf\.gradients is not supported when eager execution is enabled/);
  assert.match(output, /0\.019731\d*/);
  assert.match(output, /-0\.07853\d*/);
  assert.match(output, /0\.3110\d*/);
  assert.match(output, /traces: 1\ntraces: 2/);
  // seed 003's X⁴ at X = [1, 2] in every row: g1 = 4X³ = [4, 32], and the first column of d(g1)/dX is 12X² = 12
  const quartic = values[titles.findIndex((t) => t.startsWith('The X⁴ cells of seed 003'))] ?? '';
  assert.match(quartic, /shape=\(4, 2\), dtype=float32, numpy=\s*array\(\[\[ ?4\., 32\.\],(\s*\[ ?4\., 32\.\],){2}\s*\[ ?4\., 32\.\]\], dtype=float32\)>/, quartic);
  assert.match(quartic, /shape=\(4, 1\), dtype=float32, numpy=\s*array\(\[\[12\.\],(\s*\[12\.\],){2}\s*\[12\.\]\], dtype=float32\)>/, quartic);
});

test('examples/forward_mode.ts: forward and reverse agree, Hessian-vector product is 6·x·v', async () => {
  const { output, values } = await runExample('forward_mode.ts');
  const [fwd, rev] = output.trim().split(/\s+/).map(Number);
  assert.ok(Math.abs(fwd - rev) < 1e-4 * Math.max(1, Math.abs(rev)), output);
  assert.match(values[values.length - 1]!, /array\(\[ *6\., *-12\., *6\.\]/);
});

test('examples/debugging_gradients.ts explains each null, locates NaN and Inf at their lines, and pinpoints the wrong gradient', async () => {
  const { output } = await runExample('debugging_gradients.ts');
  assert.match(output, /no recorded path from `x` to `y`: the target depends on it through `h` \(Mul, line 6\), but that op ran before recording began/);
  assert.match(output, /not variable 'v' but a new Tensor computed from it by Add/);
  assert.match(output, /stop-gradient - /);
  assert.match(output, /check numerics: Log → `b` at .*debugging_gradients\.ts:30 produced 2 NaN/);
  assert.match(output, /the gradient of Sqrt at .*debugging_gradients\.ts:39 produced/);
  assert.match(output, /suspect: CustomGradient/);
});
