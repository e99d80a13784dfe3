// `npm run package`: the one Tapescope .vsix, universal (no target platform): cells compile with esbuild-wasm,
// so nothing in it is built for one operating system or CPU (docs/ARCHITECTURE.md, Packaging). vsce runs the
// production build (vscode:prepublish) and packs what .vscodeignore lets through; this reports the sizes.
// Usage: node scripts/package.mjs [--out DIR]   (default: the repository root, tapescope-<version>.vsix)
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outArg = args.indexOf('--out');
const outDir = path.resolve(outArg >= 0 ? args[outArg + 1] : root);
const { name, version } = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const vsix = path.join(outDir, `${name}-${version}.vsix`);
const vsce = path.join(path.dirname(createRequire(import.meta.url).resolve('@vscode/vsce/package.json')), 'vsce');

mkdirSync(outDir, { recursive: true });
const result = spawnSync(process.execPath, [
  vsce, 'package', '--no-dependencies', '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsix,
], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);

const megabytes = (bytes) => `${(bytes / 1e6).toFixed(1)} MB`;
const unpacked = ['extension.js', 'kernel_process.js', 'cell_thread.js', 'transpiler.js', 'esbuild.wasm', 'webview.js', 'layout_worker.js']
  .map((file) => `${file} ${megabytes(statSync(path.join(root, 'dist', file)).size)}`).join(', ');
console.log(`tapescope: ${path.relative(process.cwd(), vsix) || vsix} (universal: every platform) ${megabytes(statSync(vsix).size)}; unpacked dist/: ${unpacked}`);
