// The packages `npm run package` makes, unpacked and checked: the target platform each declares, the native
// binaries inside (universal: none), only what runs, nothing of the machine that packaged it, and a cell
// compiled by the packaged compiler alone, from a folder that reaches no node_modules.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { CellTranspiler } from '../../../src/repl/cell_transpiler';
import { compileCell } from '../../../src/repl/compile_cell';
import { nativeBinaryOf, targetOf } from './native_binary';
import { readVsix } from './vsix_archive';

const repoRoot = path.resolve(__dirname, '../../..');
const outDir = mkdtempSync(path.join(tmpdir(), 'tapescope-vsix-'));
process.on('exit', () => rmSync(outDir, { recursive: true, force: true }));
const packages = new Map<string, Map<string, Buffer>>();

before(async () => {
  const made = spawnSync(process.execPath, [path.join(repoRoot, 'scripts', 'package.mjs'), '--out', outDir], { cwd: repoRoot, encoding: 'utf8' });
  assert.equal(made.status, 0, `npm run package failed:\n${made.stdout}\n${made.stderr}`);
  assert.match(made.stdout, /tapescope-[\d.]+\.vsix \(universal: every platform\) \d+\.\d MB/, 'the package script reports the size');
  for (const file of readdirSync(outDir).filter((f) => f.endsWith('.vsix'))) packages.set(file, await readVsix(path.join(outDir, file)));
  assert.ok(packages.size >= 1, 'no .vsix was produced');
});

function targetPlatformOf(entries: Map<string, Buffer>): string | undefined {
  const manifest = entries.get('extension.vsixmanifest')?.toString('utf8');
  assert.ok(manifest, 'the .vsix has no extension.vsixmanifest');
  const identity = /<Identity\b[^>]*>/.exec(manifest)?.[0];
  assert.ok(identity, 'the manifest has no Identity');
  return /\bTargetPlatform="([^"]+)"/.exec(identity)?.[1];
}

/** The binaries a package for this VS Code target may carry ('alpine-x64' runs Linux ELF for x64). */
function binaryTargetFor(platform: string): string {
  return platform.replace(/^alpine-/, 'linux-');
}

test('each .vsix declares its target platform and every binary in it is built for that platform; a universal one has none', () => {
  for (const [name, entries] of packages) {
    const target = targetPlatformOf(entries);
    const binaries = [...entries].flatMap(([entry, bytes]) => {
      const binary = nativeBinaryOf(bytes);
      return binary ? [`${entry}: ${targetOf(binary)}`] : [];
    });
    if (target === undefined || target === 'universal' || target === 'web') {
      assert.deepEqual(binaries, [], `${name} is universal but carries native binaries`);
    } else {
      const expected = binaryTargetFor(target);
      for (const binary of binaries) assert.ok(binary.endsWith(`: ${expected}`), `${name} targets ${target}; ${binary}`);
    }
  }
  // This project's choice (docs/ARCHITECTURE.md, Packaging): one universal package.
  assert.deepEqual([...packages.keys()].map((n) => targetPlatformOf(packages.get(n)!) ?? 'universal'), ['universal']);
});

test('the binary check recognises real executables: this Node (its platform), esbuild\'s native binary, and hand-made PE and Mach-O headers', () => {
  const node = nativeBinaryOf(readFileSync(process.execPath));
  assert.ok(node, 'Node itself was not recognised as a native binary');
  assert.equal(targetOf(node), `${process.platform}-${process.arch}`);
  const esbuildBinary = createRequire(__filename).resolve(`@esbuild/${process.platform}-${process.arch}/bin/esbuild`);
  assert.equal(targetOf(nativeBinaryOf(readFileSync(esbuildBinary))!), `${process.platform}-${process.arch}`);
  assert.equal(nativeBinaryOf(readFileSync(path.join(repoRoot, 'dist', 'esbuild.wasm'))), undefined, 'WebAssembly is not native');
  const pe = Buffer.alloc(256);
  pe.write('MZ', 0, 'latin1');
  pe.writeUInt32LE(0x80, 0x3c);
  pe.writeUInt32BE(0x50450000, 0x80);
  pe.writeUInt16LE(0xaa64, 0x84);
  assert.equal(targetOf(nativeBinaryOf(pe)!), 'win32-arm64');
  const machO = Buffer.alloc(64);
  machO.writeUInt32BE(0xcffaedfe, 0);
  machO.writeUInt32LE(0x0100000c, 4);
  assert.equal(targetOf(nativeBinaryOf(machO)!), 'darwin-arm64');
  assert.equal(nativeBinaryOf(Buffer.from('#!/usr/bin/env node\nconsole.log(1)\n'.padEnd(80))), undefined);
});

test('the package carries only what runs: the bundles, esbuild.wasm, typings, the TypeScript plugin, media, snippets, the walkthrough\'s examples, licence, README', () => {
  for (const [name, entries] of packages) {
    const files = [...entries.keys()].filter((f) => f.startsWith('extension/')).map((f) => f.slice('extension/'.length)).sort();
    const allowed = /^(package\.json|readme\.md|LICENSE\.txt|dist\/(extension|kernel_process|cell_thread|transpiler|webview|layout_worker)\.js|dist\/esbuild\.wasm|dist\/types\/[\w-]+\.d\.ts|dist\/ts_plugin\/(index\.js|package\.json)|media\/([\w-]+\/)?[\w.-]+|snippets\/[\w-]+\.code-snippets|examples\/0\d\d_\w+\.ts)$/;
    assert.deepEqual(files.filter((f) => !allowed.test(f)), [], `${name} carries files that do not run`);
    for (const needed of ['dist/extension.js', 'dist/kernel_process.js', 'dist/cell_thread.js', 'dist/transpiler.js', 'dist/esbuild.wasm', 'dist/webview.js', 'dist/layout_worker.js', 'dist/ts_plugin/index.js', 'dist/types/tapescope.d.ts', 'dist/types/globals.d.ts',
      'snippets/cells.code-snippets', 'examples/000_gradient_tape_basics.ts', 'media/walkthrough/run_cell.md']) {
      assert.ok(files.includes(needed), `${name} lacks ${needed}`);
    }
  }
});

test('nothing in the package names the machine that packaged it (no absolute paths of the build folder or home)', () => {
  const machinePaths = [...new Set([repoRoot, realpathSync(repoRoot), homedir()])].filter((p) => p.length > 1);
  for (const [name, entries] of packages) {
    for (const [entry, bytes] of entries) {
      if (entry.endsWith('.wasm') || entry.endsWith('.png')) continue;
      const text = bytes.toString('utf8');
      for (const machinePath of machinePaths) assert.ok(!text.includes(machinePath), `${name}: ${entry} contains ${machinePath}`);
    }
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    assert.equal(manifest.main, './dist/extension.js');
  }
});

test('the packaged cell compiler alone, unpacked where no node_modules is reachable, compiles TypeScript with an exact source map', async () => {
  const [entries] = packages.values();
  const unpacked = mkdtempSync(path.join(tmpdir(), 'tapescope-unpacked-'));
  try {
    mkdirSync(path.join(unpacked, 'dist'));
    for (const file of ['dist/transpiler.js', 'dist/esbuild.wasm']) writeFileSync(path.join(unpacked, file), entries.get(`extension/${file}`)!);
    const transpiler = new CellTranspiler({ script: { file: path.join(unpacked, 'dist', 'transpiler.js') }, wasmFile: path.join(unpacked, 'dist', 'esbuild.wasm') });
    try {
      const cell = { code: 'interface P { x: number }\nconst p: P = { x: 2 };\nconst q = p.x as number * 21;\nq', file: '/cells/a.ts', lineOffset: 10 };
      const compiled = await compileCell(cell, transpiler.transform);
      assert.doesNotMatch(compiled.code, /interface|: P|as number/, 'types are stripped');
      assert.deepEqual(compiled.declaredNames.sort(), ['p', 'q']);
      const map = JSON.parse(compiled.sourceMap) as { sources: string[] };
      assert.deepEqual(map.sources, ['/cells/a.ts']);
      await assert.rejects(compileCell({ ...cell, code: 'const a = 1;\nconst b = ;' }, transpiler.transform), (err: Error & { location?: { line: number } }) => {
        assert.equal(err.location?.line, 12, 'the syntax error is on file line 12 (cell line 2 after 10 lines)');
        return true;
      });
    } finally {
      await transpiler.dispose();
    }
  } finally {
    rmSync(unpacked, { recursive: true, force: true });
  }
});
