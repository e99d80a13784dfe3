// The engine's layers as docs/ARCHITECTURE.md draws them: the tape core (engine/tape/) imports no ops, every
// engine module can be loaded on its own (the ops/ circle never evaluates an op at module level), and the backward
// loop checks each gradient an op returns against its input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import { tf } from '../../../engine/index';

const ENGINE = resolve(__dirname, '../../../engine');

function engineFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return engineFiles(path);
    return name.endsWith('.ts') && !name.endsWith('.as.ts') && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file (type-only ones included: a layer should not even name what lies above it). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^'";]*?from\s+'([^']+)'|^\s*import\s+'([^']+)'/gm)].map((m) => m[1] ?? m[2]);
  return specs.filter((s) => s.startsWith('.')).map((s) => {
    const base = resolve(dirname(file), s);
    for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
      try { if (statSync(candidate).isFile()) return candidate; } catch { /* next */ }
    }
    throw new Error(`${relative(ENGINE, file)}: cannot resolve import '${s}'`);
  });
}

test('the import graph of engine/tape/ reaches no file in engine/ops/ (nor the layers above the tape)', () => {
  const start = engineFiles(join(ENGINE, 'tape'));
  const seen = new Set<string>();
  const via = new Map<string, string>();
  const stack = [...start];
  while (stack.length) {
    const file = stack.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const dep of importsOf(file)) {
      if (!via.has(dep)) via.set(dep, file);
      stack.push(dep);
    }
  }
  const reached = [...seen].map((f) => relative(ENGINE, f));
  const above = reached.filter((f) => /^(ops|autodiff|graph|forward|keras|testing|data)\//.test(f));
  assert.deepEqual(above.map((f) => `${f} (imported by ${relative(ENGINE, via.get(join(ENGINE, f))!)})`), [], 'engine/tape/ must not import these');
  // the check itself sees the tape's real dependencies
  assert.ok(reached.includes('tensor/tensor.ts') && reached.includes('tape/backprop.ts'), reached.join(', '));
});

test('every engine module loads on its own, with nothing else loaded before it', async () => {
  const files = engineFiles(ENGINE);
  assert.ok(files.length > 60, `found ${files.length} engine modules`);
  // one bundle per module: each runs exactly that module's import graph, in the order loading it alone gives
  const result = await build({
    entryPoints: files, bundle: true, write: false, platform: 'node', format: 'cjs', outdir: '/virtual', outbase: ENGINE,
    logLevel: 'silent',
  });
  assert.equal(result.outputFiles.length, files.length);
  const failures: string[] = [];
  const nodeRequire = createRequire(__filename);
  for (const out of result.outputFiles) {
    const module = { exports: {} as Record<string, unknown> };
    try {
      new Function('module', 'exports', 'require', out.text)(module, module.exports, nodeRequire);
    } catch (e) {
      failures.push(`${relative('/virtual', out.path)}: ${(e as Error).message}`);
    }
  }
  assert.deepEqual(failures, []);
});

test('a gradient of the wrong shape is an error naming the op, the input and both shapes (tfjs wording)', () => {
  const f = tf.customGradient((x) => ({ value: x.mul(2), gradFunc: () => tf.ones([2, 3]) }));
  const x = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return f(x); });
  assert.throws(() => tape.gradient(y, x), {
    message: 'Error in gradient for op CustomGradient. The gradient of input 0 has shape [2,3], which does not match the shape of the input [3]',
  });
});

test('a gradient of the wrong dtype is an error naming the op, the input and both dtypes', () => {
  const f = tf.customGradient((x) => ({ value: x.mul(2), gradFunc: (dy) => tf.cast(dy, 'float64') }));
  const x = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return f(x); });
  assert.throws(() => tape.gradient(y, x), {
    message: 'Error in gradient for op CustomGradient. The gradient of input 0 has dtype float64, which does not match the dtype of the input float32',
  });
});

test('a gradient of the right shape passes the check and is the one customGradient returned', () => {
  const f = tf.customGradient((x) => ({ value: x.mul(2), gradFunc: (dy) => dy.mul(5) }));
  const x = tf.constant([1, 2, 3]);
  const tape = new tf.GradientTape();
  const y = tape.record(() => { tape.watch(x); return f(x); });
  assert.deepEqual(tape.gradient(y, x)!.numpy(), [5, 5, 5]);
});
