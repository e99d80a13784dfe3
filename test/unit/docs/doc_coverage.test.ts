// Every public name in the typings the editor reads (dist/types/tapescope.d.ts) carries a doc comment, and the
// internals users must never touch are not in them. The walker is checked on a file with known gaps first, so a
// walker that finds nothing cannot pass.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkDocCoverage, INTERNAL_MEMBERS } from './doc_coverage';

const root = path.resolve(__dirname, '..', '..', '..');
const typings = path.join(root, 'dist', 'types', 'tapescope.d.ts');

before(() => {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, encoding: 'utf8' });
  assert.equal(build.status, 0, build.stderr);
});

test('the walker reports each kind of undocumented name and accepts documented and inherited ones', () => {
  const report = checkDocCoverage('sample.d.ts', `declare module 'sample' {
    /** Documented. */
    function documented(): void;
    function bare(x: number, options?: {
      /** Has one. */
      kept?: boolean;
      loose?: number;
    }): void;
    /** A class. */
    class Base {
      /** Builds. */
      constructor();
      /** Runs. */
      run(): void;
      size: number;
      private hidden;
      protected guarded(): void;
    }
    /** Derived. */
    class Derived extends Base {
      constructor();
      run(): void;
    }
    interface Options {
      /** Rate. */
      rate?: number;
      seed?: number;
    }
    /** @internal */
    function tagOnly(): void;
    /** The namespace. */
    export const tf: {
      /** Documented member. */
      a: typeof documented;
      b: typeof bare;
      nested: {
        c: number;
      };
    };
  }`);
  assert.deepEqual(report.undocumented.map((u) => u.name).sort(), [
    'Base.size', 'Derived.constructor', 'Options.seed', 'bare.options.loose', 'function bare', 'function tagOnly',
    'interface Options', 'tf.b', 'tf.nested', 'tf.nested.c',
  ].sort());
  assert.deepEqual(report.classMembers.get('Base'), ['constructor', 'run', 'size']);
});

test('every exported function, class, public member and option field of dist/types/tapescope.d.ts has a doc comment', () => {
  const report = checkDocCoverage(typings, readFileSync(typings, 'utf8'));
  assert.ok(report.checked > 400, `only ${report.checked} declarations found: the walker or the bundle is broken`);
  const list = report.undocumented.map((u) => `  ${u.name} (tapescope.d.ts:${u.line})`).join('\n');
  assert.equal(report.undocumented.length, 0, `${report.undocumented.length} public names have no doc comment:\n${list}`);
});

test('internals stay out of the public types (GradientTape.pausedDepth, watchedIds, nodes, childTapeIds, gradientCalls, …)', () => {
  const { classMembers } = checkDocCoverage(typings, readFileSync(typings, 'utf8'));
  assert.ok(classMembers.has('GradientTape') && classMembers.get('GradientTape')!.includes('gradient'), 'GradientTape is missing from the typings');
  const leaked = Object.entries(INTERNAL_MEMBERS).flatMap(([cls, names]) =>
    names.filter((n) => classMembers.get(cls)?.includes(n)).map((n) => `${cls}.${n}`));
  assert.deepEqual(leaked, []);
});
