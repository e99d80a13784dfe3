// `npm run bench`: runs every bench/suites/*.ts in this one process, prints the table and writes
// docs/PERFORMANCE.md. A suite that throws is reported in the table and the others still run.
// `npm run bench -- matmul` runs only suites whose file name contains "matmul" and does not write the doc.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench_row';
import { machineFacts } from './machine';
import { KERNELS_PARAGRAPH } from './kernels_paragraph';
import { blasLibrary, pytorchVersion } from './peers/pytorch';
import { tfjsVersions } from './peers/tfjs';
import { consoleTable, performanceMarkdown, type SuiteOutcome } from './report';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const suitesDir = path.join(benchDir, 'suites');
const performanceDoc = path.join(benchDir, '..', 'docs', 'PERFORMANCE.md');
/** A suite still running after this long is reported as failed and the others go on (BENCH_SUITE_TIMEOUT_S). */
const suiteTimeoutMs = Number(process.env.BENCH_SUITE_TIMEOUT_S ?? 900) * 1000;

function timeout(ms: number, suite: string): { promise: Promise<never>; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s (suite ${suite})`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

async function runSuite(file: string): Promise<SuiteOutcome> {
  const suite = path.basename(file, '.ts');
  const started = performance.now();
  try {
    const module = (await import(pathToFileURL(path.join(suitesDir, file)).href)) as { default?: () => Promise<BenchRow[]> };
    if (typeof module.default !== 'function') throw new Error(`bench/suites/${file} has no default-exported run()`);
    const limit = timeout(suiteTimeoutMs, suite);
    const rows = await Promise.race([module.default(), limit.promise]).finally(limit.cancel);
    if (!Array.isArray(rows)) throw new Error(`bench/suites/${file}: run() must resolve to BenchRow[]`);
    return { suite, rows, seconds: (performance.now() - started) / 1000 };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`bench: suite ${suite} failed:`, error);
    return { suite, rows: [], error: message.split('\n')[0], seconds: (performance.now() - started) / 1000 };
  }
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const filters = process.argv.slice(2);
  const files = readdirSync(suitesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()
    .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)));
  const outcomes: SuiteOutcome[] = [];
  for (const file of files) {
    console.log(`bench: running ${file} ...`);
    outcomes.push(await runSuite(file));
  }
  console.log('\n' + consoleTable(outcomes) + '\n');
  if (filters.length > 0) {
    console.log('bench: filtered run, docs/PERFORMANCE.md left unchanged.');
    return;
  }
  const versions: Record<string, string> = { ...tfjsVersions(), PyTorch: pytorchVersion() === null ? 'not installed (PyTorch columns skipped)' : `${pytorchVersion()} (Debian python3-torch, BLAS: ${blasLibrary()}, 1 thread)` };
  const markdown = performanceMarkdown(outcomes, {
    date: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    machine,
    versions,
    kernelsParagraph: KERNELS_PARAGRAPH,
  });
  writeFileSync(performanceDoc, markdown);
  console.log(`bench: wrote ${path.relative(process.cwd(), performanceDoc)}`);
}

// Exit explicitly: a suite that timed out may still hold handles (a browser, a server) open.
main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});

