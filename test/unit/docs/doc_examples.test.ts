// Examples that cannot rot: every `@example` in the typings the editor shows (dist/types/tapescope.d.ts) runs as a
// cell in the real kernel (worker + engine) and must finish without error, giving each result its comments state.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startKernel, cell } from '../kernel/kernel_fixture';
import type { Kernel } from '../../../src/kernel/kernel';
import { CHECK_CELL, extractExamples, withResultChecks, type DocExample } from './doc_examples';

const root = path.resolve(__dirname, '..', '..', '..');
const typings = path.join(root, 'dist', 'types', 'tapescope.d.ts');
let examples: DocExample[] = [];
let kernel: Kernel;

before(async () => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
  examples = extractExamples(typings, readFileSync(typings, 'utf8'));
  // Examples may write files (tf.summary.createFileWriter('logs/…')): the kernel runs in a scratch folder, so the
  // repository stays clean after a test run.
  const scratch = mkdtempSync(path.join(tmpdir(), 'tapescope-doc-examples-'));
  process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
  kernel = await startKernel({ maxOldGenerationSizeMb: 1024, cwd: scratch });
  const setup = await kernel.run(cell(CHECK_CELL));
  assert.equal(setup.outcome, 'ok', setup.error?.message);
});
after(async () => { await kernel?.dispose(); });

/** A block of its own: an example cannot lean on names another example left in the kernel. */
const blockOf = (code: string) => `{\n${code}\n}`;

test('a result comment that does not hold fails the example (the check can fail)', async () => {
  const wrong = withResultChecks({ owner: 'probe', code: 'tf.add(2, 3) // → 6\nconst s = tf.constant([1, 2]).shape; // → [1, 2]', line: 1 });
  assert.equal(wrong.checks, 2);
  for (const [code, message] of [
    ['tf.sin(1); // 0.85', /expected 0\.85, got 0\.84147/],
    ['const a = tf.constant(1); a.add(1) // → 3', /expected 3, got 2/],
    ['tf.constant([1.5, 2]).mul(2) // → [3, 4.01]', /expected \[3, 4\.01\], got \[3,4\]/],
  ] as const) {
    const ran = await kernel.run(cell(withResultChecks({ owner: 'probe', code, line: 1 }).code));
    assert.equal(ran.outcome, 'error', code);
    assert.match(ran.error!.message, message);
  }
  const ran = await kernel.run(cell(wrong.code));
  assert.equal(ran.outcome, 'error');
  assert.match(ran.error!.message, /probe example line 1: expected 6, got 5/);
  const right = await kernel.run(cell(withResultChecks({ owner: 'probe', code: 'const s = tf.constant([[1, 2, 3]]).shape; // → [1, 3]\ntf.add(2, 3) // → 5\ntf.sin(1); // 0.841\nconst v = new tf.Variable([1, 2]); v.assign([3, 4]); v // [3, 4]\n// a comment, not a result: 3', line: 1 }).code));
  assert.equal(right.outcome, 'ok', right.error?.message);
  // examples run as blocks, so one cannot use what another declared
  assert.equal((await kernel.run(cell(blockOf('const leaked = 1;')))).outcome, 'ok');
  assert.match((await kernel.run(cell(blockOf('leaked')))).error?.message ?? '', /leaked is not defined/);
});

test('every @example in the typings runs in the kernel and gives the results it states', async () => {
  const failures: string[] = [];
  let checks = 0;
  for (const example of examples) {
    const { code, checks: n } = withResultChecks(example);
    checks += n;
    const result = await kernel.run(cell(blockOf(code)));
    if (result.outcome !== 'ok') failures.push(`${example.owner} (tapescope.d.ts:${example.line}): ${result.error?.message}\n${example.code}`);
  }
  assert.deepEqual(failures, []);
  assert.ok(examples.length >= 100, `only ${examples.length} examples found`);
  assert.ok(checks >= examples.length / 2, `only ${checks} stated results in ${examples.length} examples`);
});
