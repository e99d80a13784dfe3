// Bundles the entry points with esbuild, one bundle each (the VS Code docs' recipe): the extension host, the
// kernel process and its cell thread for Node (CommonJS, `vscode` provided by the host), the inspector for the
// browser. Source maps always; `--production` minifies. `--watch` rebuilds on change.
// Usage: node scripts/build.mjs [--production] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// The WASM kernels are compiled into a generated TypeScript module the bundles import.
const buildWasm = path.join(root, 'scripts', 'build_wasm.mjs');
if (existsSync(buildWasm)) {
  const result = spawnSync(process.execPath, [buildWasm], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// The engine's type declarations and the TypeScript server plugin that gives them to the editor (skipped
// while the engine is unchanged).
const typings = spawnSync(process.execPath, [path.join(root, 'scripts', 'build_typings.mjs')], { cwd: root, stdio: 'inherit' });
if (typings.status !== 0) process.exit(typings.status ?? 1);

const shared = {
  bundle: true,
  sourcemap: true,
  minify: production,
  target: 'es2022',
  logLevel: 'warning',
  absWorkingDir: root,
  define: { 'process.env.NODE_ENV': production ? '"production"' : '"development"' },
};

// Cells compile with esbuild compiled to WebAssembly (esbuild-wasm) on a thread of the extension host
// (dist/transpiler.js): its .wasm is copied next to the bundles, so the package carries no native binary and
// serves every platform. The native binary earlier builds copied to dist/ goes.
mkdirSync(path.join(root, 'dist'), { recursive: true });
copyFileSync(createRequire(import.meta.url).resolve('esbuild-wasm/esbuild.wasm'), path.join(root, 'dist', 'esbuild.wasm'));
rmSync(path.join(root, 'dist', 'esbuild'), { force: true });

const bundles = [
  {
    ...shared,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    format: 'cjs',
    external: ['vscode'],
  },
  { ...shared, entryPoints: ['src/repl/transpiler_worker.ts'], outfile: 'dist/transpiler.js', platform: 'node', format: 'cjs' },
  // The kernel: its process (forked by the host, relays and watches) and the thread in it that runs cells.
  { ...shared, entryPoints: ['src/kernel/process/kernel_process.ts'], outfile: 'dist/kernel_process.js', platform: 'node', format: 'cjs' },
  { ...shared, entryPoints: ['src/kernel/cell_thread/worker.ts'], outfile: 'dist/cell_thread.js', platform: 'node', format: 'cjs' },
  { ...shared, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' },
  // The inspector's layout worker: fetched by the page and started from a blob: URL (layout_client.ts).
  { ...shared, entryPoints: ['webview/graph/layout_worker.ts'], outfile: 'dist/layout_worker.js', platform: 'browser', format: 'iife' },
];

if (watch) {
  for (const options of bundles) await (await esbuild.context(options)).watch();
  console.log('tapescope: watching for changes');
} else {
  const started = Date.now();
  await Promise.all(bundles.map((options) => esbuild.build(options)));
  console.log(`tapescope: built dist/ (${production ? 'production' : 'development'}) in ${Date.now() - started} ms`);
}
