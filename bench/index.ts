// `npm run bench`: runs every bench/suites/*.ts in this one process, then again under the editor's runtime where
// it is installed (code-server's Node 24 in .tools/, bench/runtimes.ts), prints the tables and writes
// docs/PERFORMANCE.md with each suite's hand-written notes from bench/notes/ (bench/notes.ts). A suite that throws is
// reported in the table and the others still run.
// `npm run bench -- matmul` runs only suites whose file name contains "matmul" and does not write the doc; it
// prints each table as a note for bench/notes/<suite>.md, and with `--notes` appends it there.
// `--runtime node24` also runs a filtered run under Node 24; `--runtime none` skips it in a full run.
// `--emit-json <file>` (how the second runtime's process is run): write the outcomes there, nothing else.
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench_row';
import { machineFacts } from './machine';
import { KERNELS_PARAGRAPH } from './kernels_paragraph';
import { blasLibrary, pytorchVersion } from './peers/pytorch';
import { tfjsVersions } from './peers/tfjs';
import { consoleTable, filteredRunNote, performanceMarkdown, type SuiteOutcome } from './report';
import { appendNote, keepHandWrittenText, readNotes } from './notes';
import { KNOWN_RUNTIMES, isInstalled, mergeRuntime, runUnder, runtimeFacts, type RuntimeFacts } from './runtimes';

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

interface Arguments {
  filters: string[];
  /** Other runtimes to run the same suites under (names of KNOWN_RUNTIMES). */
  runtimes: string[];
  emitJson?: string;
  writeNotes: boolean;
}

function parseArguments(argv: string[]): Arguments {
  const filters: string[] = [];
  let runtime: string | undefined;
  let emitJson: string | undefined;
  let writeNotes = false;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runtime') runtime = argv[++i];
    else if (argv[i] === '--emit-json') emitJson = argv[++i];
    else if (argv[i] === '--notes') writeNotes = true;
    else filters.push(argv[i]);
  }
  if (runtime !== undefined && runtime !== 'none' && !KNOWN_RUNTIMES[runtime]) {
    throw new Error(`bench: unknown runtime ${runtime} (known: ${Object.keys(KNOWN_RUNTIMES).join(', ')}, none)`);
  }
  // A full run measures every installed runtime unless told not to; a filtered run only when asked.
  const wanted = runtime === 'none' ? [] : runtime !== undefined ? [runtime] : filters.length === 0 ? Object.keys(KNOWN_RUNTIMES) : [];
  const runtimes = emitJson ? [] : wanted.filter((name) => {
    if (isInstalled(name)) return true;
    console.log(`bench: ${KNOWN_RUNTIMES[name].label} is not installed (npm run install:code-server), its column is skipped.`);
    return false;
  });
  return { filters, runtimes, emitJson, writeNotes };
}

async function main(): Promise<void> {
  const machine = machineFacts();
  const args = parseArguments(process.argv.slice(2));
  const { filters } = args;
  const files = readdirSync(suitesDir).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts')).sort()
    .filter((f) => filters.length === 0 || filters.some((filter) => f.includes(filter)));
  const outcomes: SuiteOutcome[] = [];
  for (const file of files) {
    console.log(`bench: running ${file} ...`);
    outcomes.push(await runSuite(file));
  }
  if (args.emitJson) {
    writeFileSync(args.emitJson, JSON.stringify({ facts: runtimeFacts(), outcomes }));
    return;
  }
  const otherRuntimes: Record<string, RuntimeFacts> = {};
  for (const name of args.runtimes) {
    console.log(`bench: running the same suites under ${KNOWN_RUNTIMES[name].label} ...`);
    try {
      const other = await runUnder(name, filters);
      mergeRuntime(outcomes, other);
      otherRuntimes[other.label] = other.facts;
    } catch (error) {
      console.error(`bench: the run under ${KNOWN_RUNTIMES[name].label} failed:`, error);
    }
  }
  console.log('\n' + consoleTable(outcomes) + '\n');
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (filters.length > 0) {
    const command = `npm run bench -- ${process.argv.slice(2).filter((a) => a !== '--notes').join(' ')}`;
    for (const [suite, note] of filteredRunNote(outcomes, { date, command, machine })) {
      if (args.writeNotes) {
        appendNote(suite, note);
        console.log(`bench: appended this run's table to bench/notes/${suite}.md`);
      } else {
        console.log(`bench: for bench/notes/${suite}.md (or rerun with --notes):\n\n${note}\n`);
      }
    }
    console.log('bench: filtered run, docs/PERFORMANCE.md left unchanged.');
    return;
  }
  for (const line of keepHandWrittenText(performanceDoc, files.map((f) => path.basename(f, '.ts')))) console.log(`bench: ${line}`);
  const versions: Record<string, string> = { ...tfjsVersions(), PyTorch: pytorchVersion() === null ? 'not installed (PyTorch columns skipped)' : `${pytorchVersion()} (Debian python3-torch, BLAS: ${blasLibrary()}, 1 thread)` };
  const markdown = performanceMarkdown(outcomes, {
    date,
    machine,
    runtime: runtimeFacts(),
    otherRuntimes,
    versions,
    kernelsParagraph: KERNELS_PARAGRAPH,
    notes: readNotes(),
  });
  writeFileSync(performanceDoc, markdown);
  console.log(`bench: wrote ${path.relative(process.cwd(), performanceDoc)}`);
}

// Exit explicitly: a suite that timed out may still hold handles (a browser, a server) open.
main().then(() => process.exit(process.exitCode ?? 0), (error) => {
  console.error(error);
  process.exit(1);
});

