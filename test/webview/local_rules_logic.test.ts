// Every op name the engine records has a local rule in the replay, read from the engine's own op definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LOCAL_RULES, localRule } from '../../webview/replay/local_rules';
import { REPO } from './inspector_page';

/** Op names as the engine's op files pass them: the first argument of runOp/unaryOp/… or an `op:` field. */
function engineOpNames(): Set<string> {
  const names = new Set<string>();
  for (const dir of ['engine/ops', 'engine/graph', 'engine/autodiff']) {
    for (const file of readdirSync(join(REPO, dir)).filter((f) => f.endsWith('.ts'))) {
      const source = readFileSync(join(REPO, dir, file), 'utf8');
      for (const m of source.matchAll(/(?:\w+\(\s*|\b\w*[oO]p: )'([A-Z][A-Za-z0-9]*)'/g)) names.add(m[1]);
    }
  }
  return names;
}

test('every op the engine defines has its local rule written out', () => {
  const names = engineOpNames();
  for (const op of ['Add', 'Mul', 'MatMul', 'Conv2D', 'CustomGradient', 'Sum']) assert.ok(names.has(op), `the scan finds ${op}`);
  const missing = [...names].filter((op) => !(op in LOCAL_RULES));
  assert.deepEqual(missing, [], 'ops without a rule');
});

test('the rules read as the issue writes them, and a custom gradient says so', () => {
  assert.match(localRule('Mul'), /^∂x = dy·y, ∂y = dy·x/);
  assert.match(localRule('MatMul'), /^∂A = dy·Bᵀ, ∂B = Aᵀ·dy/);
  assert.match(localRule('Add'), /summed over the axes it was broadcast along/);
  assert.match(localRule('CustomGradient'), /^custom gradient/);
  assert.equal(localRule('NoSuchOp'), 'no rule is written for NoSuchOp');
});
